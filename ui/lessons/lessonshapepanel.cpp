#include "lessons/lessonshapepanel.h"

#include "attention/lessonedit.h"
#include "lessons/lessondocument.h"
#include "lessons/lessontokenmodel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QTableView>
#include <QVBoxLayout>

namespace attnviz {

namespace {

// The widget's own range is the loader's bound, so a typed size can never be one it refuses.
QSpinBox* sizeBox(const QString& tip)
{
    auto* box = new QSpinBox;
    box->setRange(1, static_cast<int>(LessonLimits::maxDimension));
    box->setKeyboardTracking(false); // typing "12" must not shrink to 1 on the way
    box->setToolTip(tip);
    return box;
}

int currentRow(const QTableView* view, int fallback)
{
    const QModelIndex i = view->currentIndex();
    return i.isValid() ? i.row() : fallback;
}

} // namespace

LessonShapePanel::LessonShapePanel(LessonDocument* document, QWidget* parent)
    : QWidget(parent), m_document(document), m_tokenModel(new LessonTokenModel(this)),
      m_sourceModel(new LessonTokenModel(this)), m_title(new QLineEdit),
      m_dModel(sizeBox(tr("d_model: the length of every embedding (columns of X, rows of each W)"))),
      m_head(new QComboBox), m_dk(sizeBox(tr("d_k of this head: columns of its W_Q and W_K"))),
      m_removeHead(new QPushButton(tr("Remove"))),
      m_dv(sizeBox(tr("d_v: columns of every head's W_V (one d_v for all heads)"))), m_wo(new QCheckBox(tr("W_O"))),
      m_dOut(sizeBox(tr("d_out: columns of W_O"))), m_source(new QGroupBox(tr("Source sequence (cross-attention)"))),
      m_mask(new QComboBox), m_scale(new QCheckBox(tr("÷ √d_k")))
{
    auto* form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_title->setToolTip(tr("The lesson's title, shown in the model list and saved in the file"));
    form->addRow(tr("Title"), m_title);
    form->addRow(tr("Tokens"),
                 tokenTable(
                     m_tokenModel, &m_tokenView, [this]() { addToken(); }, [this]() { removeToken(); }, tr("token")));
    form->addRow(tr("d_model"), m_dModel);

    auto* heads = new QHBoxLayout;
    m_head->setToolTip(tr("The head whose d_k is shown; Remove removes it with its matrices"));
    auto* add = new QPushButton(tr("Add"));
    add->setToolTip(tr("Add a head (its matrices start at 0, with the last head's d_k)"));
    m_removeHead->setToolTip(tr("Remove the chosen head and its matrices (and its rows of W_O)"));
    heads->addWidget(m_head, 1);
    heads->addWidget(new QLabel(tr("d_k")));
    heads->addWidget(m_dk);
    heads->addWidget(add);
    heads->addWidget(m_removeHead);
    form->addRow(tr("Head"), heads);
    form->addRow(tr("d_v"), m_dv);
    auto* output = new QHBoxLayout;
    m_wo->setToolTip(tr("An output projection W_O after the concatenated heads"));
    output->addWidget(m_wo);
    output->addWidget(new QLabel(tr("d_out")));
    output->addWidget(m_dOut, 1);
    form->addRow(tr("Output"), output);
    m_mask->addItem(tr("None: every query sees every key"), int(MaskKind::None));
    m_mask->addItem(tr("Causal: no looking ahead"), int(MaskKind::Causal));
    m_mask->addItem(tr("Custom: the cells of the mask table"), int(MaskKind::Custom));
    m_mask->setToolTip(tr("Which keys each query may attend to; edit custom cells under Numbers → Mask"));
    form->addRow(tr("Mask"), m_mask);
    m_scale->setToolTip(tr("Divide the scores by √d_k before the softmax"));
    form->addRow(tr("Scaling"), m_scale);

    m_source->setCheckable(true);
    m_source->setToolTip(tr("Keys and values come from a second sequence (e.g. the sentence being translated)"));
    auto* sourceLayout = new QVBoxLayout(m_source);
    m_sourceTable = tokenTable(
        m_sourceModel, &m_sourceView, [this]() { addSourceToken(); }, [this]() { removeSourceToken(); },
        tr("source token"));
    sourceLayout->addWidget(m_sourceTable);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_source);
    layout->addStretch(1);

