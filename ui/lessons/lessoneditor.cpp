#include "lessons/lessoneditor.h"

#include "attention/lessonwriter.h"
#include "state/computeservice.h"
#include "engine/lessonmodel.h"
#include "lessons/lessonmatrixmodel.h"

#include <QAction>
#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSaveFile>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace attnviz {

namespace {

QStringList tokenLabels(const std::vector<std::string>& tokens)
{
    QStringList labels;
    for (const auto& t : tokens)
        labels << QString::fromStdString(t);
    return labels;
}

QStringList numbered(const QString& prefix, Index count)
{
    QStringList labels;
    for (Index i = 0; i < count; ++i)
        labels << prefix + QString::number(i);
    return labels;
}

} // namespace

LessonEditor::LessonEditor(ComputeService* service, QWidget* parent)
    : QDockWidget(tr("Lesson Editor"), parent), m_service(service), m_choice(new QComboBox), m_table(new QTableView),
      m_model(new LessonMatrixModel(this)), m_reset(new QPushButton(tr("Reset"))),
      m_save(new QPushButton(tr("Save Lesson As…"))), m_message(new QLabel), m_debounce(new QTimer(this))
{
    setObjectName(QStringLiteral("lessonEditorDock")); // for the saved window state
    auto* body = new QWidget(this);
    auto* layout = new QVBoxLayout(body);
    m_choice->setToolTip(tr("The lesson matrix to edit"));
    m_table->setModel(m_model);
    m_table->setToolTip(tr("Double-click a number to change it; every view recomputes as you edit"));
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_reset->setToolTip(tr("Go back to the lesson as it was loaded"));
    m_save->setToolTip(tr("Write the edited lesson to a new .json file"));
    m_message->setWordWrap(true);
    m_message->setTextFormat(Qt::PlainText);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_reset);
    buttons->addStretch(1);
    buttons->addWidget(m_save);
    layout->addWidget(m_choice);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_message);
    layout->addLayout(buttons);
    setWidget(body);
    m_debounce->setSingleShot(true);
    m_debounce->setInterval(150); // one recompute per burst of edits

    connect(m_service, &ComputeService::modelLoaded, this, &LessonEditor::onModelLoaded);
    connect(m_choice, &QComboBox::currentIndexChanged, this, &LessonEditor::showMatrix);
    connect(m_model, &LessonMatrixModel::valueEdited, this, &LessonEditor::onValueEdited);
    connect(m_model, &LessonMatrixModel::editRejected, this, [this](const QString& m) { showMessage(m, true); });
    connect(m_debounce, &QTimer::timeout, this, &LessonEditor::applyEdits);
    connect(m_reset, &QPushButton::clicked, this, &LessonEditor::reset);
    connect(m_save, &QPushButton::clicked, this, &LessonEditor::saveAs);
    widget()->setEnabled(false);
    toggleViewAction()->setEnabled(false);
}

QString LessonEditor::message() const
{
    return m_message->text();
}

void LessonEditor::onModelLoaded()
{
    m_debounce->stop();
    const auto* lesson = dynamic_cast<const LessonModel*>(m_service->model().get());
    m_hasLesson = lesson != nullptr;
    widget()->setEnabled(m_hasLesson);
    toggleViewAction()->setEnabled(m_hasLesson);
    if (!m_hasLesson) {
        m_reopen = m_reopen || isVisible();
        hide();
        m_original = m_current = Lesson();
        m_entries.clear();
        m_choice->clear();
        m_model->setMatrix(Matrix(), {}, {});
        return;
    }
    m_original = m_current = lesson->lesson();
    m_name = lesson->info().name;
    rebuildChoices();
    showMessage(QString(), false);
    if (m_reopen)
        show();
    m_reopen = false;
}

void LessonEditor::rebuildChoices()
{
    m_entries.clear();
    QStringList names;
    m_entries.append({Entry::Embeddings, -1});
    names << tr("Token embeddings X");
    if (m_current.crossAttention) {
        m_entries.append({Entry::SourceEmbeddings, -1});
        names << tr("Source embeddings");
    }
    for (int h = 0; h < static_cast<int>(m_current.heads.size()); ++h) {
        const QString name = QString::fromStdString(m_current.heads[static_cast<std::size_t>(h)].name);
        const QString head = name.isEmpty() ? tr("Head %1").arg(h) : tr("Head %1 (%2)").arg(h).arg(name);
        for (const auto& [kind, label] : {std::pair{Entry::Wq, "W_Q"}, {Entry::Wk, "W_K"}, {Entry::Wv, "W_V"}}) {
            m_entries.append({kind, h});
            names << tr("%1: %2").arg(head, QLatin1String(label));
        }
    }
    if (m_current.wo) {
        m_entries.append({Entry::Wo, -1});
        names << tr("Output projection W_O");
    }
    const int keep = m_choice->currentIndex();
    const QSignalBlocker blocker(m_choice);
    m_choice->clear();
    m_choice->addItems(names);
    m_choice->setCurrentIndex(keep >= 0 && keep < names.size() ? keep : 0);
    showMatrix(m_choice->currentIndex());
}

