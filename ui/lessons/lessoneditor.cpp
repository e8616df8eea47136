#include "lessons/lessoneditor.h"

#include "engine/lessonmodel.h"
#include "lessons/lessondocument.h"
#include "lessons/lessonfileactions.h"
#include "lessons/lessonmaskmodel.h"
#include "lessons/lessonmatrixlist.h"
#include "lessons/lessonmatrixmodel.h"
#include "lessons/lessonshapepanel.h"
#include "state/computeservice.h"

#include "attention/lessonedit.h" // setMaskCell

#include <QComboBox>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace attnviz {

namespace {

QWidget* scrolled(QWidget* content)
{
    auto* scroll = new QScrollArea;
    scroll->setWidget(content);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    return scroll;
}

} // namespace

LessonEditor::LessonEditor(ComputeService* service, QWidget* parent)
    : QDockWidget(tr("Lesson Editor"), parent), m_service(service), m_document(new LessonDocument(this)),
      m_shape(new LessonShapePanel(m_document)), m_tabs(new QTabWidget), m_description(new QLabel),
      m_choice(new QComboBox), m_table(new QTableView), m_model(new LessonMatrixModel(this)),
      m_maskModel(new LessonMaskModel(this)), m_reset(new QPushButton(tr("Reset"))), m_message(new QLabel),
      m_debounce(new QTimer(this))
{
    setObjectName(QStringLiteral("lessonEditorDock")); // for the saved window state
    m_files = new LessonFileActions(this, service);
    auto* body = new QWidget(this);
    auto* layout = new QVBoxLayout(body);

    // The file commands as buttons too, so the dock works on its own (e.g. beside presentation).
    auto* fileRow = new QHBoxLayout;
    for (QAction* a : m_files->actions()) {
        auto* button = new QToolButton;
        button->setDefaultAction(a);
        button->setToolButtonStyle(Qt::ToolButtonTextOnly);
        fileRow->addWidget(button);
    }
    fileRow->addStretch(1);
    layout->addLayout(fileRow);
    m_description->setWordWrap(true);
    m_description->setTextFormat(Qt::PlainText);
    m_description->hide();
    layout->addWidget(m_description);

    auto* numbers = new QWidget;
    auto* numbersLayout = new QVBoxLayout(numbers);
    numbersLayout->setContentsMargins(0, 4, 0, 0);
    m_choice->setToolTip(tr("The lesson matrix to edit, or the mask's cells"));
    m_table->setModel(m_model);
    m_table->setToolTip(tr("Type a number into a cell (or double-click it); every view recomputes as you edit"));
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    numbersLayout->addWidget(m_choice);
    numbersLayout->addWidget(m_table, 1);
    m_tabs->addTab(scrolled(m_shape), tr("Shape"));
    m_tabs->addTab(numbers, tr("Numbers"));
    m_tabs->setTabToolTip(0, tr("Tokens, sizes, heads, W_O, a source sequence, the mask and ÷√d_k"));
    m_tabs->setTabToolTip(1, tr("The numbers of X, each head's W_Q, W_K, W_V, W_O and the mask cells"));
    layout->addWidget(m_tabs, 1);

    m_reset->setToolTip(tr("Go back to the lesson as it was loaded or last saved"));
    m_message->setWordWrap(true);
    m_message->setTextFormat(Qt::PlainText);
    m_message->hide();
    layout->addWidget(m_message);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_reset);
    buttons->addStretch(1);
    layout->addLayout(buttons);
    setWidget(body);
    m_debounce->setSingleShot(true);
    m_debounce->setInterval(150); // one recompute per burst of edits

    connect(m_service, &ComputeService::modelLoaded, this, &LessonEditor::onModelLoaded);
    connect(m_choice, &QComboBox::currentIndexChanged, this, &LessonEditor::showMatrix);
    connect(m_model, &LessonMatrixModel::valueEdited, this, &LessonEditor::onValueEdited);
    connect(m_model, &LessonMatrixModel::editRejected, this, [this](const QString& m) { showMessage(m, true); });
    connect(m_maskModel, &LessonMaskModel::cellToggled, this, [this](int query, int key, bool allowed) {
        const QString reason = m_document->edit([=](Lesson& l) { setMaskCell(l, query, key, allowed); });
        if (!reason.isEmpty())
            showMessage(reason, true);
    });
    connect(m_shape, &LessonShapePanel::refused, this, [this](const QString& m) { showMessage(m, true); });
    connect(m_document, &LessonDocument::changed, this, &LessonEditor::onChanged);
    connect(m_document, &LessonDocument::modifiedChanged, this, &LessonEditor::updateTitle);
    connect(m_debounce, &QTimer::timeout, this, &LessonEditor::applyEdits);
    connect(m_reset, &QPushButton::clicked, this, &LessonEditor::reset);
    // Without a lesson only the file buttons work (New, Open).
    m_tabs->setEnabled(false);
    m_reset->setEnabled(false);
}

const Lesson& LessonEditor::lesson() const
{
    return m_document->lesson();
}

const Lesson& LessonEditor::originalLesson() const
{
    return m_document->saved();
}

QString LessonEditor::message() const
{
    return m_message->text();
}

void LessonEditor::install(const Lesson& lesson, bool modified)
{
    m_installing = true;
    m_installModified = modified;
    const std::string name = lesson.title.empty() ? tr("New lesson").toStdString() : lesson.title;
    m_service->setModel(std::make_shared<LessonModel>(lesson, name), QString()); // loads at once
    m_installing = false;
    show();
    raise();
}