    connect(m_document, &LessonDocument::changed, this, [this](bool shapeChanged) {
        if (shapeChanged) // a typed number changes no control here
            refresh();
    });
    connect(m_document, &LessonDocument::loaded, this, &LessonShapePanel::refresh);
    connect(m_title, &QLineEdit::editingFinished, this, [this]() {
        const std::string title = m_title->text().toStdString();
        if (title != m_document->lesson().title)
            apply([title](Lesson& l) { l.title = title; });
    });
    connect(m_tokenModel, &LessonTokenModel::renameRequested, this, [this](int row, const QString& name) {
        apply([row, name](Lesson& l) { renameToken(l, LessonSide::Queries, row, name.toStdString()); });
    });
    connect(m_sourceModel, &LessonTokenModel::renameRequested, this, [this](int row, const QString& name) {
        apply([row, name](Lesson& l) { renameToken(l, LessonSide::Source, row, name.toStdString()); });
    });
    connect(m_dModel, &QSpinBox::valueChanged, this,
            [this](int d) { apply([d](Lesson& l) { setModelDimension(l, d); }); });
    connect(m_head, &QComboBox::currentIndexChanged, this, &LessonShapePanel::refresh);
    connect(m_dk, &QSpinBox::valueChanged, this, [this](int d) {
        const int head = m_head->currentIndex();
        apply([head, d](Lesson& l) { setKeyDimension(l, head, d); });
    });
    connect(add, &QPushButton::clicked, this, &LessonShapePanel::addHead);
    connect(m_removeHead, &QPushButton::clicked, this, &LessonShapePanel::removeHead);
    connect(m_dv, &QSpinBox::valueChanged, this, [this](int d) { apply([d](Lesson& l) { setValueDimension(l, d); }); });
    connect(m_wo, &QCheckBox::toggled, this,
            [this](bool on) { apply([on](Lesson& l) { setOutputProjection(l, on); }); });
    connect(m_dOut, &QSpinBox::valueChanged, this,
            [this](int d) { apply([d](Lesson& l) { setOutputDimension(l, d); }); });
    connect(m_source, &QGroupBox::toggled, this,
            [this](bool on) { apply([on](Lesson& l) { setCrossAttention(l, on); }); });
    connect(m_mask, &QComboBox::currentIndexChanged, this, [this]() {
        const auto kind = static_cast<MaskKind>(m_mask->currentData().toInt());
        apply([kind](Lesson& l) { setMaskKind(l, kind); });
    });
    connect(m_scale, &QCheckBox::toggled, this, [this](bool on) { apply([on](Lesson& l) { l.scale = on; }); });
    refresh();
}

QWidget* LessonShapePanel::tokenTable(LessonTokenModel* model, QTableView** view, const std::function<void()>& add,
                                      const std::function<void()>& remove, const QString& what)
{
    auto* box = new QWidget;
    auto* row = new QHBoxLayout(box);
    row->setContentsMargins(0, 0, 0, 0);
    *view = new QTableView;
    (*view)->setModel(model);
    (*view)->horizontalHeader()->setStretchLastSection(true);
    (*view)->horizontalHeader()->hide();
    (*view)->verticalHeader()->setDefaultSectionSize((*view)->fontMetrics().height() + 8);
    (*view)->setMinimumHeight((*view)->verticalHeader()->defaultSectionSize() * 3 + 4);
    (*view)->setMaximumHeight((*view)->verticalHeader()->defaultSectionSize() * 5 + 4);
    (*view)->setToolTip(tr("Double-click a %1 to rename it").arg(what));
    auto* buttons = new QVBoxLayout;
    auto* plus = new QPushButton(tr("Add"));
    plus->setToolTip(tr("Add a %1 after the current one (its embedding starts at 0)").arg(what));
    auto* minus = new QPushButton(tr("Remove"));
    minus->setToolTip(tr("Remove the current %1 with its row of the embeddings").arg(what));
    buttons->addWidget(plus);
    buttons->addWidget(minus);
    buttons->addStretch(1);
    row->addWidget(*view, 1);
    row->addLayout(buttons);
    connect(plus, &QPushButton::clicked, this, add);
    connect(minus, &QPushButton::clicked, this, remove);
    return box;
}

