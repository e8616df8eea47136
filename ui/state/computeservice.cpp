#include "state/computeservice.h"

#include "stats/derive.h"
#include "registry/modelregistry.h"

#include <QFuture>
#include <QtConcurrent/QtConcurrentRun>

#include <exception>

namespace attnviz {

namespace {

// What crosses back from a worker: exceptions are turned into messages there, so QFuture never
// has to transport them.
struct RunOutcome
{
    std::shared_ptr<const AttentionResult> result;
    QString error;
    bool cancelled = false;
};

struct LoadOutcome
{
    std::shared_ptr<AttentionModel> model;
    QString error;
};

} // namespace

ComputeService::ComputeService(QObject* parent) : QObject(parent)
{
    m_runPool.setMaxThreadCount(1);
    m_loadPool.setMaxThreadCount(1);
    m_debounce.setSingleShot(true);
    connect(&m_debounce, &QTimer::timeout, this, &ComputeService::startPending);
}

ComputeService::~ComputeService()
{
    if (m_cancel)
        m_cancel->store(true);
    m_runPool.clear();
    m_runPool.waitForDone();
    m_loadPool.waitForDone();
}

void ComputeService::setModel(std::shared_ptr<AttentionModel> model, const QString& spec)
{
    cancelAll();
    m_model = std::move(model);
    m_modelSpec = spec;
    emit modelLoaded(spec);
}

void ComputeService::renameModel(const QString& spec)
{
    if (spec == m_modelSpec)
        return;
    m_modelSpec = spec;
    emit modelRenamed(spec);
}

void ComputeService::replaceModel(std::shared_ptr<AttentionModel> model)
{
    cancelAll();
    m_model = std::move(model);
    emit modelReplaced();
}

void ComputeService::loadModel(const QString& spec)
{
    const quint64 id = ++m_latestLoad;
    setBusyState(0, true);
    emit modelLoadStarted(spec);
    const std::string path = spec.toStdString();
    QtConcurrent::run(&m_loadPool, [path]() {
        LoadOutcome out;
        try {
            out.model = std::shared_ptr<AttentionModel>(openModel(path));
        } catch (const std::exception& e) {
            out.error = QString::fromUtf8(e.what());
        } catch (...) {
            out.error = QStringLiteral("unknown error while opening the model");
        }
        return out;
    }).then(this, [this, id, spec](const LoadOutcome& out) {
        if (id != m_latestLoad)
            return; // a newer load superseded this one
        setBusyState(0, false);
        if (!out.model) {
            emit modelLoadFailed(spec, out.error);
            return;
        }
        setModel(out.model, spec);
    });
}

quint64 ComputeService::requestRun(const RunRequest& request, int debounceMs)
{
    m_pending = request;
    m_pendingJob = ++m_latestJob;
    const quint64 id = m_pendingJob;
    // Typing makes the running job stale at once; it stops at its next cancellation check.
    if (m_cancel)
        m_cancel->store(true);
    if (debounceMs <= 0) {
        m_debounce.stop();
        startPending();
    } else {
        m_debounce.start(debounceMs);
    }
    return id;
}

void ComputeService::cancelAll()
{
    m_debounce.stop();
    m_pendingJob = 0;
    ++m_latestJob; // anything still running is now stale
    if (m_cancel)
        m_cancel->store(true);
}

void ComputeService::startPending()
{
    if (m_pendingJob == 0 || m_pendingJob != m_latestJob)
        return;
    const quint64 id = m_pendingJob;
    m_pendingJob = 0;
    if (!m_model) {
        emit computeFailed(tr("No model is loaded."), id);
        return;
    }
    auto cancel = std::make_shared<std::atomic<bool>>(false);
    m_cancel = cancel;
    RunRequest request = m_pending;
    request.cancel = cancel.get();
    std::shared_ptr<AttentionModel> model = m_model; // keeps the model alive while it runs
    setBusyState(+1, std::nullopt);
    QtConcurrent::run(&m_runPool, [model, request, cancel]() {
        RunOutcome out;
        try {
            throwIfCancelled(cancel.get()); // queued behind a job and already stale
            out.result = runWithStatistics(*model, request);
        } catch (const Cancelled&) {
            out.cancelled = true;
        } catch (const std::exception& e) {
            out.error = QString::fromUtf8(e.what());
        } catch (...) {
            out.error = QStringLiteral("unknown error while running the model");
        }
        return out;
    }).then(this, [this, id](const RunOutcome& out) {
        setBusyState(-1, std::nullopt);
        if (id != m_latestJob || out.cancelled)
            return; // stale: a newer job owns the views
        if (out.result) {
            emit resultReady(out.result, id);
        } else {
            emit computeFailed(out.error, id);
        }
    });
}

QFuture<void> ComputeService::runOnModelThread(std::function<void(const AttentionModel&)> work)
{
    std::shared_ptr<AttentionModel> model = m_model; // alive while the work runs
    return QtConcurrent::run(&m_runPool, [model, work = std::move(work)]() {
        if (model)
            work(*model);
    });
}

void ComputeService::setBusyState(int runningDelta, std::optional<bool> loading)
{
    const bool before = isBusy();
    m_runningJobs += runningDelta;
    if (loading)
        m_loading = *loading;
    if (isBusy() != before)
        emit busyChanged(isBusy());
}

} // namespace attnviz
