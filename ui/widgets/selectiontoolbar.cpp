#include "widgets/selectiontoolbar.h"

#include "state/selectionstate.h"

#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QSignalBlocker>
#include <QSpinBox>

#include <algorithm>

namespace attnviz {

namespace {

QSpinBox* makeSpin(const QString& prefix, const QString& tip, QWidget* parent)
{
    auto* box = new QSpinBox(parent);
    box->setPrefix(prefix);
    box->setToolTip(tip);
    box->setMinimum(0);
    box->setMaximum(0);
    box->setKeyboardTracking(false);
    return box;
}

} // namespace

SelectionToolBar::SelectionToolBar(SelectionState* selection, QWidget* parent)
    : QToolBar(tr("Selection"), parent), m_selection(selection)
{
    setObjectName(QStringLiteral("selectionToolBar"));
    setMovable(true);

    m_stack = new QComboBox(this);
    m_stack->setToolTip(
        tr("Which attention stack to show (encoder self-attention, decoder self-attention, cross-attention)"));
    m_stackAction = addWidget(m_stack);
    m_stackAction->setVisible(false);
    m_layer = makeSpin(tr("Layer "), tr("Layer shown by every view (Ctrl+Up / Ctrl+Down)"), this);
    m_head = makeSpin(tr("Head "), tr("Focused head (Alt+Up / Alt+Down)"), this);
    addWidget(m_layer);
    addWidget(m_head);
    addSeparator();

    m_mask = new QComboBox(this);
    m_mask->setToolTip(tr("Attention mask: the model's own, none (every token sees every token), causal (only earlier "
                          "tokens), padding, or custom (click heatmap cells to allow or block them)"));
    m_mask->addItem(tr("Mask: model default"), static_cast<int>(MaskOverride::ModelDefault));
    m_mask->addItem(tr("Mask: none"), static_cast<int>(MaskOverride::None));
    m_mask->addItem(tr("Mask: causal"), static_cast<int>(MaskOverride::Causal));
    m_mask->addItem(tr("Mask: padding"), static_cast<int>(MaskOverride::Padding));
    m_mask->addItem(tr("Mask: custom"), static_cast<int>(MaskOverride::Custom));
    addWidget(m_mask);
    m_scaling = new QCheckBox(tr("÷√dₖ"), this);
    m_scaling->setToolTip(tr("Divide the scores by √d_k before softmax. Switch off to see why it exists: "
                             "the weights become much peakier."));
    addWidget(m_scaling);
    addSeparator();
    m_mean = new QCheckBox(tr("Mean of heads"), this);
    m_mean->setToolTip(tr("Heatmap: the mean of the switched-on heads instead of the focused head; arcs: every "
                          "switched-on head in its colour (Ctrl+M)"));
    addWidget(m_mean);
    m_merge = new QCheckBox(tr("Merge sub-words"), this);
    m_merge->setToolTip(tr("Join sub-word pieces into words: attention to a word is the sum over its pieces, "
                           "a word's own attention the mean over its pieces"));
    addWidget(m_merge);
    m_rollout = new QCheckBox(tr("Rollout"), this);
    m_rollout->setToolTip(tr("Attention rollout (Abnar & Zuidema, 2020): how much each token draws on each "
                             "input token through layers 0 to the chosen layer. Each layer's mean over the "
                             "switched-on heads is mixed half-and-half with the residual path, then the layers "
                             "are multiplied (Ctrl+R)"));
    addWidget(m_rollout);
    m_sentenceBlock = new QComboBox(this);
    m_sentenceBlock->setToolTip(tr("Sentence pairs: the whole heatmap, or only sentence A's tokens attending to "
                                   "sentence B's (A → B), or B's to A's (B → A)"));
    m_sentenceBlock->addItem(tr("Sentences A and B"), static_cast<int>(SentenceBlock::All));
    m_sentenceBlock->addItem(tr("A → B only"), static_cast<int>(SentenceBlock::AToB));
    m_sentenceBlock->addItem(tr("B → A only"), static_cast<int>(SentenceBlock::BToA));
    m_sentenceBlockAction = addWidget(m_sentenceBlock);
    m_sentenceBlockAction->setVisible(false);
    addSeparator();
    m_colorMap = new QComboBox(this);
    m_colorMap->setToolTip(tr("Colour map. Viridis, magma and cividis are perceptually uniform; cool–warm "
                              "shows the focused head's scores before softmax (negative blue, positive red)"));
    for (ColorMapKind k : ColorMap::all())
        m_colorMap->addItem(ColorMap::displayName(k), static_cast<int>(k));
    addWidget(m_colorMap);
    m_measure = new QComboBox(this);
    m_measure->setToolTip(tr("What the cells mean. Weights: the attention weights. Value-weighted: each weight "
                             "times the size of what the head writes for that key, ‖a·f(x)‖ (Kobayashi et al. "
                             "2020), as shares of the query's row; a head can attend strongly to a token whose "
                             "value it barely passes on. With Mean of heads on and every head switched on, the "
                             "whole layer's heads together. ALTI (Ferrando et al. 2022): each token's share of a "
                             "query's attention-block output, residual and norm included, per layer (the heatmap; "
                             "with Rollout, through the layers). Attention flow (Abnar & Zuidema 2020): the "
                             "maximum flow from each input token to each token after the layer, through the "
                             "switched-on heads (short inputs)."));
    m_measure->addItem(tr("Cells: weights"), static_cast<int>(Measure::Raw));
    m_measure->addItem(tr("Cells: value-weighted"), static_cast<int>(Measure::ValueWeighted));
    m_measure->addItem(tr("Cells: ALTI"), static_cast<int>(Measure::Alti));
    m_measure->addItem(tr("Cells: attention flow"), static_cast<int>(Measure::Flow));
    addWidget(m_measure);

    connect(m_stack, &QComboBox::currentIndexChanged, selection, &SelectionState::setStack);
    connect(m_layer, &QSpinBox::valueChanged, this, [this](int v) { m_selection->setLayer(v); });
    connect(m_head, &QSpinBox::valueChanged, this, [this](int v) { m_selection->setHead(v); });
    connect(m_mask, &QComboBox::activated, this, &SelectionToolBar::maskChosen);
    connect(m_scaling, &QCheckBox::clicked, selection, &SelectionState::setScaling);
    connect(m_mean, &QCheckBox::toggled, selection, &SelectionState::setMeanOfHeads);
    connect(m_merge, &QCheckBox::toggled, selection, &SelectionState::setMergeSubwords);
    connect(m_rollout, &QCheckBox::toggled, selection, &SelectionState::setRollout);
    connect(m_colorMap, &QComboBox::activated, this, &SelectionToolBar::colorMapChosen);
    connect(m_measure, &QComboBox::activated, this, [this](int index) {
        m_selection->setMeasure(static_cast<Measure>(m_measure->itemData(index).toInt()));
    });
    connect(m_sentenceBlock, &QComboBox::activated, this, [this](int index) {
        m_selection->setSentenceBlock(static_cast<SentenceBlock>(m_sentenceBlock->itemData(index).toInt()));
    });

    for (auto signal : {&SelectionState::stackChanged, &SelectionState::layerChanged, &SelectionState::headChanged}) {
        connect(selection, signal, this, &SelectionToolBar::refresh);
    }
    connect(selection, &SelectionState::displayOptionsChanged, this, &SelectionToolBar::refresh);
    connect(selection, &SelectionState::computeInputsChanged, this, &SelectionToolBar::refresh);
    connect(selection, &SelectionState::enabledHeadsChanged, this, &SelectionToolBar::refresh);
    refresh();
}

void SelectionToolBar::setStackNames(const QStringList& names)
{
    const QSignalBlocker blocker(m_stack);
    m_stack->clear();
    m_stack->addItems(names);
    m_stack->setCurrentIndex(m_selection->stack());
    m_stackAction->setVisible(names.size() > 1);
}

void SelectionToolBar::setSentencePair(bool pair)
{
    m_sentenceBlockAction->setVisible(pair);
}

void SelectionToolBar::refresh()
{
    const QSignalBlocker b1(m_layer), b2(m_head), b3(m_mask), b4(m_scaling), b5(m_mean), b6(m_merge), b7(m_colorMap),
        b8(m_stack), b9(m_rollout), b10(m_sentenceBlock), b11(m_measure);
    // 0-based like attnviz-cli and every view; the suffix says how many there are.
    m_layer->setRange(0, std::max(0, m_selection->layerCount() - 1));
    m_layer->setSuffix(tr("  of %1").arg(m_selection->layerCount()));
    m_layer->setValue(m_selection->layer());
    m_head->setRange(0, std::max(0, m_selection->headCount() - 1));
    m_head->setSuffix(tr("  of %1").arg(m_selection->headCount()));
    m_head->setValue(m_selection->head());
    m_layer->setEnabled(m_selection->layerCount() > 0);
    m_head->setEnabled(!m_selection->meanOfHeads() && !m_selection->rollout() && m_selection->headCount() > 0);
    m_stack->setCurrentIndex(m_selection->stack());
    m_mask->setCurrentIndex(m_mask->findData(static_cast<int>(m_selection->maskMode())));
    m_scaling->setChecked(m_selection->scaling());
    m_mean->setChecked(m_selection->meanOfHeads());
    m_merge->setChecked(m_selection->mergeSubwords());
    m_rollout->setChecked(m_selection->rollout());
    m_colorMap->setCurrentIndex(m_colorMap->findData(static_cast<int>(m_selection->colorMap())));
    m_sentenceBlock->setCurrentIndex(m_sentenceBlock->findData(static_cast<int>(m_selection->sentenceBlock())));
    m_measure->setCurrentIndex(m_measure->findData(static_cast<int>(m_selection->measure())));
}

void SelectionToolBar::maskChosen(int index)
{
    m_selection->setMaskMode(static_cast<MaskOverride>(m_mask->itemData(index).toInt()));
}

void SelectionToolBar::colorMapChosen(int index)
{
    m_selection->setColorMap(static_cast<ColorMapKind>(m_colorMap->itemData(index).toInt()));
}

} // namespace attnviz
