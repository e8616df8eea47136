#include "shell/inputpanel.h"

#include "shell/modelpicker.h"

#include <QFontMetrics>
#include <QGridLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QRegularExpression>
#include <QSignalBlocker>

#include <algorithm>

namespace attnviz {

namespace {

QPlainTextEdit* makeEditor(QWidget* parent, int lines)
{
    auto* edit = new QPlainTextEdit(parent);
    edit->setTabChangesFocus(true);
    edit->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    const int lineHeight = QFontMetrics(edit->font()).lineSpacing();
    edit->setFixedHeight(lineHeight * lines + 2 * static_cast<int>(edit->document()->documentMargin()) + 4);
    return edit;
}

QString limited(const QString& text)
{
    return text.size() > InputPanel::kMaxChars ? text.left(InputPanel::kMaxChars) : text;
}

} // namespace

InputPanel::InputPanel(QWidget* parent) : QWidget(parent)
{
    auto* grid = new QGridLayout(this);
    grid->setContentsMargins(8, 8, 8, 4);
    grid->setHorizontalSpacing(8);
    grid->setVerticalSpacing(6);

    m_picker = new ModelPicker(this);
    auto* modelLabel = new QLabel(tr("&Model"), this);
    modelLabel->setBuddy(m_picker);
    grid->addWidget(modelLabel, 0, 0);
    grid->addWidget(m_picker, 0, 1, Qt::AlignLeft);

    m_text = makeEditor(this, 2);
    m_text->setPlaceholderText(tr("Type a sentence… attention updates as you type"));
    m_text->setToolTip(tr("The input sentence. Any text works: emoji, right-to-left scripts, long pastes "
                          "(cut at %1 characters)")
                           .arg(kMaxChars));
    m_textLabel = new QLabel(tr("&Text"), this);
    m_textLabel->setBuddy(m_text);
    grid->addWidget(m_textLabel, 1, 0, Qt::AlignTop | Qt::AlignLeft);
    grid->addWidget(m_text, 1, 1);
    m_fixedTokens = new QLabel(tr("This lesson has fixed tokens and hand-made matrices. Pick a built-in model "
                                  "to type your own text."),
                               this);
    m_fixedTokens->setWordWrap(true);
    m_fixedTokens->setEnabled(false);
    m_fixedTokens->hide();
    grid->addWidget(m_fixedTokens, 1, 1);

    m_second = makeEditor(this, 1);
    m_secondLabel = new QLabel(tr("Sentence &B"), this);
    m_secondLabel->setBuddy(m_second);
    grid->addWidget(m_secondLabel, 2, 0, Qt::AlignTop | Qt::AlignLeft);
    grid->addWidget(m_second, 2, 1);
    m_second->hide();
    m_secondLabel->hide();
    grid->setColumnStretch(1, 1);
    grid->setColumnMinimumWidth(0, labelWidth());

    connect(m_text, &QPlainTextEdit::textChanged, this, &InputPanel::textEdited);
    connect(m_second, &QPlainTextEdit::textChanged, this, &InputPanel::textEdited);
}

QString InputPanel::text() const
{
    return limited(m_text->toPlainText());
}

QString InputPanel::secondText() const
{
    return !m_second->isHidden() ? limited(m_second->toPlainText()) : QString();
}

void InputPanel::setText(const QString& text)
{
    if (text == m_text->toPlainText())
        return;
    m_text->setPlainText(text);
}

void InputPanel::setSecondText(const QString& text)
{
    if (text == m_second->toPlainText())
        return;
    m_second->setPlainText(text);
}

std::optional<std::vector<int>> InputPanel::parseIds(const QString& text, QString* error)
{
    std::vector<int> ids;
    const QStringList words = text.split(QRegularExpression(QStringLiteral("[\\s,]+")), Qt::SkipEmptyParts);
    for (const QString& word : words) {
        bool ok = false;
        const int id = word.toInt(&ok);
        if (!ok || id < 0) {
            if (error != nullptr)
                *error = tr("\u201c%1\u201d is not a token id: type ids from 0, separated by spaces or commas")
                             .arg(word.left(40));
            return std::nullopt;
        }
        ids.push_back(id);
    }
    return ids;
}

QString InputPanel::inputError() const
{
    QString error;
    if (takesIds())
        parseIds(text(), &error);
    return error;
}

void InputPanel::fillRequest(RunRequest& request) const
{
    if (takesIds()) {
        request.ids = parseIds(text(), nullptr).value_or(std::vector<int>());
        return;
    }
    fillTypedText(request, m_info, text().toStdString(), secondText().toStdString());
}

bool InputPanel::isBlank() const
{
    return (m_info.takesText || takesIds()) && text().trimmed().isEmpty();
}

int InputPanel::labelWidth() const
{
    return std::max({m_textLabel->sizeHint().width(), m_secondLabel->sizeHint().width(),
                     fontMetrics().horizontalAdvance(tr("Tokens")), fontMetrics().horizontalAdvance(tr("Model")),
                     fontMetrics().horizontalAdvance(tr("Token ids"))});
}

void InputPanel::setModelInfo(const ModelInfo& info)
{
    const bool ids = !info.takesText && info.takesIds;
    m_text->setVisible(info.takesText || ids);
    m_fixedTokens->setVisible(!info.takesText && !ids);
    m_fixedTokens->setText(info.recorded ? tr("An attention file: its tokens and maps were computed elsewhere. Open a "
                                              "model to type your own text.")
                                         : tr("This lesson has fixed tokens and hand-made matrices. Pick a built-in "
                                              "model to type your own text."));
    m_info = info;
    const bool seq2seq = info.encoderDecoder;
    m_textLabel->setText(ids ? tr("Token &ids") : (seq2seq ? tr("&Source") : tr("&Text")));
    m_text->setPlaceholderText(ids ? tr("This model has no tokenizer files: type token ids, e.g. 1 415 2368")
                                   : tr("Type a sentence… attention updates as you type"));
    m_secondLabel->setText(seq2seq ? tr("T&arget") : tr("Sentence &B"));
    m_second->setPlaceholderText(seq2seq
                                     ? tr("Optional: the translation the decoder reads (empty = the model translates)")
                                     : tr("Optional second sentence (segment B)"));
    m_second->setToolTip(seq2seq ? tr("Type a translation to see how the decoder attends to it and to the source")
                                 : tr("BERT's sentence B: [CLS] A [SEP] B [SEP]"));
    m_second->setVisible(info.takesSecondText);
    m_secondLabel->setVisible(info.takesSecondText);
}

} // namespace attnviz
