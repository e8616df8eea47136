#pragma once
// Composes the input panel, the shared selection controls, the token and head strips and the
// views; computes and paints nothing itself (ComputeService and the views do).

#include "engine/attentionresult.h"

#include <QList>
#include <QMainWindow>

#include <memory>

class QLabel;
class QProgressBar;
class QTabWidget;

namespace attnviz {

class AttentionView;
class ComputeService;
class HeadChips;
class HeatmapView;
class InputPanel;
class LessonEditor;
class PresentationMode;
class SelectionState;
class SessionController;
class SelectionToolBar;
class SideViewDock;
class StaleOverlay;
class TokenStrip;
class ViewHint;

class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    // useSettings = false starts from defaults and saves nothing (screenshots, tests).
    explicit MainWindow(QWidget* parent = nullptr, bool useSettings = true);
    ~MainWindow() override;

    void openModel(const QString& spec);
    void setText(const QString& text);
    bool setCurrentView(const QString& name); // "heatmap", "arcs", "model", "pipeline", "chart"
    QString currentViewName() const;
    // Layer/head (0-based) to select once the first result has the shape for them.
    void setPendingLayerHead(int layer, int head);
    // The stack ("encoder", "decoder", "cross"; any case) the next result opens on, when it has one.
    void setPendingStack(const QString& name);
    // Off: failures go to the status bar and signals only, never a modal dialog.
    void setDialogsEnabled(bool on) { m_dialogs = on; }
    // Bytes of attention maps one run keeps (0 = the core's default); the rest are computed when
    // shown. Remembered in the settings when the window uses them. Runs again with the new budget.
    void setAttentionBudget(std::size_t bytes);
    std::size_t attentionBudget() const { return m_attentionBudget; }
    static QString defaultModelSpec();
    static QString defaultText();
    static QSize defaultSize(); // fits a 1280 x 800 screen with its title bar and panel

    SelectionState* selection() const { return m_selection; }
    ComputeService* computeService() const { return m_service; }
    InputPanel* inputPanel() const { return m_input; }
    SelectionToolBar* selectionToolBar() const { return m_toolBar; }
    TokenStrip* tokenStrip() const { return m_tokens; }
    HeadChips* headChips() const { return m_heads; }
    HeatmapView* heatmapView() const { return m_heatmap; }
    SideViewDock* sideViewDock() const { return m_sideView; }
    LessonEditor* lessonEditor() const { return m_lessonEditor; }
    StaleOverlay* staleOverlay() const { return m_stale; }
    PresentationMode* presentationMode() const { return m_presentation; }
    ViewHint* viewHint() const { return m_hint; } // active only with settings
    const QList<AttentionView*>& views() const { return m_views; }
    const std::shared_ptr<const AttentionResult>& result() const { return m_result; }
    QTabWidget* viewTabs() const { return m_tabs; }
    AttentionView* currentView() const;
    QString loadedModelSpec() const { return m_loadedSpec; }
    QString noticeText() const; // the status bar's notice (notices of the result, load errors)
    // A notice shown with every result until another model is opened (e.g. a session's model changed).
    void addModelNotice(const QString& text);
    SessionController* sessions() const { return m_sessions; } // File → Save / Open Session
    QString statsText() const;  // the status bar's token count, model and time

signals:
    void resultShown();
    void modelLoadFailed(const QString& message);

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void buildViews();
    void scheduleRun(int debounceMs);
    bool viewShown(const QString& name) const; // in a tab or the side dock
    bool pipelineShown() const; // a view on screen needs the Q/K/V capture of the selected head
    bool readoutsMissing() const; // the lens or attribution view is shown and no run asked for it
    bool attributionShown() const; // its view, or the model grid with attribution badges
    void adoptCustomMask(const AttentionResult& result);
    void showResult(std::shared_ptr<const AttentionResult> result);
    void onModelLoaded(const QString& spec);
    void onModelLoadFailed(const QString& spec, const QString& message);
    void onComputeFailed(const QString& message);
    void onSelectionMoved();
    void updateStats(); // token count of the stack shown, model name, compute time
    void showNotice(const QString& text); // in the status bar, the whole text in its tooltip
    void refreshNotice();                 // the model's notice, the result's and the custom mask hint

    SelectionState* m_selection;
    ComputeService* m_service;
    InputPanel* m_input = nullptr;
    SelectionToolBar* m_toolBar = nullptr;
    TokenStrip* m_tokens = nullptr;
    HeadChips* m_heads = nullptr;
    QTabWidget* m_tabs = nullptr;
    HeatmapView* m_heatmap = nullptr;
    SideViewDock* m_sideView = nullptr;
    LessonEditor* m_lessonEditor = nullptr;
    StaleOverlay* m_stale = nullptr;
    PresentationMode* m_presentation = nullptr;
    ViewHint* m_hint = nullptr;
    SessionController* m_sessions = nullptr;
    QList<AttentionView*> m_views;
    QLabel* m_notice = nullptr;
    QLabel* m_stats = nullptr;
    QProgressBar* m_busy = nullptr;
    std::shared_ptr<const AttentionResult> m_result;
    QString m_loadedSpec;
    QString m_fallbackReason; // why the default model is being opened instead of the one asked for
    QString m_modelNotice;    // shown with every result of the current model (e.g. that fallback)
    int m_pendingLayer = -1;
    int m_pendingHead = -1;
    QString m_pendingStack;
    bool m_useSettings;
    bool m_dialogs = true;
    std::size_t m_attentionBudget = 0;
    bool m_askedLens = false;         // the last run asked for the logit lens
    bool m_askedAttribution = false;  // and for the logit attribution
};

} // namespace attnviz
