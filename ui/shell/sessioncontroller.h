#pragma once
// File → Save Session / Open Session: the window's state as a .attnviz file (core/session) and
// back. Opening goes through the window's own model opening; the state is applied once the model
// is loaded (texts, mask, ablation, view...) and once its first result has the shape (layer, head,
// query). The model's content hash is computed off the UI thread, both when saving and, after
// opening, to warn in the status bar when the model is not the one the session was saved with.
// Works through MainWindow's public API only.

#include "session/session.h"

#include <QObject>
#include <QString>

#include <optional>

namespace attnviz {

class MainWindow;

class SessionController : public QObject
{
    Q_OBJECT
public:
    explicit SessionController(MainWindow* window);

    // What the window shows now, without the model hash.
    Session currentSession() const;
    // Hashes the model, then writes `path` atomically (replacing it: the file dialog asked);
    // saved() or failed() follows.
    void save(const QString& path);
    // Reads `path` and restores it; restored() or failed() follows, then modelChecked().
    void open(const QString& path);
    void saveWithDialog();
    void openWithDialog();
    bool isRestoring() const { return m_pending.has_value(); }

    static constexpr const char* kSuffix = "attnviz";

signals:
    void saved(const QString& path);
    void restored(const QString& path);
    void failed(const QString& message);
    // After a restore: whether the model's files hash as when the session was saved.
    void modelChecked(bool unchanged);
    // Shown in the status bar with the model's results: a changed model, an unknown colour map...
    void warning(const QString& message);

private:
    struct Pending
    {
        Session session;
        QString path;
        QString spec; // the model to open, resolved against the session's folder
        // Loading the model; applying the state (a result can arrive meanwhile, even from inside a
        // setter: it shows part of the state); waiting for a result of the whole state.
        enum class Phase { Loading, Applying, Positioning } phase = Phase::Loading;
        bool warned = false; // then the status bar keeps the warning instead of "Opened session"
    };
    void onModelLoaded(const QString& spec);
    void onModelLoadFailed(const QString& spec, const QString& message);
    void onResultShown();
    void finishRestore();  // layer, head and query, now that a result has the shape
    void finishWhenIdle(); // finishRestore() if nothing is left to run (checked from the event loop)
    void checkModel(const QString& spec, const std::string& savedHash);
    void restoreSideView(const QString& name, QStringList& problems); // empty name: the dock hides
    void warn(const QString& message);
    void fail(const QString& message);
    QString startFolder() const;
    void rememberFolder(const QString& path) const;

    MainWindow* m_window;
    std::optional<Pending> m_pending;
};

} // namespace attnviz
