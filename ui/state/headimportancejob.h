#pragma once
// Head importance by ablation (stats/headimportance.h) as a background job of the compute
// service: one run per head, with progress and cancel, never on the UI thread.

#include "stats/headimportance.h"

#include <QFutureWatcher>
#include <QObject>

#include <atomic>
#include <memory>

namespace attnviz {

class ComputeService;

class HeadImportanceJob : public QObject
{
    Q_OBJECT
public:
    explicit HeadImportanceJob(ComputeService* service, QObject* parent = nullptr);
    ~HeadImportanceJob() override; // cancels and waits: the work refers to this job's flag

    // Starts scoring every head for `request` (its text, mask, scaling and ablations).
    void start(RunRequest request);
    void cancel();
    bool isRunning() const { return m_watcher.isRunning(); }

signals:
    void progress(int done, int total);
    void finished(const attnviz::HeadImportance& importance);
    void failed(const QString& message); // also when cancelled ("cancelled")

private:
    ComputeService* m_service;
    QFutureWatcher<void> m_watcher;
    std::shared_ptr<std::atomic<bool>> m_cancel;
};

} // namespace attnviz
