// Makes tests/data/tokenizers/normalization_expected.json: the ids the reference implementation,
// @huggingface/transformers, gives on text in decomposed or compatibility form (that NFC, NFD,
// NFKC and NFKD change) for real tokenizers of ../shared/fixtures/tokenizers:
//   - qwen2.5: the Qwen2Converter layout of its vocab.json + merges.txt (normalizer NFC);
//   - gpt-neox: its own tokenizer.json (byte-level BPE, normalizer NFC);
//   - variants whose normalizer is replaced by another form, because no fixture ships NFD, NFKC
//     or NFKD: gpt-neox (byte-level BPE), mistral (SentencePiece-style BPE, normalizer null in
//     the file), t5 (Unigram, Precompiled in the file) and bert-base-uncased (WordPiece, a
//     Sequence of a form and the file's BertNormalizer, or NFD + Lowercase + StripAccents).
// Each model entry names its folder and the normalizer put in place of the file's (absent: the
// file's own); the C++ test makes the same replacement. Expected ids are never produced by the
// C++ code.
//
// Usage (needs the npm registry once):
//   mkdir -p /tmp/unigramref && cd /tmp/unigramref && npm init -y && \
//     npm install --ignore-scripts @huggingface/transformers@4.3.2
//   NODE_PATH=/tmp/unigramref/node_modules node tools/tokenizers/make_normalization_expected.mjs
import fs from "fs";
import path from "path";
import { AutoTokenizer, qwenConverterLayout, root, scratchFolder, version } from "./reference.mjs";

const fixtures = path.resolve(root, "..", "shared", "fixtures", "tokenizers");
const scratch = scratchFolder("normalization-");

// Inputs that the normalisation forms change: combining marks after their base (to compose),
// marks out of canonical order, Hangul jamo and syllables, singletons, composition exclusions,
// compatibility characters (ligatures, full-width, circled, super/subscripts, half-width kana).
const texts = [
    "Hello world", "", "cafe\u0301", "Cafe\u0301 au lait, s'il vous pla\u0131\u0302t", "e\u0301",
    "\u0301 a lone mark", "na\u0308ive re\u0301sume\u0301", "Tie\u0302\u0301ng Vie\u0323\u0302t",
    "A\u030A \u00C5 \u212B \u2126 \u03A9", "s\u0323\u0307 s\u0307\u0323 \u1E69", "q\u0307\u0323 x\u0323\u0307",
    "\u1E9B\u0323", "\u1100\u1161\u11A8 \u1100\u1161 \uAC00\u11A8 \uD55C\uAD6D\uC5B4",
    "\u1112\u1161\u11AB\u1100\u116E\u11A8\u110B\u1165", "\u0958 \u0915\u093C \u0344 \u0F73",
    "\uFB01nance \uFB00 \uFB03", "\uFF21\uFF54\uFF54\uFF45\uFF4E\uFF54\uFF49\uFF4F\uFF4E \uFF11\uFF12\uFF13",
    "\u2460\u2461\u2462 x\u00B2 H\u2082O \u00BD", "\u337F \u3392 \u2122 \u2026", "\uFF76\uFF9E\uFF80\uFF76\uFF85 \uFF8A\uFF9F",
    "\u01C4 \u01C5 \u0132", "\uFDFA", "\uFEFB \uFE8D", "\u03D3 \u1F71 \u0390", "A\u0308\u0304 \u01DE",
    "a\u0328\u0301 \u0105\u0301", "o\u031B\u0323 \u01A1\u0323", "\u00E9\u0301", "\u1E0B\u0323 d\u0323\u0307",
    "\u3131\u314F \u1161", "\u05D1\u05BC\u05BF \uFB4C", "\u0CC6\u0CC2\u0CD5", "\u09C7\u09BE \u09CB",
];

function writeFolder(name, tokenizerJson, config) {
    fs.mkdirSync(path.join(scratch, name));
    fs.writeFileSync(path.join(scratch, name, "tokenizer.json"), JSON.stringify(tokenizerJson));
    fs.writeFileSync(path.join(scratch, name, "tokenizer_config.json"), JSON.stringify(config ?? {}));
}

function fromFile(folder) {
    const read = (f) => JSON.parse(fs.readFileSync(path.join(fixtures, folder, f), "utf8"));
    return { tokenizerJson: read("tokenizer.json"), config: read("tokenizer_config.json") };
}

const bertNormalizer = fromFile("bert-base-uncased").tokenizerJson.normalizer;
const variants = [
    { name: "qwen2.5", folder: "qwen2.5", layout: () => qwenConverterLayout(path.join(fixtures, "qwen2.5")) },
    { name: "gpt-neox", folder: "gpt-neox" },
    ...["NFD", "NFKC", "NFKD"].map((form) => ({ name: `gpt-neox-${form}`, folder: "gpt-neox", normalizer: { type: form } })),
    ...["NFC", "NFD", "NFKC"].map((form) => ({ name: `mistral-${form}`, folder: "mistral", normalizer: { type: form } })),
    ...["NFC", "NFD", "NFKC", "NFKD"].map((form) => ({ name: `t5-${form}`, folder: "t5", normalizer: { type: form } })),
    ...["NFC", "NFKC"].map((form) => ({ name: `bert-${form}`, folder: "bert-base-uncased",
        normalizer: { type: "Sequence", normalizers: [{ type: form }, bertNormalizer] } })),
    { name: "bert-NFD-Lowercase-StripAccents", folder: "bert-base-uncased", normalizer: { type: "Sequence",
        normalizers: [{ type: "NFD" }, { type: "Lowercase" }, { type: "StripAccents" }] } },
];

const models = {};
for (const v of variants) {
    const { tokenizerJson, config } = v.layout ? v.layout() : fromFile(v.folder);
    if (v.normalizer)
        tokenizerJson.normalizer = v.normalizer;
    writeFolder(v.name, tokenizerJson, config);
    const tok = await AutoTokenizer.from_pretrained(v.name);
    const cases = texts.map((text) => ({ text, ids: tok.encode(text) }));
    models[v.name] = { folder: v.folder, ...(v.normalizer ? { normalizer: v.normalizer } : {}), cases };
}
const out = { provenance: `tools/tokenizers/make_normalization_expected.mjs: @huggingface/transformers ${version} ` +
    `(String.prototype.normalize of Node ${process.versions.node}, Unicode ${process.versions.unicode})`, models };
fs.writeFileSync(path.join(root, "tests", "data", "tokenizers", "normalization_expected.json"),
    JSON.stringify(out, null, 1) + "\n");
fs.rmSync(scratch, { recursive: true });
console.log("wrote normalization_expected.json:", Object.keys(models).length, "models,", texts.length, "texts each");
