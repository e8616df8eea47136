#include "lessons/makelessondialog.h"

#include "lessons/headsample.h"
#include "lessons/lessoneditor.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QVBoxLayout>

namespace attnviz {

namespace {

constexpr int kDefaultTokens = 6;
constexpr int kDefaultDimensions = 4;

} // namespace

MakeLessonDialog::MakeLessonDialog(HeadSample sample, QWidget* parent)
    : QDialog(parent), m_sample(std::move(sample)), m_dimensions(new QSpinBox), m_method(new QComboBox),
      m_explanation(new QLabel), m_message(new QLabel)
{
    setWindowTitle(tr("Make a Lesson from This Head"));
    auto* layout = new QVBoxLayout(this);
    auto* intro = new QLabel(tr("Layer %1, head %2 of %3: choose a few tokens and a number of dimensions. The "
                                "lesson is an approximation of the head, small enough to read.")
                                 .arg(m_sample.layer)
                                 .arg(m_sample.head)
                                 .arg(QString::fromStdString(m_sample.model)));
    intro->setWordWrap(true);
    layout->addWidget(intro);

    auto* tokenGrid = new QWidget;
    auto* grid = new QGridLayout(tokenGrid);
    for (std::size_t i = 0; i < m_sample.tokens.size(); ++i) {
        auto* box = new QCheckBox(QString::fromStdString(m_sample.tokens[i]));
        box->setChecked(static_cast<int>(i) < kDefaultTokens);
        box->setToolTip(tr("Token %1").arg(i));
        grid->addWidget(box, static_cast<int>(i) / 4, static_cast<int>(i) % 4);
        m_tokens << box;
    }
    auto* scroll = new QScrollArea;
    scroll->setWidget(tokenGrid);
    scroll->setWidgetResizable(true);
    scroll->setMaximumHeight(160);
    layout->addWidget(scroll);

    auto* form = new QFormLayout;
    m_dimensions->setRange(1, static_cast<int>(std::min<Index>(m_sample.x.cols(), LessonLimits::maxDimension)));
    m_dimensions->setValue(std::min(kDefaultDimensions, m_dimensions->maximum()));
    m_dimensions->setToolTip(tr("d_model of the lesson: the inputs are reduced to this many numbers each"));
    form->addRow(tr("Dimensions"), m_dimensions);
    m_method->addItem(tr("PCA"), int(ReductionMethod::Pca));
    m_method->addItem(tr("Largest-variance dimensions"), int(ReductionMethod::LargestVariance));
    m_method->setToolTip(tr("How the dimensions are chosen"));
    form->addRow(tr("Method"), m_method);
    layout->addLayout(form);
    m_explanation->setWordWrap(true);
    layout->addWidget(m_explanation);
    m_message->setWordWrap(true);
    m_message->setStyleSheet(QStringLiteral("color: #c0392b;"));
    m_message->hide();
    layout->addWidget(m_message);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Make Lesson"));
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, [this]() {
        if (makeLesson())
            accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_method, &QComboBox::currentIndexChanged, this, &MakeLessonDialog::updateExplanation);
    updateExplanation();
}

void MakeLessonDialog::updateExplanation()
{
    const bool pca = m_method->currentData().toInt() == int(ReductionMethod::Pca);
    m_explanation->setText(
        pca ? tr("PCA: the directions along which the chosen tokens' inputs spread most (not centred, so their mean "
                 "is kept); each lesson dimension mixes all %1 of the model's.")
                  .arg(m_sample.x.cols())
            : tr("Largest-variance dimensions: the model's own coordinates whose values differ most between the "
                 "chosen tokens, kept as they are; the others are dropped."));
}

QString MakeLessonDialog::message() const
{
    return m_message->text();
}

std::optional<Lesson> MakeLessonDialog::makeLesson()
{
    std::vector<Index> chosen;
    for (int i = 0; i < m_tokens.size(); ++i) {
        if (m_tokens.at(i)->isChecked())
            chosen.push_back(i);
    }
    try {
        Lesson l = lessonFromHead(m_sample, chosen, m_dimensions->value(),
                                  static_cast<ReductionMethod>(m_method->currentData().toInt()));
        m_message->hide();
        return l;
    } catch (const LessonError& e) {
        m_message->setText(QString::fromUtf8(e.what()));
        m_message->show();
        return std::nullopt;
    }
}

void MakeLessonDialog::run(QWidget* parent, ComputeService& service, const RunRequest& request, LessonEditor& editor)
{
    QString reason;
    std::optional<HeadSample> sample = captureHeadSample(service, request, &reason);
    if (!sample) {
        QMessageBox::information(parent, tr("Make a Lesson from This Head"), reason);
        return;
    }
    if (!editor.confirmLeave())
        return;
    MakeLessonDialog dialog(std::move(*sample), parent);
    if (dialog.exec() != QDialog::Accepted)
        return;
    if (std::optional<Lesson> lesson = dialog.makeLesson())
        editor.install(*lesson, true); // made, not saved: closing asks
}

} // namespace attnviz
