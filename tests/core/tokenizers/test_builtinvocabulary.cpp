// The 16k vocabulary of the built-in translator (tools/train/vocab.py), loaded from the folder it
// ships in through the core's normal loader: at least 97% of the 2,000 most frequent corpus words
// (tests/data/vocab/top2000_words.txt, written by vocab.py) are one token with a leading space, and
// the app's default sentence tokenises into whole words and punctuation.
#include "tokenizers/tokenizer.h"

#include <QTest>

#include <fstream>

using namespace attnviz;

namespace {

const std::string Folder = ATTNVIZ_RESOURCES "/models/translator";

std::vector<std::string> wordList()
{
    std::ifstream in(ATTNVIZ_TEST_DATA "/vocab/top2000_words.txt");
    std::vector<std::string> words;
    for (std::string line; std::getline(in, line);) {
        if (!line.empty())
            words.push_back(line);
    }
    return words;
}

std::vector<std::string> pieces(const Tokenizer& tokenizer, const std::string& text)
{
    std::vector<std::string> out;
    for (const Token& token : tokenizer.encode(text))
        out.push_back(text.substr(token.begin, token.end - token.begin));
    return out;
}

} // namespace

class TestBuiltinVocabulary : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        m_tokenizer = loadTokenizerFromFolder(Folder);
        QVERIFY(m_tokenizer != nullptr);
        QVERIFY2(m_tokenizer->vocabSize() >= 16000, "the translator does not ship the 16k vocabulary");
    }

    void frequentWordsAreSingleTokens()
    {
        const std::vector<std::string> words = wordList();
        QCOMPARE(words.size(), std::size_t(2000));
        int single = 0;
        QStringList split;
        for (const std::string& word : words) {
            if (m_tokenizer->encode(" " + word).size() == 1)
                ++single;
            else
                split << QString::fromStdString(word);
        }
        const double rate = double(single) / double(words.size());
        qInfo("single-token rate %.4f; split: %s", rate, qPrintable(split.join(' ')));
        QVERIFY2(rate >= 0.97, qPrintable(QString::number(rate)));
    }

    void defaultSentenceIsWholeWords()
    {
        // GPT-2's pre-tokenizer splits contractions, so "didn't" is " didn" + "'t".
        const std::vector<std::string> expected = {"The", " animal", " didn", "'t", " cross", " the", " street",
                                                   " because", " it", " was", " too", " tired", "."};
        QCOMPARE(pieces(*m_tokenizer, "The animal didn't cross the street because it was too tired."), expected);
    }

    void rareWordsStillSplit()
    {
        // The bar is not trivial: a made-up word is several tokens.
        QVERIFY(m_tokenizer->encode(" zxqvbrimble").size() > 1);
    }

private:
    std::unique_ptr<Tokenizer> m_tokenizer;
};

QTEST_APPLESS_MAIN(TestBuiltinVocabulary)
#include "test_builtinvocabulary.moc"
