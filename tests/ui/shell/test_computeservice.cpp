// ComputeService: results arrive off the UI thread, stale jobs are dropped, failures are signals
// and a model that fails to load leaves the previous one in place.
#include "state/computeservice.h"

#include <QSignalSpy>
#include <QTest>

#include <thread>

using namespace attnviz;

namespace {

// Counts runs and is slow enough that a second request arrives while the first is running.
class SlowModel : public AttentionModel
{
public:
    ModelInfo info() const override
    {
        ModelInfo i;
        i.name = "slow";
        i.layers = 1;
        i.heads = 1;
        return i;
    }
    std::shared_ptr<AttentionResult> run(const RunRequest& request) const override
    {
        for (int i = 0; i < 20; ++i) {
            throwIfCancelled(request.cancel);
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        if (request.text == "bad")
            throw InputError("bad input");
        auto r = std::make_shared<AttentionResult>();
        Token t;
        t.display = request.text;
        r->tokens.push_back(t);
        return r;
    }
};

RunRequest text(const std::string& t)
{
    RunRequest r;
    r.text = t;
    return r;
}

} // namespace

class TestComputeService : public QObject
{
    Q_OBJECT
private slots:
    void deliversOnlyTheNewestResult()
    {
        ComputeService service;
        service.setModel(std::make_shared<SlowModel>(), QStringLiteral("slow"));
        QSignalSpy results(&service, &ComputeService::resultReady);
        service.requestRun(text("first"));
        QTest::qWait(30); // the first job is running now
        const quint64 last = service.requestRun(text("second"));
        QTRY_COMPARE_WITH_TIMEOUT(results.count(), 1, 5000);
        QTest::qWait(300); // nothing else arrives
        QCOMPARE(results.count(), 1);
        const auto result = results.first().at(0).value<std::shared_ptr<const AttentionResult>>();
        QCOMPARE(result->tokens.front().display, std::string("second"));
        QCOMPARE(results.first().at(1).value<quint64>(), last);
        QTRY_VERIFY(!service.isBusy());
    }

    void debounceCoalescesRequests()
    {
        ComputeService service;
        service.setModel(std::make_shared<SlowModel>(), QStringLiteral("slow"));
        QSignalSpy results(&service, &ComputeService::resultReady);
        for (const char* t : {"a", "ab", "abc"})
            service.requestRun(text(t), 100);
        QTRY_COMPARE_WITH_TIMEOUT(results.count(), 1, 5000);
        QTest::qWait(300);
        QCOMPARE(results.count(), 1);
        QCOMPARE(results.first().at(0).value<std::shared_ptr<const AttentionResult>>()->tokens.front().display,
                 std::string("abc"));
    }

    void errorsBecomeSignals()
    {
        ComputeService service;
        QSignalSpy failures(&service, &ComputeService::computeFailed);
        service.requestRun(text("x")); // no model yet
        QCOMPARE(failures.count(), 1);
        service.setModel(std::make_shared<SlowModel>(), QStringLiteral("slow"));
        service.requestRun(text("bad"));
        QTRY_COMPARE_WITH_TIMEOUT(failures.count(), 2, 5000);
        QCOMPARE(failures.last().first().toString(), QStringLiteral("bad input"));
    }

    void failedLoadKeepsThePreviousModel()
    {
        ComputeService service;
        QSignalSpy loaded(&service, &ComputeService::modelLoaded);
        QSignalSpy failed(&service, &ComputeService::modelLoadFailed);
        QSignalSpy busy(&service, &ComputeService::busyChanged);
        service.loadModel(QStringLiteral(ATTNVIZ_RESOURCES "/lessons/two-heads-causal.json"));
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 5000);
        QVERIFY(busy.count() >= 2); // busy, then idle
        const auto before = service.model();
        service.loadModel(QStringLiteral("/no/such/model.bin"));
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 5000);
        QVERIFY(failed.first().at(1).toString().contains(QStringLiteral("/no/such/model.bin")));
        QCOMPARE(service.model(), before);
        QCOMPARE(loaded.count(), 1);
        QVERIFY(!service.isBusy());
    }
};

QTEST_GUILESS_MAIN(TestComputeService)
#include "test_computeservice.moc"
