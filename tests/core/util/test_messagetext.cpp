// quotedForMessage / escapedForMessage: file content quoted in messages stays one harmless line.
#include "util/messagetext.h"

#include <QTest>

using namespace attnviz;

class TestMessageText : public QObject
{
    Q_OBJECT
private slots:
    void escapes_data();
    void escapes();
    void boundsTheLength();
};

void TestMessageText::escapes_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("plain") << QByteArray("gpt2") << QByteArray("\"gpt2\"");
    QTest::newRow("ESC sequence") << QByteArray("\x1b[31mred") << QByteArray("\"\\x1b[31mred\"");
    QTest::newRow("newline") << QByteArray("a\nb\r\tc") << QByteArray("\"a\\nb\\r\\tc\"");
    QTest::newRow("NUL") << QByteArray("a\0b", 3) << QByteArray("\"a\\x00b\"");
    QTest::newRow("quote and backslash") << QByteArray("a\"b\\") << QByteArray("\"a\\\"b\\\\\"");
    QTest::newRow("DEL") << QByteArray("\x7f") << QByteArray("\"\\x7f\"");
    QTest::newRow("valid UTF-8 kept") << QByteArray("é▁😀") << QByteArray("\"é▁😀\"");
    QTest::newRow("C1 CSI escaped") << QByteArray("\xc2\x9b") << QByteArray("\"\\xc2\\x9b\"");
    QTest::newRow("lone continuation") << QByteArray("\x80z") << QByteArray("\"\\x80z\"");
    QTest::newRow("overlong") << QByteArray("\xc0\xaf") << QByteArray("\"\\xc0\\xaf\"");
    QTest::newRow("surrogate") << QByteArray("\xed\xa0\x80") << QByteArray("\"\\xed\\xa0\\x80\"");
    QTest::newRow("truncated sequence") << QByteArray("\xe2\x96") << QByteArray("\"\\xe2\\x96\"");
    QTest::newRow("above U+10FFFF") << QByteArray("\xf4\x90\x80\x80")
                                    << QByteArray("\"\\xf4\\x90\\x80\\x80\"");
}

void TestMessageText::escapes()
{
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, expected);
    const std::string out = quotedForMessage(std::string_view(input.constData(), std::size_t(input.size())));
    QCOMPARE(QByteArray::fromStdString(out), expected);
    for (const char c : out)
        QVERIFY(static_cast<unsigned char>(c) >= 0x20 && c != 0x7f);
}

void TestMessageText::boundsTheLength()
{
    const std::string longText(10000, 'a');
    QCOMPARE(quotedForMessage(longText, 10), std::string("\"aaaaaaaaaa…\""));
    QCOMPARE(escapedForMessage("abc", 3), std::string("abc"));
    // The cut never splits a UTF-8 character: "é" is two bytes and does not fit in the third.
    QCOMPARE(escapedForMessage("aaé", 3), std::string("aa…"));
    QVERIFY(escapedForMessage(longText).size() < 300);
}

QTEST_APPLESS_MAIN(TestMessageText)
#include "test_messagetext.moc"
