#pragma once
// A band over the views while a recompute is under way: until the new result arrives they still
// show the previous one, which no longer matches the toggles the user just changed. It appears
// only after a short delay, so fast models (most keystrokes take under a millisecond) never flicker.

#include <QWidget>

class QTimer;

namespace attnviz {

class StaleOverlay : public QWidget
{
    Q_OBJECT
public:
    static constexpr int kDefaultDelayMs = 250;

    // Covers `covered` (follows its size); it is a child of it.
    explicit StaleOverlay(QWidget* covered);

    void setStale(bool stale); // shown after the delay while stale; hidden at once when not
    bool isStale() const { return m_stale; }
    void setDelay(int ms);     // tests use 0: shown at once

signals:
    void staleChanged(bool stale);

protected:
    void paintEvent(QPaintEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    QTimer* m_delay;
    bool m_stale = false;
};

} // namespace attnviz
