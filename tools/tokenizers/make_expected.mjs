// Makes the expected token ids in tests/data/tokenizers/ from INDEPENDENT implementations, so the
// C++ tokenizers are never checked against themselves:
//   - @huggingface/tokenizers 0.2.0 (Tokenizers.js, pure JS port of Hugging Face tokenizers)
//     for GPT-2, BERT and the tiny SentencePiece-style fixture;
//   - gpt-3-encoder 1.1.4 (OpenAI's original GPT-2 encoder ported to JS) as a second opinion on
//     GPT-2; the script stops if the two disagree.
// It also writes the hand-made tiny Llama-style tokenizer.json fixture.
//
// Usage (needs the npm registry once):
//   mkdir -p /tmp/tokref && cd /tmp/tokref && npm init -y && \
//     npm install @huggingface/tokenizers@0.2.0 gpt-3-encoder@1.1.4
//   NODE_PATH=/tmp/tokref/node_modules node tools/tokenizers/make_expected.mjs
import fs from "fs";
import path from "path";
import { createRequire } from "module";

const require = createRequire(path.join(process.env.NODE_PATH ?? "/tmp/tokref/node_modules", "x.js"));
const tokenizersModule = await import(require.resolve("@huggingface/tokenizers"));
const Tokenizer = tokenizersModule.Tokenizer ?? tokenizersModule.default.Tokenizer;
const gpt3encoder = require("gpt-3-encoder");

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..", "..");
const fixtures = path.resolve(root, "..", "shared", "fixtures", "tokenizers");
const out = path.join(root, "tests", "data", "tokenizers");
fs.mkdirSync(path.join(out, "tiny-llama"), { recursive: true });
fs.mkdirSync(path.join(out, "tiny-llama-metaspace"), { recursive: true });

const texts = [
    "Hello world", " the", "", "café naïve Ångström", "你好世界", "日本語", "👋🏽 hi 🙂", "1234567 and 3.14",
    "don't I'll she's we've they're I'm he'd", "antidisestablishmentarianism", "a  b   c    ",
    "tabs\tand\nnewlines\n\nhere", "Wait... what?!? (yes) -- ok;", "<|endoftext|>Next", "HELLO World",
    "Ünïcödé ÉCOLE", "ﬁnance İstanbul", "x = y + z^2 $5 #tag @user", " leading and trailing ",
    "mixed中文and English", "e\u0301 combining", "Γειά σου Κόσμε", "Привет мир", "\u00a0nbsp\u3000ideographic",
];
const pairs = [["How are you?", "I am fine."], ["The cat sat", "on the mat"], ["", "only second"]];

function write(name, value) {
    fs.writeFileSync(path.join(out, name), JSON.stringify(value, null, 1) + "\n");
    console.log("wrote", name);
}

// --- GPT-2: tokenizer.json equivalent of encoder.json + vocab.bpe ---------------------------
const encoder = JSON.parse(fs.readFileSync(path.join(fixtures, "gpt2", "encoder.json"), "utf8"));
const merges = fs.readFileSync(path.join(fixtures, "gpt2", "vocab.bpe"), "utf8").split("\n")
    .filter((l) => l && !l.startsWith("#version"));
const gpt2 = new Tokenizer({
    version: "1.0", truncation: null, padding: null, normalizer: null, post_processor: null,
    added_tokens: [{ id: 50256, content: "<|endoftext|>", single_word: false, lstrip: false, rstrip: false,
        normalized: false, special: true }],
    pre_tokenizer: { type: "ByteLevel", add_prefix_space: false, trim_offsets: true, use_regex: true },
    decoder: { type: "ByteLevel", add_prefix_space: false, trim_offsets: true, use_regex: true },
    model: { type: "BPE", dropout: null, unk_token: null, continuing_subword_prefix: "", end_of_word_suffix: "",
        fuse_unk: false, byte_fallback: false, vocab: encoder, merges },
}, {});
write("gpt2_expected.json", {
    provenance: "tools/tokenizers/make_expected.mjs: @huggingface/tokenizers 0.2.0, cross-checked with gpt-3-encoder 1.1.4",
    cases: texts.map((text) => {
        const ids = gpt2.encode(text).ids;
        if (!text.includes("<|endoftext|>")) {
            const other = gpt3encoder.encode(text);
            if (JSON.stringify(other) !== JSON.stringify(ids))
                throw new Error(`GPT-2 references disagree on ${JSON.stringify(text)}: ${ids} vs ${other}`);
        }
        return { text, ids, decoded: ids.length ? gpt2.decode(ids) : "" };
    }),
});

// --- BERT (bert-base-uncased tokenizer.json) ------------------------------------------------
const bertJson = JSON.parse(fs.readFileSync(path.join(fixtures, "bert-base-uncased", "tokenizer.json"), "utf8"));
const bert = new Tokenizer(bertJson, {});
const bertTexts = [...texts.filter((t) => !t.includes("<|endoftext|>")), "Paris is the [MASK] of France.",
    "a" + "b".repeat(120) + " short"];
