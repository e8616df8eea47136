#pragma once
// Finds the GGUF models local runners keep (registry/localmodels.h) on a worker thread, so
// neither startup nor the model picker ever waits for a disk walk. One scan at a time: a rescan
// asked for meanwhile stops the current one and starts afresh; closing stops it too.

#include "registry/localmodels.h"

#include <QFutureWatcher>
#include <QObject>
#include <QThreadPool>

#include <atomic>
#include <memory>
#include <vector>

namespace attnviz {

class LocalModelScanner : public QObject
{
    Q_OBJECT
public:
    explicit LocalModelScanner(QObject* parent = nullptr);
    ~LocalModelScanner() override;

    // Where to look; defaultModelRoots() until set. Setting them rescans.
    void setRoots(std::vector<ModelRoot> roots);
    const std::vector<ModelRoot>& roots() const { return m_roots; }

    void rescan();
    bool isScanning() const { return m_scanning; }
    bool hasScanned() const { return m_scanned; }
    const std::vector<LocalModel>& models() const { return m_models; }

signals:
    void scanStarted();
    void scanFinished();

private:
    void onScanned();

    std::vector<ModelRoot> m_roots;
    std::vector<LocalModel> m_models;
    QThreadPool m_pool; // its own, so destruction waits for a running scan instead of leaving it behind
    QFutureWatcher<std::vector<LocalModel>> m_watcher;
    std::shared_ptr<std::atomic<bool>> m_cancel; // the running scan's stop flag
    bool m_scanning = false;
    bool m_scanned = false;
    bool m_rescanWanted = false;
};

} // namespace attnviz
