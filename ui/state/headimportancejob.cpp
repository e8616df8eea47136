#include "state/headimportancejob.h"

#include "state/computeservice.h"

#include <QMetaObject>
#include <QPointer>

namespace attnviz {

HeadImportanceJob::HeadImportanceJob(ComputeService* service, QObject* parent) : QObject(parent), m_service(service)
{
}

HeadImportanceJob::~HeadImportanceJob()
{
    cancel();
    m_watcher.waitForFinished();
}

void HeadImportanceJob::cancel()
{
    if (m_cancel)
        *m_cancel = true;
}

void HeadImportanceJob::start(RunRequest request)
{
    cancel();
    m_watcher.waitForFinished();
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    const auto flag = m_cancel;
    request.cancel = flag.get();
    QPointer<HeadImportanceJob> self(this);
    m_watcher.setFuture(m_service->runOnModelThread([self, request, flag](const AttentionModel& model) {
        // Signals are queued to the UI thread; `self` outlives the work (the destructor waits).
        try {
            const HeadImportance result = headImportance(model, request, [self](int done, int total) {
                QMetaObject::invokeMethod(self, [self, done, total]() { if (self) emit self->progress(done, total); },
                                          Qt::QueuedConnection);
            });
            QMetaObject::invokeMethod(self, [self, result]() { if (self) emit self->finished(result); },
                                      Qt::QueuedConnection);
        } catch (const Cancelled&) {
            QMetaObject::invokeMethod(self, [self]() { if (self) emit self->failed(tr("cancelled")); }, Qt::QueuedConnection);
        } catch (const std::exception& e) {
            const QString message = QString::fromUtf8(e.what());
            QMetaObject::invokeMethod(self, [self, message]() { if (self) emit self->failed(message); },
                                      Qt::QueuedConnection);
        }
    }));
}

} // namespace attnviz
