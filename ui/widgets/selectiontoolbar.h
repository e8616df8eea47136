#pragma once
// The controls every view shares: stack, layer, head, mask mode, √d_k scaling, mean of heads,
// merge sub-words, colour map and a sentence pair's block, bound both ways to SelectionState.

#include <QToolBar>

class QCheckBox;
class QComboBox;
class QSpinBox;
class QLabel;

namespace attnviz {

class SelectionState;

class SelectionToolBar : public QToolBar
{
    Q_OBJECT
public:
    explicit SelectionToolBar(SelectionState* selection, QWidget* parent = nullptr);
    // Re-reads counts and choices (after a new result).
    void refresh();
    // Stack names of the current result ("encoder", "decoder", "cross"); hidden when only one.
    void setStackNames(const QStringList& names);
    // Whether the result is a sentence pair: the A → B / B → A choice is shown only then.
    void setSentencePair(bool pair);

    QSpinBox* layerBox() const { return m_layer; }
    QSpinBox* headBox() const { return m_head; }
    QComboBox* maskBox() const { return m_mask; }
    QCheckBox* scalingBox() const { return m_scaling; }
    QCheckBox* meanBox() const { return m_mean; }
    QCheckBox* mergeBox() const { return m_merge; }
    QCheckBox* rolloutBox() const { return m_rollout; }
    QComboBox* colorMapBox() const { return m_colorMap; }
    QComboBox* measureBox() const { return m_measure; }
    QComboBox* sentenceBlockBox() const { return m_sentenceBlock; }

private:
    void maskChosen(int index);
    void colorMapChosen(int index);

    SelectionState* m_selection;
    QComboBox* m_stack = nullptr;
    QAction* m_stackAction = nullptr;
    QSpinBox* m_layer = nullptr;
    QSpinBox* m_head = nullptr;
    QComboBox* m_mask = nullptr;
    QCheckBox* m_scaling = nullptr;
    QCheckBox* m_mean = nullptr;
    QCheckBox* m_merge = nullptr;
    QCheckBox* m_rollout = nullptr;
    QComboBox* m_colorMap = nullptr;
    QComboBox* m_measure = nullptr;
    QComboBox* m_sentenceBlock = nullptr;
    QAction* m_sentenceBlockAction = nullptr;
};

} // namespace attnviz
