#pragma once
// Runs models off the UI thread. Each run is a job with an id and a cancel flag; starting a new
// job raises the flags of older ones and their results are dropped (hotspot's JobTracker).
// Model loading is a job too: a model that fails to load leaves the previous one in place.

#include "engine/attentionmodel.h"

#include <QFuture>
#include <QObject>
#include <QString>
#include <QThreadPool>
#include <QTimer>

#include <atomic>
#include <functional>
#include <memory>

namespace attnviz {

class ComputeService : public QObject
{
    Q_OBJECT
public:
    explicit ComputeService(QObject* parent = nullptr);
    ~ComputeService() override;

    const std::shared_ptr<AttentionModel>& model() const { return m_model; }
    QString modelSpec() const { return m_modelSpec; }
    bool hasModel() const { return m_model != nullptr; }
    bool isBusy() const { return m_runningJobs > 0 || m_loading; }
    bool isLoading() const { return m_loading; }
    // Nothing running, loading or waiting for its debounce: the views show the final picture.
    bool isIdle() const { return !isBusy() && m_pendingJob == 0; }
    quint64 latestJob() const { return m_latestJob; }

    // Starts opening `spec` in the background; modelLoaded or modelLoadFailed follows.
    void loadModel(const QString& spec);
    // Installs an already open model (tests, embedding).
    void setModel(std::shared_ptr<AttentionModel> model, const QString& spec);
    // The model on screen now lives at `spec` (a new lesson saved to a file): no reload.
    void renameModel(const QString& spec);
    // Swaps in a variant of the current model with the same tokens (an edited lesson): the spec
    // stays and modelReplaced, not modelLoaded, follows, so the user's selection is kept.
    void replaceModel(std::shared_ptr<AttentionModel> model);

    // Runs `request` after `debounceMs` (restarted by every call; 0 = now). Returns the job id.
    quint64 requestRun(const RunRequest& request, int debounceMs = 0);
    // Drops whatever is pending or running (e.g. the text became empty).
    void cancelAll();
    // Runs `work` with the current model on the model's own thread, between normal runs (a model
    // runs one request at a time); the future finishes after it. Throws nothing: `work` catches.
    QFuture<void> runOnModelThread(std::function<void(const AttentionModel&)> work);

signals:
    void modelLoadStarted(const QString& spec);
    void modelLoaded(const QString& spec);
    void modelLoadFailed(const QString& spec, const QString& message);
    void modelReplaced();
    void modelRenamed(const QString& spec);
    void resultReady(std::shared_ptr<const AttentionResult> result, quint64 job);
    void computeFailed(const QString& message, quint64 job);
    void busyChanged(bool busy);

private:
    void startPending();
    void setBusyState(int runningDelta, std::optional<bool> loading);

    std::shared_ptr<AttentionModel> m_model;
    QString m_modelSpec;
    QThreadPool m_runPool;  // one thread: a model runs one request at a time
    QThreadPool m_loadPool; // loading never waits behind a long run
    QTimer m_debounce;
    RunRequest m_pending;
    quint64 m_pendingJob = 0;
    quint64 m_latestJob = 0;
    quint64 m_latestLoad = 0;
    std::shared_ptr<std::atomic<bool>> m_cancel; // of the newest started job
    int m_runningJobs = 0;
    bool m_loading = false;
};

} // namespace attnviz
