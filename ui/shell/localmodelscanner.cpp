#include "shell/localmodelscanner.h"

#include <QtConcurrent/QtConcurrentRun>

namespace attnviz {

LocalModelScanner::LocalModelScanner(QObject* parent) : QObject(parent), m_roots(defaultModelRoots())
{
    m_pool.setMaxThreadCount(1);
    connect(&m_watcher, &QFutureWatcherBase::finished, this, &LocalModelScanner::onScanned);
}

LocalModelScanner::~LocalModelScanner()
{
    if (m_cancel)
        m_cancel->store(true);
    m_pool.waitForDone(); // a scan still running ends before the watcher it reports to
}

void LocalModelScanner::setRoots(std::vector<ModelRoot> roots)
{
    m_roots = std::move(roots);
    rescan();
}

void LocalModelScanner::rescan()
{
    if (m_scanning) {
        // The running scan may have read the old roots or missed a new file: stop it, start afresh.
        m_rescanWanted = true;
        m_cancel->store(true);
        return;
    }
    m_scanning = true;
    m_rescanWanted = false;
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    emit scanStarted();
    m_watcher.setFuture(QtConcurrent::run(&m_pool, [roots = m_roots, cancel = m_cancel]() {
        DiscoveryLimits limits;
        limits.cancel = cancel.get();
        return discoverLocalModels(roots, limits);
    }));
}

void LocalModelScanner::onScanned()
{
    m_scanning = false;
    if (m_rescanWanted) {
        rescan(); // the stopped scan's partial list is not shown
        return;
    }
    m_scanned = true;
    m_models = m_watcher.result();
    emit scanFinished();
}

} // namespace attnviz