void LessonShapePanel::apply(const std::function<void(Lesson&)>& change)
{
    const QString reason = m_document->edit(change);
    if (!reason.isEmpty()) {
        refresh(); // the controls go back to the lesson as it still is
        emit refused(reason);
    }
}

void LessonShapePanel::addToken()
{
    const int at = currentRow(m_tokenView, static_cast<int>(m_document->lesson().tokens.size()) - 1) + 1;
    const std::string name = "token " + std::to_string(m_document->lesson().tokens.size() + 1);
    apply([at, name](Lesson& l) { insertToken(l, LessonSide::Queries, at, name); });
    m_tokenView->setCurrentIndex(m_tokenModel->index(at, 0));
}

void LessonShapePanel::removeToken()
{
    const int at = currentRow(m_tokenView, static_cast<int>(m_document->lesson().tokens.size()) - 1);
    apply([at](Lesson& l) { attnviz::removeToken(l, LessonSide::Queries, at); });
}

void LessonShapePanel::addSourceToken()
{
    const int at = currentRow(m_sourceView, static_cast<int>(m_document->lesson().sourceTokens.size()) - 1) + 1;
    const std::string name = "source " + std::to_string(m_document->lesson().sourceTokens.size() + 1);
    apply([at, name](Lesson& l) { insertToken(l, LessonSide::Source, at, name); });
    m_sourceView->setCurrentIndex(m_sourceModel->index(at, 0));
}

void LessonShapePanel::removeSourceToken()
{
    const int at = currentRow(m_sourceView, static_cast<int>(m_document->lesson().sourceTokens.size()) - 1);
    apply([at](Lesson& l) { attnviz::removeToken(l, LessonSide::Source, at); });
}

void LessonShapePanel::addHead()
{
    apply([](Lesson& l) { attnviz::addHead(l); });
    m_head->setCurrentIndex(m_head->count() - 1);
}

void LessonShapePanel::removeHead()
{
    const int head = m_head->currentIndex();
    apply([head](Lesson& l) { attnviz::removeHead(l, head); });
}

void LessonShapePanel::refresh()
{
    const Lesson& l = m_document->lesson();
    const QSignalBlocker blockers[] = {QSignalBlocker(m_title), QSignalBlocker(m_dModel), QSignalBlocker(m_head),
                                       QSignalBlocker(m_dk),    QSignalBlocker(m_dv),     QSignalBlocker(m_wo),
                                       QSignalBlocker(m_dOut),  QSignalBlocker(m_source), QSignalBlocker(m_mask),
                                       QSignalBlocker(m_scale)};
    if (m_title->text().toStdString() != l.title)
        m_title->setText(QString::fromStdString(l.title));
    m_tokenModel->setTokens(l.tokens);
    m_sourceModel->setTokens(l.crossAttention ? l.sourceTokens : std::vector<std::string>());
    m_dModel->setValue(static_cast<int>(l.embeddings.cols()));
    const int head = std::clamp(m_head->currentIndex(), 0, std::max(0, static_cast<int>(l.heads.size()) - 1));
    m_head->clear();
    for (std::size_t h = 0; h < l.heads.size(); ++h) {
        const QString name = QString::fromStdString(l.heads[h].name);
        m_head->addItem(name.isEmpty() ? tr("Head %1").arg(h) : tr("Head %1 (%2)").arg(h).arg(name));
    }
    m_head->setCurrentIndex(head);
    const bool any = !l.heads.empty();
    m_dk->setValue(any ? static_cast<int>(l.heads[std::size_t(head)].wq.cols()) : 1);
    m_dv->setValue(any ? static_cast<int>(l.heads.front().wv.cols()) : 1);
    m_removeHead->setEnabled(l.heads.size() > 1);
    m_wo->setChecked(l.wo.has_value());
    m_dOut->setEnabled(l.wo.has_value());
    m_dOut->setValue(l.wo ? static_cast<int>(l.wo->cols()) : static_cast<int>(l.embeddings.cols()));
    m_source->setChecked(l.crossAttention);
    m_sourceTable->setVisible(l.crossAttention); // an empty table would only take room
    const MaskKind kind = l.mask.kind == MaskKind::Padding ? MaskKind::Custom : l.mask.kind;
    m_mask->setCurrentIndex(m_mask->findData(int(kind)));
    m_scale->setChecked(l.scale);
}

} // namespace attnviz
