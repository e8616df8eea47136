#pragma once
// The top of the window: the model picker and the sentence (and, for models that take one, the
// second sentence). Emits textEdited(); the window decides when to run the model.

#include "engine/attentionmodel.h"

#include <QWidget>

#include <optional>
#include <vector>

class QLabel;
class QPlainTextEdit;

namespace attnviz {

class ModelPicker;

class InputPanel : public QWidget
{
    Q_OBJECT
public:
    explicit InputPanel(QWidget* parent = nullptr);

    ModelPicker* modelPicker() const { return m_picker; }
    QPlainTextEdit* textEdit() const { return m_text; }
    QPlainTextEdit* secondTextEdit() const { return m_second; }
    QString text() const;
    QString secondText() const;
    void setText(const QString& text);
    void setSecondText(const QString& text);
    // Shows or hides the second field and disables the text for lessons (fixed tokens).
    void setModelInfo(const ModelInfo& info);
    // Puts the fields into a request. A translator's main field is the source; its optional second
    // field is the target the decoder reads (empty = the model's own greedy translation).
    void fillRequest(RunRequest& request) const;
    // True when there is nothing to run (the model takes text and the main field is blank).
    bool isBlank() const;
    // A checkpoint without tokenizer files takes token ids typed into the text field instead.
    bool takesIds() const { return !m_info.takesText && m_info.takesIds; }
    // Why the typed input cannot run (e.g. "x" is not a token id); empty when it can.
    QString inputError() const;
    // "1 415, 2368" -> {1, 415, 2368}; nullopt (and `error` set) for anything else.
    static std::optional<std::vector<int>> parseIds(const QString& text, QString* error);
    int labelWidth() const; // so rows below can line up with this panel's labels

    // Longer pastes are cut: about 40,000 tokens of English, past a 32k context and the budget.
    static constexpr int kMaxChars = 200000;

signals:
    void textEdited();

private:
    ModelPicker* m_picker;
    QLabel* m_textLabel;
    QPlainTextEdit* m_text;
    QLabel* m_fixedTokens; // replaces the text field for lessons
    QLabel* m_secondLabel;
    QPlainTextEdit* m_second;
    ModelInfo m_info;
};

} // namespace attnviz
