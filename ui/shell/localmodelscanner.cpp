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
        m_rescanWanted = true; // the running scan may have read the old roots or missed a new file
        return;
    }
    m_scanning = true;
    m_rescanWanted = false;
    emit scanStarted();
    m_watcher.setFuture(QtConcurrent::run(&m_pool, [roots = m_roots]() { return discoverLocalModels(roots); }));
}

void LocalModelScanner::onScanned()
{
    m_scanning = false;
    m_scanned = true;
    m_models = m_watcher.result();
    emit scanFinished();
    if (m_rescanWanted)
        rescan();
}

} // namespace attnviz