bool LessonEditor::confirmLeave()
{
    return m_files->confirmLeave();
}

void LessonEditor::onModelLoaded()
{
    m_debounce->stop();
    const auto* lesson = dynamic_cast<const LessonModel*>(m_service->model().get());
    m_hasLesson = lesson != nullptr;
    m_tabs->setEnabled(m_hasLesson);
    m_reset->setEnabled(m_hasLesson);
    if (!m_hasLesson) {
        m_reopen = m_reopen || isVisible();
        hide();
        m_document->load(Lesson(), QString());
        m_entries.clear();
        m_choice->clear();
        m_model->setMatrix(Matrix(), {}, {});
        updateTitle();
        return;
    }
    // A lesson from a file can be saved back to it; a built-in one (lesson:NAME) or a new one asks.
    const QString spec = m_service->modelSpec();
    const bool file = !spec.startsWith(QLatin1String("lesson:")) && QFileInfo(spec).isFile();
    m_name = lesson->info().name;
    m_document->load(lesson->lesson(), file ? spec : QString(), m_installing && m_installModified);
    rebuildChoices();
    showMessage(QString(), false);
    updateTitle();
    if (m_reopen)
        show();
    m_reopen = false;
}

void LessonEditor::onChanged(bool shapeChanged)
{
    if (shapeChanged) {
        rebuildChoices();
        showMessage(QString(), false);
    }
    m_debounce->start();
}

void LessonEditor::updateTitle()
{
    const Lesson& l = m_document->lesson();
    m_description->setText(QString::fromStdString(l.description));
    m_description->setVisible(m_hasLesson && !l.description.empty());
    if (!m_hasLesson) {
        setWindowTitle(tr("Lesson Editor"));
        return;
    }
    // The dot is the usual "unsaved" mark; the word says it to those who do not know the dot.
    setWindowTitle(m_document->isModified() ? tr("Lesson Editor — %1 • modified").arg(m_document->displayName())
                                            : tr("Lesson Editor — %1").arg(m_document->displayName()));
}

bool LessonEditor::choose(const QString& matrixName)
{
    const int i = m_choice->findText(matrixName, Qt::MatchContains);
    if (i >= 0)
        m_choice->setCurrentIndex(i);
    return i >= 0;
}

void LessonEditor::rebuildChoices()
{
    m_entries = lessonMatrices(m_document->lesson());
    QStringList names;
    for (const LessonMatrixEntry& e : m_entries)
        names << e.name;
    const QString keep = m_choice->currentText(); // the same matrix stays chosen when others come or go
    const QSignalBlocker blocker(m_choice);
    m_choice->clear();
    m_choice->addItems(names);
    const int again = names.indexOf(keep);
    m_choice->setCurrentIndex(again >= 0 ? again : 0);
    showMatrix(m_choice->currentIndex());
}

void LessonEditor::showMatrix(int choice)
{
    if (choice < 0 || choice >= m_entries.size())
        return;
    const Lesson& l = m_document->lesson();
    const LessonMatrixEntry& e = m_entries.at(choice);
    if (e.kind == LessonMatrixEntry::Mask) {
        const auto queries = static_cast<Index>(l.tokens.size());
        const auto keys = static_cast<Index>(l.sourceTokens.size());
        m_maskModel->setMask(buildMask(l.mask, queries, keys), rowLabelsOf(l, e), columnLabelsOf(l, e));
        m_table->setModel(m_maskModel);
        m_table->setToolTip(tr("Click a box to forbid or allow a query (row) to attend to a key (column); the mask "
                               "becomes custom"));
        return;
    }
    m_model->setMatrix(matrixOf(l, e), rowLabelsOf(l, e), columnLabelsOf(l, e));
    m_table->setModel(m_model);
    m_table->setToolTip(tr("Type a number into a cell (or double-click it); every view recomputes as you edit"));
}

void LessonEditor::onValueEdited(int row, int column, float value)
{
    const int choice = m_choice->currentIndex();
    if (!m_hasLesson || choice < 0 || choice >= m_entries.size())
        return;
    const LessonMatrixEntry e = m_entries.at(choice);
    m_document->setValue([e](Lesson& l) -> Matrix& { return matrixOf(l, e); }, row, column, value);
    showMessage(QString(), false);
}

void LessonEditor::applyEdits()
{
    m_debounce->stop();
    if (m_hasLesson)
        m_service->replaceModel(std::make_shared<LessonModel>(m_document->lesson(), m_name));
}

void LessonEditor::reset()
{
    if (!m_hasLesson)
        return;
    m_document->revert();
    showMessage(tr("Back to the lesson as loaded."), false);
    applyEdits();
}

void LessonEditor::saveAs()
{
    m_files->saveAs();
}

bool LessonEditor::saveTo(const QString& path, QString* error)
{
    const bool ok = m_files->saveTo(path);
    if (!ok && error != nullptr)
        *error = message();
    return ok;
}

void LessonEditor::showMessage(const QString& text, bool error)
{
    m_message->setText(text);
    m_message->setStyleSheet(error ? QStringLiteral("color: #c0392b;") : QString());
    m_message->setVisible(!text.isEmpty());
}

} // namespace attnviz
