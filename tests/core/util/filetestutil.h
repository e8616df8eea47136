#pragma once
// Helpers for tests of how readers treat files that are not regular files (FIFOs, devices,
// directories, symlink loops). A reader that blocks on a FIFO must fail the test, not hang it.

#include <QTemporaryDir>
#include <QTest>

#include <chrono>
#include <fcntl.h>
#include <future>
#include <optional>
#include <string>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

namespace attnviz::test {

inline std::string makeFifo(const QTemporaryDir& dir, const char* name)
{
    const std::string path = dir.filePath(QString::fromUtf8(name)).toStdString();
    if (::mkfifo(path.c_str(), 0600) != 0)
        qFatal("mkfifo %s failed", path.c_str());
    return path;
}

// Runs `f` on a thread and returns the text of what it threw ("" when it returned normally), or
// nullopt when it was still blocked after 5 s. A blocked reader is then released by opening the
// FIFO for writing and closing it (the reader sees end of file), so the test can go on.
template <typename F>
std::optional<std::string> errorWithin(F f, const std::string& fifo)
{
    auto done = std::make_shared<std::promise<std::string>>();
    std::future<std::string> result = done->get_future();
    std::thread worker([f, done] {
        try {
            f();
            done->set_value("");
        } catch (const std::exception& e) {
            done->set_value(e.what());
        }
    });
    if (result.wait_for(std::chrono::seconds(5)) == std::future_status::ready) {
        worker.join();
        return result.get();
    }
    while (result.wait_for(std::chrono::milliseconds(20)) != std::future_status::ready) {
        const int fd = ::open(fifo.c_str(), O_WRONLY | O_NONBLOCK);
        if (fd >= 0)
            ::close(fd);
    }
    worker.join();
    return std::nullopt;
}

// Asserts that `f` throws promptly with a message containing `expected`.
#define ATTNVIZ_VERIFY_REFUSES_FIFO(f, fifo, expected)                                                                \
    do {                                                                                                              \
        const std::optional<std::string> error = attnviz::test::errorWithin(f, fifo);                                 \
        QVERIFY2(error.has_value(), "blocked on a FIFO for 5 s");                                                     \
        QVERIFY2(error->find(expected) != std::string::npos, error->c_str());                                         \
    } while (false)

} // namespace attnviz::test
