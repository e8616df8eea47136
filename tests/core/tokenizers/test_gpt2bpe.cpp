// GPT-2 byte-level BPE on the real GPT-2 files (encoder.json + vocab.bpe). Expected ids come from
// tests/data/tokenizers/gpt2_expected.json, made by two independent JavaScript implementations
// (tools/tokenizers/make_expected.mjs); a few well-known ids are also checked by hand.
#include "tokenizertestutil.h"
#include "tokenizers/bytelevelsplit.h"

#include <QTemporaryDir>
#include <QTest>

#include <fstream>

#include <chrono>
#include <thread>

using namespace attnviz;
using namespace attnviz::testutil;

class TestGpt2Bpe : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<Tokenizer> m_tok;
    json::Value m_expected;

private slots:
    void initTestCase()
    {
        const auto start = std::chrono::steady_clock::now();
        m_tok = loadGpt2Tokenizer(sharedFixture("tokenizers/gpt2/encoder.json"), sharedFixture("tokenizers/gpt2/vocab.bpe"));
        const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
        qInfo("GPT-2 files loaded in %.0f ms", ms);
        m_expected = json::parseFile(testData("tokenizers/gpt2_expected.json"));
    }

    void wellKnownIds()
    {
        QCOMPARE(idsOf(m_tok->encode("Hello world")), (std::vector<int>{15496, 995}));
        QCOMPARE(idsOf(m_tok->encode(" the")), (std::vector<int>{262}));
        QCOMPARE(m_tok->vocabSize(), 50257);
        QCOMPARE(m_tok->idOf("\xC4\xA0the"), std::optional<int>(262)); // "Ġthe"
        QCOMPARE(m_tok->idOf("<|endoftext|>"), std::optional<int>(50256));
        QVERIFY(!m_tok->idOf("not a piece"));
    }

    void referenceIds_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QByteArray>("ids");
        QTest::addColumn<QByteArray>("decoded");
        for (const json::Value& c : m_expected.find("cases")->asArray()) {
            const std::string& text = c.find("text")->asString();
            QTest::newRow(text.c_str()) << QByteArray::fromStdString(text) << printable(intsOf(*c.find("ids")))
                                        << QByteArray::fromStdString(c.find("decoded")->asString());
        }
    }

    void referenceIds()
    {
        QFETCH(QByteArray, text);
        QFETCH(QByteArray, ids);
        QFETCH(QByteArray, decoded);
        const std::string s = text.toStdString();
        const std::vector<Token> tokens = m_tok->encode(s);
        QCOMPARE(printable(idsOf(tokens)), ids);
        QCOMPARE(QByteArray::fromStdString(m_tok->decode(idsOf(tokens))), decoded);
        // Byte-level spans tile the input exactly.
        int pos = 0;
        for (const Token& t : tokens) {
            QCOMPARE(t.begin, pos);
            QVERIFY(t.end > t.begin);
            pos = t.end;
        }
        QCOMPARE(pos, static_cast<int>(s.size()));
        checkSpans(s, tokens);
        // GPT-2 adds no special tokens for the model.
        QCOMPARE(idsOf(m_tok->encodeForModel(s)), idsOf(tokens));
    }

    void displayStrings()
    {
        const std::vector<Token> tokens = m_tok->encode("Hello world");
        QCOMPARE(tokens[1].piece, std::string("\xC4\xA0world")); // "Ġworld"
        QCOMPARE(tokens[1].display, std::string(" world"));
        QCOMPARE((std::pair{tokens[1].begin, tokens[1].end}), (std::pair{5, 11}));
        QCOMPARE(m_tok->tokenForId(198).display, std::string("\\n")); // "Ċ": a visible escape, not a line break
    }

    void controlBytesAreVisible()
    {
        // A tab and a BEL inside the text: fonts draw them as boxes or nothing.
        const std::vector<Token> tokens = m_tok->encode("a\tb\x07");
        std::string joined;
        for (const Token& t : tokens)
            joined += t.display;
        QCOMPARE(joined, std::string("a\\tb\\x07"));
        QVERIFY(std::none_of(joined.begin(), joined.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20; }));
    }

    void emojiSplitAcrossTokens()
    {
        // 👋 = F0 9F 91 8B is split as [F0 9F 91][8B]; 🏽 = F0 9F 8F BD as [F0 9F][8F][BD]. No token
        // holds a whole character, so each shows its own bytes: the label never claims the whole
        // character for its first piece, and one id reads the same wherever it stands.
        const std::vector<Token> tokens = m_tok->encode("\xF0\x9F\x91\x8B\xF0\x9F\x8F\xBD hi");
        QCOMPARE(idsOf(tokens), (std::vector<int>{41840, 233, 8582, 237, 121, 23105}));
        QCOMPARE(tokens[0].display, std::string("\\xF0\\x9F\\x91"));
        QCOMPARE(tokens[1].display, std::string("\\x8B"));
        QCOMPARE(tokens[2].display, std::string("\\xF0\\x9F"));
        QCOMPARE(tokens[3].display, std::string("\\x8F"));
        QCOMPARE(tokens[4].display, std::string("\\xBD"));
        QCOMPARE(tokens[5].display, std::string(" hi"));
        for (const Token& t : tokens)
            QCOMPARE(t.display, m_tok->tokenForId(t.id).display);
        // Alone, a partial token shows escapes and decodes to U+FFFD, never to invalid UTF-8.
        QCOMPARE(m_tok->tokenForId(41840).display, std::string("\\xF0\\x9F\\x91"));
        QCOMPARE(m_tok->decode({41840}), std::string("\xEF\xBF\xBD"));
        QCOMPARE(m_tok->decode({41840, 233}), std::string("\xF0\x9F\x91\x8B"));
    }

    void specialTokenInText()
    {
        const std::vector<Token> tokens = m_tok->encode("a<|endoftext|>b");
        QCOMPARE(idsOf(tokens), (std::vector<int>{64, 50256, 65}));
        QVERIFY(tokens[1].special);
        QCOMPARE((std::pair{tokens[1].begin, tokens[1].end}), (std::pair{1, 14}));
        QCOMPARE(tokens[1].display, std::string("<|endoftext|>"));
        QVERIFY(m_tok->tokenForId(50256).special);
    }

    void unknownId()
    {
        QVERIFY_THROWS_EXCEPTION(TokenizerError, m_tok->tokenForId(50257));
        QVERIFY_THROWS_EXCEPTION(TokenizerError, m_tok->tokenForId(-1));
        QVERIFY_THROWS_EXCEPTION(TokenizerError, m_tok->decode({15496, 99999}));
    }

    void folderLoader()
    {
        const auto tok = loadTokenizerFromFolder(sharedFixture("tokenizers/gpt2")); // encoder.json + vocab.bpe
        QCOMPARE(idsOf(tok->encode("Hello world")), (std::vector<int>{15496, 995}));
    }

    void tokenizerJsonLayouts_data()
    {
        QTest::addColumn<bool>("split");
        QTest::newRow("ByteLevel") << false;
        QTest::newRow("Split + ByteLevel") << true;
    }

    void tokenizerJsonLayouts()
    {
        // The same GPT-2 model as a Hugging Face tokenizer.json, in two pre-tokenizer layouts.
        QFETCH(bool, split);
        json::Writer pre;
        if (split) {
            pre.beginObject().key("type").value("Sequence").key("pretokenizers").beginArray();
            pre.beginObject().key("type").value("Split").key("pattern").beginObject().key("Regex");
            pre.value("'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+");
            pre.endObject().key("behavior").value("Isolated").endObject();
            pre.beginObject().key("type").value("ByteLevel").key("use_regex").value(false).endObject();
            pre.endArray().endObject();
        } else {
            pre.beginObject().key("type").value("ByteLevel").key("add_prefix_space").value(false).endObject();
        }
        QTemporaryDir dir;
        const std::string path = writeGpt2TokenizerJson(dir, json::parse(pre.str()));
        const auto tok = loadTokenizerJson(path);
        for (const json::Value& c : m_expected.find("cases")->asArray())
            QCOMPARE(printable(idsOf(tok->encode(c.find("text")->asString()))), printable(intsOf(*c.find("ids"))));
    }

    void throughput()
    {
        std::string text;
        for (int i = 0; i < 200; ++i)
            text += "The quick brown fox (number " + std::to_string(i) + ") jumps over the lazy dog's back; caf\xC3\xA9 "
                    "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E \xF0\x9F\x99\x82!\n";
        const auto fresh = loadGpt2Tokenizer(sharedFixture("tokenizers/gpt2/encoder.json"),
                                             sharedFixture("tokenizers/gpt2/vocab.bpe"));
        const auto start = std::chrono::steady_clock::now();
        const std::size_t n = fresh->encode(text).size();
        const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        qInfo("GPT-2: %zu tokens from %zu bytes in %.1f ms (cold cache): %.0f tokens/s", n, text.size(), s * 1e3, n / s);
        QVERIFY(n > 4000);

        // Mostly distinct made-up words: every word goes through the merge loop.
        std::string words;
        for (unsigned i = 0; i < 5000; ++i) {
            words += ' ';
            for (unsigned v = i * 2654435761u; v > 0; v /= 26)
                words += static_cast<char>('a' + v % 26);
        }
        const auto start2 = std::chrono::steady_clock::now();
        const std::size_t n2 = fresh->encode(words).size();
        const double s2 = std::chrono::duration<double>(std::chrono::steady_clock::now() - start2).count();
        qInfo("GPT-2: %zu tokens from 5000 distinct words (%zu bytes) in %.1f ms: %.0f tokens/s", n2, words.size(),
              s2 * 1e3, n2 / s2);
    }

    void concurrentEncode()
    {
        // encode() is const and shares the word cache: threads must agree with a single thread.
        const std::string text = "Concurrent tokenization of the same caf\xC3\xA9 words, again and again.";
        const std::vector<int> expected = idsOf(m_tok->encode(text));
        std::vector<std::vector<int>> results(4);
        std::vector<std::thread> threads;
        for (std::size_t t = 0; t < results.size(); ++t)
            threads.emplace_back([&, t] {
                for (int i = 0; i < 200; ++i)
                    results[t] = idsOf(m_tok->encode(text + std::to_string(i % 7)));
            });
        for (std::thread& th : threads)
            th.join();
        for (const std::vector<int>& r : results) {
            QCOMPARE(std::vector<int>(r.begin(), r.begin() + static_cast<std::ptrdiff_t>(expected.size()) - 1),
                     std::vector<int>(expected.begin(), expected.end() - 1));
        }
    }

    // Qwen2.5's folder has vocab.json + merges.txt and no tokenizer.json: tokenizer_config.json's
    // class picks the Qwen2 split (digits one by one) and added_tokens_decoder adds the chat tokens.
    // Ids from @huggingface/transformers on the converter's layout (tools/tokenizers/make_qwen_expected.mjs).
    void qwenFolderWithoutTokenizerJson()
    {
        const auto tok = loadTokenizerFromFolder(sharedFixture("tokenizers/qwen2.5"));
        const json::Value expected = json::parseFile(testData("tokenizers/qwen_expected.json"));
        int count = 0;
        for (const json::Value& c : expected.find("cases")->asArray()) {
            const std::string& text = c.find("text")->asString();
            const std::vector<Token> tokens = tok->encodeForModel(text);
            QCOMPARE(printable(idsOf(tokens)), printable(intsOf(*c.find("ids"))));
            checkSpans(text, tokens);
            QCOMPARE(tok->decode(idsOf(tokens)), c.find("decoded")->asString());
            ++count;
        }
        QCOMPARE(count, 20);
    }

    // A byte-level vocabulary lacking most byte symbols: such bytes become <unk> (fused with
    // fuse_unk) or, without an unk_token, are dropped, as @huggingface/transformers does
    // (tools/tokenizers/make_bytelevel_gaps_expected.mjs).
    void vocabularyWithoutSomeBytes()
    {
        const json::Value expected = json::parseFile(testData("tokenizers/bytelevel_gaps_expected.json"));
        int count = 0;
        for (const auto& [name, cases] : expected.find("models")->asObject()) {
            const auto tok = loadTokenizerJson(testData("tokenizers/" + name + "/tokenizer.json"));
            for (const json::Value& c : cases.asArray()) {
                const std::string& text = c.find("text")->asString();
                const std::vector<Token> tokens = tok->encodeForModel(text);
                QCOMPARE(printable(idsOf(tokens)), printable(intsOf(*c.find("ids"))));
                ++count;
            }
        }
        QCOMPARE(count, 24);
    }

    // Pre-tokenizer Sequences of real files (Digits, Punctuation, Split patterns before ByteLevel)
    // on GPT-2's vocabulary: ids from @huggingface/transformers (tools/tokenizers/make_presplit_expected.mjs).
    void preTokenizerSequences()
    {
        int count = 0;
        checkPreTokenizerSequences("tokenizers/presplit_expected.json", &count);
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(count, 44);
        // Where Transformers.js (\d; runs of punctuation kept together) and Hugging Face tokenizers
        // (char::is_numeric; each punctuation character isolated) part, the latter, which models
        // were trained with: Arabic-Indic digits and ½ are numbers, and "..." is three pieces.
        QCOMPARE(splitDigits("\xD9\xA3\xD9\xA4 \xC2\xBD", true).size(), std::size_t(4)); // ٣ ٤ " " ½
        QCOMPARE(splitDigits("12a345", false).size(), std::size_t(3));
        QCOMPARE(splitPunctuation("a,b...c").size(), std::size_t(7));
    }
};

QTEST_APPLESS_MAIN(TestGpt2Bpe)
#include "test_gpt2bpe.moc"