write("bert_expected.json", {
    provenance: "tools/tokenizers/make_expected.mjs: @huggingface/tokenizers 0.2.0 on bert-base-uncased/tokenizer.json",
    cases: bertTexts.map((text) => {
        const e = bert.encode(text);
        return { text, ids: e.ids, tokens: e.tokens, decoded: e.ids.length ? bert.decode(e.ids) : "" };
    }),
    pairs: pairs.map(([a, b]) => {
        const e = bert.encode(a, { text_pair: b, return_token_type_ids: true });
        return { text: a, second: b, ids: e.ids, token_type_ids: e.token_type_ids };
    }),
});

// --- Tiny Llama-style SentencePiece BPE with byte fallback (hand-made) ----------------------
const vocab = { "<unk>": 0, "<s>": 1, "</s>": 2 };
for (let b = 0; b < 256; b++) vocab[`<0x${b.toString(16).toUpperCase().padStart(2, "0")}>`] = 3 + b;
const tinyMerges = [["l", "l"], ["▁", "h"], ["e", "ll"], ["▁h", "ell"], ["▁hell", "o"], ["o", "r"], ["▁", "w"],
    ["▁w", "or"], ["l", "d"], ["▁wor", "ld"], ["o", "w"], ["l", "ow"], ["▁", "low"], ["e", "r"], ["▁low", "er"],
    ["▁", "a"], ["▁", "t"], ["h", "e"], ["▁t", "he"]];
for (const c of ["▁", "a", "d", "e", "h", "l", "n", "o", "r", "t", "w", "!", "中"]) vocab[c] = Object.keys(vocab).length;
for (const [a, b] of tinyMerges) if (!(a + b in vocab)) vocab[a + b] = Object.keys(vocab).length;
const tiny = {
    version: "1.0", truncation: null, padding: null,
    added_tokens: [0, 1, 2].map((id) => ({ id, content: ["<unk>", "<s>", "</s>"][id], single_word: false,
        lstrip: false, rstrip: false, normalized: false, special: true })),
    normalizer: { type: "Sequence", normalizers: [{ type: "Prepend", prepend: "▁" },
        { type: "Replace", pattern: { String: " " }, content: "▁" }] },
    pre_tokenizer: null,
    post_processor: { type: "TemplateProcessing",
        single: [{ SpecialToken: { id: "<s>", type_id: 0 } }, { Sequence: { id: "A", type_id: 0 } }],
        pair: [{ SpecialToken: { id: "<s>", type_id: 0 } }, { Sequence: { id: "A", type_id: 0 } },
            { SpecialToken: { id: "<s>", type_id: 1 } }, { Sequence: { id: "B", type_id: 1 } }],
        special_tokens: { "<s>": { id: "<s>", ids: [1], tokens: ["<s>"] } } },
    decoder: { type: "Sequence", decoders: [{ type: "Replace", pattern: { String: "▁" }, content: " " },
        { type: "ByteFallback" }, { type: "Fuse" }, { type: "Strip", content: " ", start: 1, stop: 0 }] },
    model: { type: "BPE", dropout: null, unk_token: "<unk>", continuing_subword_prefix: null,
        end_of_word_suffix: null, fuse_unk: true, byte_fallback: true, ignore_merges: false, vocab,
        merges: tinyMerges.map(([a, b]) => `${a} ${b}`) },
};
fs.writeFileSync(path.join(out, "tiny-llama", "tokenizer.json"), JSON.stringify(tiny, null, 1) + "\n");
const tinyTok = new Tokenizer(tiny, {});
const tinyTexts = ["hello world", "lower the world", "hello", "héllo", "a😀!", "中文", "two  spaces", "",
    "hello<s>world", "\n"];
write("tiny_llama_expected.json", {
    provenance: "tools/tokenizers/make_expected.mjs: @huggingface/tokenizers 0.2.0 on tiny-llama/tokenizer.json",
    cases: tinyTexts.map((text) => {
        const e = tinyTok.encode(text);
        return { text, ids: e.ids, tokens: e.tokens, decoded: e.ids.length ? tinyTok.decode(e.ids) : "" };
    }),
});

// The same model in the newer Llama layout: no normalizer, a Metaspace pre-tokenizer that adds "▁"
// only at the very start, and a Metaspace decoder.
const metaspace = { ...tiny, normalizer: null,
    pre_tokenizer: { type: "Metaspace", replacement: "▁", prepend_scheme: "first", split: false },
    decoder: { type: "Sequence", decoders: [{ type: "ByteFallback" }, { type: "Fuse" },
        { type: "Metaspace", replacement: "▁", prepend_scheme: "first", split: false }] } };
fs.writeFileSync(path.join(out, "tiny-llama-metaspace", "tokenizer.json"), JSON.stringify(metaspace, null, 1) + "\n");
const metaTok = new Tokenizer(metaspace, {});
write("tiny_llama_metaspace_expected.json", {
    provenance: "tools/tokenizers/make_expected.mjs: @huggingface/tokenizers 0.2.0 on tiny-llama-metaspace/tokenizer.json",
    cases: ["hello world", "hello<s>world", "two  spaces", "lower", "h\u00e9llo"].map((text) => {
        const e = metaTok.encode(text);
        return { text, ids: e.ids, tokens: e.tokens, decoded: metaTok.decode(e.ids) };
    }),
});
