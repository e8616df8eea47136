#include "shell/sessioncontroller.h"

#include "export/safefilewriter.h"
#include "session/modelhash.h"
#include "shell/inputpanel.h"
#include "shell/mainwindow.h"
#include "shell/modelpicker.h"
#include "shell/sideviewdock.h"
#include "state/computeservice.h"
#include "state/selectionstate.h"
#include "state/sessionstate.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFuture>
#include <QSettings>
#include <QStandardPaths>
#include <QStatusBar>
#include <QtConcurrent>

namespace attnviz {

namespace {

const QString kFolderKey = QStringLiteral("sessions/folder");

struct Hashed
{
    std::string hash;
    QString error;
};

// Off the UI thread: a model of gigabytes takes seconds to read.
QFuture<Hashed> hashInBackground(const std::string& spec)
{
    return QtConcurrent::run([spec]() {
        try {
            return Hashed{modelContentHash(spec), {}};
        } catch (const std::exception& e) {
            return Hashed{{}, QString::fromStdString(e.what())};
        }
    });
}

} // namespace

SessionController::SessionController(MainWindow* window) : QObject(window), m_window(window)
{
    // After the window's own handlers (connected in its constructor): the model is in place then.
    connect(window->computeService(), &ComputeService::modelLoaded, this, &SessionController::onModelLoaded);
    connect(window->computeService(), &ComputeService::modelLoadFailed, this, &SessionController::onModelLoadFailed);
    connect(window, &MainWindow::resultShown, this, &SessionController::onResultShown);
    // The last request's result may come while the state is being applied (a fast model answers
    // from inside a setter); a stale job still running then ends without showing anything.
    connect(window->computeService(), &ComputeService::busyChanged, this, [this](bool busy) {
        if (!busy)
            finishWhenIdle();
    });
}

void SessionController::finishWhenIdle()
{
    // Queued: the service says it is idle just before it delivers the last result.
    QMetaObject::invokeMethod(
        this,
        [this]() {
            if (m_pending && m_pending->phase == Pending::Phase::Positioning && m_window->computeService()->isIdle())
                finishRestore();
        },
        Qt::QueuedConnection);
}

Session SessionController::currentSession() const
{
    Session s;
    s.model = m_window->loadedModelSpec().toStdString();
    s.text = m_window->inputPanel()->text().toStdString();
    s.secondText = m_window->inputPanel()->secondText().toStdString();
    s.view = m_window->currentViewName().toStdString();
    if (!m_window->sideViewDock()->isHidden()) // isVisible() would say no for a window not yet shown
        s.sideView = m_window->sideViewDock()->viewName().toStdString();
    SessionState::capture(*m_window->selection(), s);
    return s;
}

void SessionController::save(const QString& path)
{
    if (m_window->loadedModelSpec().isEmpty())
        return fail(tr("Nothing to save yet: open a model first."));
    const Session session = currentSession();
    m_window->statusBar()->showMessage(
        tr("Saving %1 (reading the model for its hash)…").arg(QDir::toNativeSeparators(path)));
    hashInBackground(session.model).then(this, [this, session, path](const Hashed& hashed) {
        Session s = session;
        s.modelHash = hashed.hash; // a model that cannot be read is saved without: opening then says so
        std::string text;
        try {
            text = sessionToJson(s);
        } catch (const SessionError& e) {
            return fail(tr("Session not saved: %1").arg(QString::fromStdString(e.what())));
        }
        if (const QString error = SafeFileWriter::write(path, QByteArray::fromStdString(text), true); !error.isEmpty())
            return fail(error);
        rememberFolder(path);
        m_window->statusBar()->showMessage(
            hashed.error.isEmpty()
                ? tr("Saved session %1").arg(QDir::toNativeSeparators(path))
                : tr("Saved session %1 without the model's hash: %2").arg(QDir::toNativeSeparators(path), hashed.error),
            8000);
        emit saved(path);
    });
}

void SessionController::open(const QString& path)
{
    Session session;
    try {
        session = readSessionFile(path.toStdString());
    } catch (const SessionError& e) {
        return fail(tr("Session not opened: %1").arg(QString::fromStdString(e.what())));
    }
    const QString spec = QString::fromStdString(sessionModelSpec(session, path.toStdString()));
    try {
        modelFiles(spec.toStdString()); // throws when the model is gone
    } catch (const std::exception& e) {
        return fail(tr("Session not opened: its model %1 is missing (%2)")
                        .arg(QDir::toNativeSeparators(spec), QString::fromStdString(e.what())));
    }
    rememberFolder(path);
    m_pending = Pending{std::move(session), path, spec};
    m_window->openModel(spec); // the window's own path: its notices, fallback and picker
}

void SessionController::onModelLoaded(const QString& spec)
{
    if (!m_pending || m_pending->phase != Pending::Phase::Loading)
        return;
    if (spec != m_pending->spec) { // the user opened another model meanwhile
        m_pending.reset();
        return;
    }
    m_pending->phase = Pending::Phase::Applying;
    const Session s = m_pending->session;
    // The texts first: the choices below rerun with them instead of the last model's text.
    m_window->inputPanel()->setSecondText(QString::fromStdString(s.secondText));
    m_window->setText(QString::fromStdString(s.text));
    QStringList problems = SessionState::applyChoices(s, *m_window->selection());
    const QString view = QString::fromStdString(s.view);
    if (!m_window->setCurrentView(view))
        problems << tr("unknown view \u201c%1\u201d").arg(view);
    restoreSideView(QString::fromStdString(s.sideView), problems);
    for (const QString& p : problems)
        warn(tr("Session: %1").arg(p));
    checkModel(spec, s.modelHash);
    if (!m_pending)
        return;
    m_pending->phase = Pending::Phase::Positioning;
    // Nothing left to run: the result of the last request came while applying, and it has every input.
    finishWhenIdle();
}

void SessionController::restoreSideView(const QString& name, QStringList& problems)
{
    SideViewDock* dock = m_window->sideViewDock();
    if (name.isEmpty()) {
        dock->hide();
        return;
    }
    if (!dock->setViewName(name)) {
        problems << tr("unknown side view \u201c%1\u201d").arg(name);
        return;
    }
    dock->show();
}

void SessionController::onModelLoadFailed(const QString& spec, const QString& message)
{
    if (!m_pending || spec != m_pending->spec)
        return;
    m_pending.reset();
    fail(tr("Session not restored: %1").arg(message.simplified()));
}

void SessionController::onResultShown()
{
    // The first result of the restored inputs has the shape the layer, head and query need.
    if (m_pending && m_pending->phase == Pending::Phase::Positioning)
        finishRestore();
}

void SessionController::finishRestore()
{
    const Pending done = std::move(*m_pending);
    m_pending.reset();
    SessionState::applyPosition(done.session, *m_window->selection());
    if (!done.warned)
        m_window->statusBar()->showMessage(tr("Opened session %1").arg(QDir::toNativeSeparators(done.path)), 5000);
    emit restored(done.path);
}

void SessionController::checkModel(const QString& spec, const std::string& savedHash)
{
    if (savedHash.empty()) {
        warn(tr("the session does not record the model's hash, so a changed model cannot be noticed"));
        emit modelChecked(false);
        return;
    }
    hashInBackground(spec.toStdString()).then(this, [this, spec, savedHash](const Hashed& hashed) {
        if (m_window->loadedModelSpec() != spec)
            return; // another model is on screen now; the warning would be about the wrong one
        const bool unchanged = hashed.error.isEmpty() && hashed.hash == savedHash;
        if (!hashed.error.isEmpty())
            warn(tr("⚠ could not check the session's model: %1").arg(hashed.error));
        else if (!unchanged)
            warn(tr("⚠ the model's files changed since the session was saved: the numbers may differ"));
        emit modelChecked(unchanged);
    });
}

void SessionController::warn(const QString& message)
{
    if (m_pending)
        m_pending->warned = true;
    m_window->statusBar()->clearMessage(); // a passing "Opened session" must not hide the warning
    m_window->addModelNotice(message);     // stays with every result of this model
    emit warning(message);
}

void SessionController::fail(const QString& message)
{
    m_window->statusBar()->showMessage(message, 15000);
    emit failed(message);
}

void SessionController::saveWithDialog()
{
    const QString suggested = QDir(startFolder()).filePath(tr("session.%1").arg(QLatin1String(kSuffix)));
    QString path = QFileDialog::getSaveFileName(m_window, tr("Save Session"), suggested,
                                                tr("AttnViz sessions (*.%1)").arg(QLatin1String(kSuffix)));
    if (path.isEmpty())
        return;
    if (QFileInfo(path).suffix().isEmpty())
        path += QLatin1Char('.') + QLatin1String(kSuffix);
    save(path);
}

void SessionController::openWithDialog()
{
    const QString path =
        QFileDialog::getOpenFileName(m_window, tr("Open Session"), startFolder(),
                                     tr("AttnViz sessions (*.%1);;All files (*)").arg(QLatin1String(kSuffix)));
    if (!path.isEmpty())
        open(path);
}

QString SessionController::startFolder() const
{
    const QString saved = QSettings().value(kFolderKey).toString();
    if (!saved.isEmpty() && QFileInfo(saved).isDir())
        return saved;
    return QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
}

void SessionController::rememberFolder(const QString& path) const
{
    QSettings().setValue(kFolderKey, QFileInfo(path).absolutePath());
}

} // namespace attnviz