Matrix& LessonEditor::matrixOf(Lesson& lesson, const Entry& entry) const
{
    switch (entry.kind) {
    case Entry::Embeddings:
        return lesson.embeddings;
    case Entry::SourceEmbeddings:
        return lesson.sourceEmbeddings;
    case Entry::Wq:
        return lesson.heads[static_cast<std::size_t>(entry.head)].wq;
    case Entry::Wk:
        return lesson.heads[static_cast<std::size_t>(entry.head)].wk;
    case Entry::Wv:
        return lesson.heads[static_cast<std::size_t>(entry.head)].wv;
    case Entry::Wo:
        break;
    }
    return *lesson.wo;
}

void LessonEditor::showMatrix(int choice)
{
    if (choice < 0 || choice >= m_entries.size())
        return;
    const Entry& e = m_entries.at(choice);
    const Matrix& m = matrixOf(m_current, e);
    switch (e.kind) {
    case Entry::Embeddings:
        m_model->setMatrix(m, tokenLabels(m_current.tokens), numbered(QStringLiteral("d"), m.cols()));
        break;
    case Entry::SourceEmbeddings:
        m_model->setMatrix(m, tokenLabels(m_current.sourceTokens), numbered(QStringLiteral("d"), m.cols()));
        break;
    case Entry::Wq:
    case Entry::Wk:
    case Entry::Wv:
    case Entry::Wo:
        m_model->setMatrix(m, numbered(QStringLiteral("in "), m.rows()), numbered(QStringLiteral("out "), m.cols()));
        break;
    }
}

void LessonEditor::onValueEdited(int row, int column, float value)
{
    const int choice = m_choice->currentIndex();
    if (!m_hasLesson || choice < 0 || choice >= m_entries.size())
        return;
    const Entry& e = m_entries.at(choice);
    matrixOf(m_current, e)(row, column) = value;
    // Self-attention reads keys and values from the same X.
    if (e.kind == Entry::Embeddings && !m_current.crossAttention)
        m_current.sourceEmbeddings = m_current.embeddings;
    showMessage(QString(), false);
    m_debounce->start();
}

void LessonEditor::applyEdits()
{
    m_debounce->stop();
    if (m_hasLesson)
        m_service->replaceModel(std::make_shared<LessonModel>(m_current, m_name));
}

void LessonEditor::reset()
{
    if (!m_hasLesson)
        return;
    m_current = m_original;
    showMatrix(m_choice->currentIndex());
    showMessage(tr("Back to the lesson as loaded."), false);
    applyEdits();
}

void LessonEditor::saveAs()
{
    if (!m_hasLesson)
        return;
    // QFileDialog asks before replacing an existing file.
    const QString path = QFileDialog::getSaveFileName(this, tr("Save Lesson As"), QString(), tr("Lessons (*.json)"));
    if (path.isEmpty())
        return;
    QString error;
    if (saveTo(path, &error))
        showMessage(tr("Saved %1").arg(QDir::toNativeSeparators(path)), false);
    else
        showMessage(error, true);
}

bool LessonEditor::saveTo(const QString& path, QString* error) const
{
    QSaveFile file(path); // all or nothing: a failed write leaves any old file intact
    const std::string text = lessonToJson(m_current);
    if (!file.open(QIODevice::WriteOnly) || file.write(text.data(), static_cast<qint64>(text.size())) < 0 ||
        !file.commit()) {
        *error = tr("Could not save %1: %2").arg(QDir::toNativeSeparators(path), file.errorString());
        return false;
    }
    return true;
}

void LessonEditor::showMessage(const QString& text, bool error)
{
    m_message->setText(text);
    m_message->setStyleSheet(error ? QStringLiteral("color: #c0392b;") : QString());
    m_message->setVisible(!text.isEmpty());
}

} // namespace attnviz
