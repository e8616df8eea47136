// The window's keys must work while the sentence field has the focus, on every keyboard scheme
// Qt knows (Windows under offscreen; GNOME and KDE under Xvfb, where Ctrl+D deletes a character,
// Ctrl+E goes to the line's end and Ctrl+K/U delete to the end/the whole line), without taking
// a text-editing key away from the field.
#include "shell/inputpanel.h"
#include "shell/mainwindow.h"
#include "shell/sideviewdock.h"
#include "shell/windowactions.h"
#include "views/pipeline/pipelineview.h"

#include <QAction>
#include <QApplication>
#include <QKeyEvent>
#include <QMetaEnum>
#include <QPlainTextEdit>
#include <QTest>

using namespace attnviz;

namespace {

// The keys the running scheme binds to editing text (QKeySequence::keyBindings answers for it):
// the window must leave every one of them to the sentence field.
QList<QKeySequence> textEditingKeys()
{
    using K = QKeySequence;
    QList<QKeySequence> keys;
    for (K::StandardKey k :
         {K::Delete, K::Backspace, K::DeleteStartOfWord, K::DeleteEndOfWord, K::DeleteEndOfLine,
          K::DeleteCompleteLine, K::Cut, K::Copy, K::Paste, K::Undo, K::Redo, K::SelectAll, K::Deselect,
          K::MoveToNextChar, K::MoveToPreviousChar, K::MoveToNextWord, K::MoveToPreviousWord, K::MoveToNextLine,
          K::MoveToPreviousLine, K::MoveToNextPage, K::MoveToPreviousPage, K::MoveToStartOfLine,
          K::MoveToEndOfLine, K::MoveToStartOfBlock, K::MoveToEndOfBlock, K::MoveToStartOfDocument,
          K::MoveToEndOfDocument, K::SelectNextChar, K::SelectPreviousChar, K::SelectNextWord,
          K::SelectPreviousWord, K::SelectNextLine, K::SelectPreviousLine, K::SelectNextPage,
          K::SelectPreviousPage, K::SelectStartOfLine, K::SelectEndOfLine, K::SelectStartOfBlock,
          K::SelectEndOfBlock, K::SelectStartOfDocument, K::SelectEndOfDocument, K::InsertParagraphSeparator,
          K::InsertLineSeparator})
        keys << K::keyBindings(k);
    return keys;
}

// Does the field claim this key before the window's shortcut can see it?
bool fieldClaims(QWidget* field, const QKeyCombination& key)
{
    QKeyEvent override(QEvent::ShortcutOverride, key.key(), key.keyboardModifiers());
    override.ignore();
    QCoreApplication::sendEvent(field, &override);
    return override.isAccepted();
}

// The window shown and active, the sentence field holding the keyboard focus.
bool focusTheTextField(MainWindow& window)
{
    window.setDialogsEnabled(false);
    window.show();
    if (!QTest::qWaitForWindowExposed(&window)) return false;
    window.activateWindow();
    if (!QTest::qWaitForWindowActive(&window)) return false;
    window.inputPanel()->textEdit()->setFocus();
    return true;
}

} // namespace

class TestShortcuts : public QObject
{
    Q_OBJECT
private slots:
    void runsOnTheSchemeItWasRegisteredFor()
    {
        // The Xvfb registrations must really get GNOME's or KDE's bindings, or they prove nothing.
        const QByteArray expected = qgetenv("ATTNVIZ_EXPECT_SCHEME");
        const bool x11 = QKeySequence::keyBindings(QKeySequence::Delete).contains(QKeySequence(QStringLiteral("Ctrl+D")));
        if (expected == "x11")
            QVERIFY2(x11, "the platform theme is not GNOME's or KDE's");
        else
            QVERIFY(!x11);
    }

    void noWindowKeyIsAStandardTextKey()
    {
        MainWindow window(nullptr, false);
        const QList<QKeySequence> taken = textEditingKeys();
        int checked = 0;
        for (const QAction* a : window.findChild<WindowActions*>()->menuShortcuts()) {
            for (const QKeySequence& key : a->shortcuts()) {
                QVERIFY2(!taken.contains(key), qPrintable(QStringLiteral("%1 (%2) edits text on this scheme")
                                                              .arg(key.toString(), a->text())));
                ++checked;
            }
        }
        QVERIFY(checked > 20);
    }

    void windowKeysReachTheWindowFromTheTextField()
    {
        MainWindow window(nullptr, false);
        QPlainTextEdit* edit = window.inputPanel()->textEdit();
        QVERIFY(focusTheTextField(window));
        for (const QAction* a : window.findChild<WindowActions*>()->menuShortcuts()) {
            for (const QKeySequence& key : a->shortcuts())
                QVERIFY2(!fieldClaims(edit, key[0]), qPrintable(QStringLiteral("the text field takes %1 (%2)")
                                                                    .arg(key.toString(), a->text())));
        }
        // And the one that used to be Ctrl+D, end to end: the side view opens, the text is intact.
        window.setText(QStringLiteral("The cat sat"));
        edit->moveCursor(QTextCursor::Start);
        QAction* side = window.sideViewDock()->toggleViewAction();
        const bool before = side->isChecked();
        const QKeyCombination key = side->shortcut()[0];
        QTest::keyClick(edit, key.key(), key.keyboardModifiers());
        QCOMPARE(side->isChecked(), !before);
        QCOMPARE(edit->toPlainText(), QStringLiteral("The cat sat"));
    }

    void editingKeysStayWithTheTextField()
    {
        // Every binding of "delete the next character" and "go to the line's end" on this scheme
        // (Ctrl+D and Ctrl+E among them on GNOME and KDE) edits the sentence, not the window.
        MainWindow window(nullptr, false);
        QPlainTextEdit* edit = window.inputPanel()->textEdit();
        QVERIFY(focusTheTextField(window));
        const QString sentence = QStringLiteral("The cat sat");
        for (const QKeySequence& binding : QKeySequence::keyBindings(QKeySequence::Delete)) {
            window.setText(sentence);
            edit->moveCursor(QTextCursor::Start);
            QTest::keyClick(edit, binding[0].key(), binding[0].keyboardModifiers());
            QVERIFY2(edit->toPlainText() == sentence.mid(1), qPrintable(binding.toString()));
        }
        for (const QKeySequence& binding : QKeySequence::keyBindings(QKeySequence::MoveToEndOfLine)) {
            window.setText(sentence);
            edit->moveCursor(QTextCursor::Start);
            QTest::keyClick(edit, binding[0].key(), binding[0].keyboardModifiers());
            QVERIFY2(edit->textCursor().position() == sentence.size(), qPrintable(binding.toString()));
        }
    }

    void helpListsThePipelineKeys()
    {
        MainWindow window(nullptr, false);
        const QString help = window.findChild<WindowActions*>()->shortcutsHelpText();
        for (const QString& line : PipelineView::keyHelp())
            QVERIFY2(help.contains(line), qPrintable(line));
        QVERIFY(PipelineView::keyHelp().size() >= 5);
    }
};

QTEST_MAIN(TestShortcuts)
#include "test_shortcuts.moc"
