// Makes tests/data/tokenizers/unigram_expected.json: the ids that the reference implementation,
// @huggingface/transformers (Transformers.js, which runs @huggingface/tokenizers), gives for real
// SentencePiece Unigram tokenizers in ../shared/fixtures/tokenizers:
//   - t5 (Unigram) and mistral (SentencePiece BPE): their own tokenizer.json; the C++ test also
//     checks that mistral's tokenizer.model, read on its own, gives the same ids;
//   - albert (spiece.model) and camembert (sentencepiece.bpe.model): Transformers.js cannot read
//     .model files, so this script parses the protobuf itself (a few lines of wire format,
//     independent of the C++ reader) and writes the tokenizer.json that Hugging Face's
//     convert_slow_tokenizer.py (AlbertConverter, CamembertConverter) makes from it, beside a copy
//     of the folder's tokenizer_config.json, in a scratch folder the reference then loads.
// It also writes the hand-made tests/data/tokenizers/tiny-unigram/tokenizer.json. Expected ids are
// never produced by the C++ code.
//
// Usage (needs the npm registry once):
//   mkdir -p /tmp/unigramref && cd /tmp/unigramref && npm init -y && \
//     npm install --ignore-scripts @huggingface/transformers@4.3.2
//   NODE_PATH=/tmp/unigramref/node_modules node tools/tokenizers/make_unigram_expected.mjs
import fs from "fs";
import os from "os";
import path from "path";
import { createRequire } from "module";

const require = createRequire(path.join(process.env.NODE_PATH ?? "/tmp/unigramref/node_modules", "x.js"));
const transformers = await import(require.resolve("@huggingface/transformers"));
const { AutoTokenizer, env } = transformers;
const modules = process.env.NODE_PATH ?? "/tmp/unigramref/node_modules";
const version = JSON.parse(fs.readFileSync(path.join(modules, "@huggingface", "transformers", "package.json"), "utf8")).version;

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..", "..");
const fixtures = path.resolve(root, "..", "shared", "fixtures", "tokenizers");
const out = path.join(root, "tests", "data", "tokenizers");
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "unigram-"));
env.allowRemoteModels = false;
env.localModelPath = scratch;

const texts = [
    "Hello world", "", " ", "the quick brown fox", "café naïve Ångström", "你好世界", "日本語のテキスト",
    "👋🏽 hi 🙂", "1234567 and 3.14, 1,000,000", "don't I'll she's we've", "antidisestablishmentarianism",
    "a  b   c    ", "  leading and trailing  ", "tabs\tand\nnewlines\n\nhere", "Wait... what?!? (yes) -- ok;",
    "HELLO World", "Ünïcödé ÉCOLE", "ﬁnance ½ ① ｆｕｌｌｗｉｄｔｈ", "x = y + z^2 $5 #tag @user",
    "mixed中文and English", "e\u0301 combining", "Γειά σου Κόσμε", "Привет мир", "\u00a0nbsp\u3000ideographic",
    "``quoted'' text", "Le château est très beau aujourd'hui.", "안녕하세요", "ǅungla ℌilbert Ⅻ",
    "zero\u200bwidth", "£5 or €10 – ok", "\u2581already metaspace",
];
const perModel = {
    t5: ["<extra_id_0> masked <extra_id_1>", "text</s>with eos", "<unk> and <pad>"],
    albert: ["Paris is the [MASK] of France.", "[CLS] inside [SEP]"],
    camembert: ["Paris est la <mask> de la France.", "<s>inside</s>"],
    mistral: ["[INST] hello [/INST]", "<s>bos inside</s>"],
};
const pairs = [["How are you?", "I am fine."], ["", "only second"]];

// --- A minimal protobuf reader for ModelProto (fields from sentencepiece_model.proto) ----------
function fields(bytes) {
    const outFields = [];
    let i = 0;
    const varint = () => {
        let v = 0n, shift = 0n;
        for (;;) {
            const b = bytes[i++];
            v |= BigInt(b & 0x7f) << shift;
            shift += 7n;
            if (b < 0x80) return v;
        }
    };
    while (i < bytes.length) {
        const tag = Number(varint());
        const field = tag >> 3, wire = tag & 7;
        if (wire === 0) outFields.push([field, varint()]);
        else if (wire === 2) { const n = Number(varint()); outFields.push([field, bytes.subarray(i, i + n)]); i += n; }
        else if (wire === 5) { outFields.push([field, bytes.subarray(i, i + 4)]); i += 4; }
        else if (wire === 1) { outFields.push([field, bytes.subarray(i, i + 8)]); i += 8; }
        else throw new Error(`wire type ${wire}`);
    }
    return outFields;
}
const utf8 = new TextDecoder("utf-8");
function readModel(file) {
    const top = fields(new Uint8Array(fs.readFileSync(file)));
    const model = { pieces: [], unkId: 0, modelType: 1, charsmap: null };
    for (const [f, v] of top) {
        if (f === 1) {
            const p = { piece: "", score: 0, type: 1 };
            for (const [g, w] of fields(v)) {
                if (g === 1) p.piece = utf8.decode(w);
                else if (g === 2) p.score = new DataView(w.buffer, w.byteOffset, 4).getFloat32(0, true);
                else if (g === 3) p.type = Number(w);
            }
            model.pieces.push(p);
        } else if (f === 2) {
            for (const [g, w] of fields(v)) {
                if (g === 3) model.modelType = Number(w);
                if (g === 40) model.unkId = Number(BigInt.asIntN(32, w));
            }
        } else if (f === 3) {
            for (const [g, w] of fields(v)) if (g === 2) model.charsmap = Buffer.from(w).toString("base64");
        }
    }
    if (model.modelType !== 1) throw new Error(`${file}: not a Unigram model`);
    return model;
}

// --- tokenizer.json as convert_slow_tokenizer.py builds it ------------------------------------
const metaspace = { type: "Metaspace", replacement: "▁", prepend_scheme: "always", split: true };
const special = (token, typeId) => ({ SpecialToken: { id: token, type_id: typeId } });
const seq = (id, typeId) => ({ Sequence: { id, type_id: typeId } });
function template(single, pair, vocabIds) {
    const names = [...new Set([...single, ...pair].filter((x) => x.SpecialToken).map((x) => x.SpecialToken.id))];
    return { type: "TemplateProcessing", single, pair,
        special_tokens: Object.fromEntries(names.map((n) => [n, { id: n, ids: [vocabIds.get(n)], tokens: [n] }])) };
}
function converted(model, family, config) {
    let vocab;
    let unkId = model.unkId;
    let firstPiece = 0;
    if (family === "camembert") {
        vocab = [["<s>NOTUSED", 0], ["<pad>", 0], ["</s>NOTUSED", 0], ["<unk>", 0], ["<unk>NOTUSED", -100]];
        firstPiece = 1;
        unkId = 3;
    } else {
        vocab = [];
    }
    for (const p of model.pieces.slice(firstPiece)) {
        // AlbertConverter: a piece ending in digit + "," is pushed down by 100.
        const demote = family === "albert" && p.piece.length >= 2 && p.piece.endsWith(",") &&
            /\p{N}/u.test([...p.piece].at(-2));
        vocab.push([p.piece, demote ? p.score - 100 : p.score]);
    }
    if (family === "camembert") vocab.push(["<mask>", 0]);
    const ids = new Map(vocab.map(([p], i) => [p, i]));
    const added = new Map();
    model.pieces.slice(firstPiece).forEach((p) => {
        if (p.type === 3 || p.type === 4)
            added.set(ids.get(p.piece), { id: ids.get(p.piece), content: p.piece, single_word: false, lstrip: false,
                rstrip: false, normalized: false, special: p.type === 3 });
    });
    for (const [id, t] of Object.entries(config.added_tokens_decoder ?? {}))
        added.set(Number(id), { id: Number(id), content: t.content, single_word: false, lstrip: t.lstrip ?? false,
            rstrip: t.rstrip ?? false, normalized: false, special: t.special ?? false });
    const precompiled = { type: "Precompiled", precompiled_charsmap: model.charsmap };
    let normalizer, post;
    if (family === "albert") {
        const steps = [{ type: "Replace", pattern: { String: "``" }, content: "\"" },
            { type: "Replace", pattern: { String: "''" }, content: "\"" }];
        if (!(config.keep_accents ?? false)) steps.push({ type: "NFKD" }, { type: "StripAccents" });
        if (config.do_lower_case ?? true) steps.push({ type: "Lowercase" });
        steps.push(precompiled, { type: "Replace", pattern: { Regex: " {2,}" }, content: " " });
        normalizer = { type: "Sequence", normalizers: steps };
        post = template([special("[CLS]", 0), seq("A", 0), special("[SEP]", 0)],
            [special("[CLS]", 0), seq("A", 0), special("[SEP]", 0), seq("B", 1), special("[SEP]", 1)], ids);
    } else {
        normalizer = { type: "Sequence", normalizers: [precompiled, { type: "Strip", strip_left: false, strip_right: true },
            { type: "Replace", pattern: { Regex: " {2,}" }, content: "▁" }] };
        post = template([special("<s>", 0), seq("A", 0), special("</s>", 0)],
            [special("<s>", 0), seq("A", 0), special("</s>", 0), special("</s>", 0), seq("B", 0), special("</s>", 0)], ids);
    }
    return { version: "1.0", truncation: null, padding: null,
        added_tokens: [...added.values()].sort((a, b) => a.id - b.id), normalizer, pre_tokenizer: metaspace,
        post_processor: post, decoder: metaspace, model: { type: "Unigram", unk_id: unkId, vocab, byte_fallback: false } };
}

function stage(name, files) {
    const dir = path.join(scratch, name);
    fs.mkdirSync(dir, { recursive: true });
    for (const [file, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, file), content);
}
const readConfig = (name) => fs.readFileSync(path.join(fixtures, name, "tokenizer_config.json"), "utf8");
for (const name of ["t5", "mistral"])
    stage(name, { "tokenizer.json": fs.readFileSync(path.join(fixtures, name, "tokenizer.json")),
        "tokenizer_config.json": readConfig(name) });
for (const [name, file] of [["albert", "spiece.model"], ["camembert", "sentencepiece.bpe.model"]]) {
    const config = JSON.parse(readConfig(name));
    stage(name, { "tokenizer.json": JSON.stringify(converted(readModel(path.join(fixtures, name, file)), name, config)),
        "tokenizer_config.json": readConfig(name) });
}

// A hand-made Unigram tokenizer.json (tests/data/tokenizers/tiny-unigram) with the normalizers
// and pre-tokenizers the real files above do not use: Strip, Lowercase, NFKD + StripAccents,
// WhitespaceSplit, an lstrip added token.
const tinyVocab = [["<unk>", 0], ["<s>", 0], ["</s>", 0], ["<mask>", 0], ["▁", -2], ["▁the", -3], ["▁cat", -4],
    ["▁ca", -5], ["t", -4], ["c", -5], ["a", -5], ["e", -5], ["h", -6], ["▁t", -5], ["he", -4], ["s", -5],
    ["▁cats", -7.5], ["fi", -6], ["f", -6.5], ["i", -6], ["n", -6], ["▁in", -5], ["▁fin", -6.25], ["▁a", -4.5],
    ["\"", -5], ["▁\"", -5.5], ["d", -6], ["▁sat", -5.75], ["▁on", -5], ["o", -6]];
const tinyUnigram = { version: "1.0", truncation: null, padding: null,
    added_tokens: ["<unk>", "<s>", "</s>", "<mask>"].map((content, id) => ({ id, content, single_word: false,
        lstrip: content === "<mask>", rstrip: false, normalized: false, special: true })),
    normalizer: { type: "Sequence", normalizers: [{ type: "Strip", strip_left: true, strip_right: true },
        { type: "Replace", pattern: { String: "``" }, content: "\"" }, { type: "NFKD" }, { type: "StripAccents" },
        { type: "Lowercase" }, { type: "Replace", pattern: { Regex: " {2,}" }, content: " " }] },
    pre_tokenizer: { type: "Sequence", pretokenizers: [{ type: "WhitespaceSplit" },
        { type: "Metaspace", replacement: "▁", prepend_scheme: "always", split: true }] },
    post_processor: template([special("<s>", 0), seq("A", 0), special("</s>", 0)],
        [special("<s>", 0), seq("A", 0), special("</s>", 0), seq("B", 1), special("</s>", 1)],
        new Map(tinyVocab.map(([p], i) => [p, i]))),
    decoder: metaspace, model: { type: "Unigram", unk_id: 0, vocab: tinyVocab, byte_fallback: false } };
fs.mkdirSync(path.join(out, "tiny-unigram"), { recursive: true });
fs.writeFileSync(path.join(out, "tiny-unigram", "tokenizer.json"), JSON.stringify(tinyUnigram, null, 1) + "\n");
stage("tiny-unigram", { "tokenizer.json": JSON.stringify(tinyUnigram), "tokenizer_config.json": "{}" });
perModel["tiny-unigram"] = ["The cat sat on the mat", "  THE CATS  ", "ﬁn café", "``the'' cat", "a <mask> cat",
    "the\tcat\n\nsat", "Théâtre", "catcatcat", "x y z"];

const result = {
    provenance: `tools/tokenizers/make_unigram_expected.mjs: @huggingface/transformers ${version} ` +
        "(AutoTokenizer; albert and camembert through the converter layout written by the script)",
    models: {},
};
for (const name of ["t5", "albert", "camembert", "mistral", "tiny-unigram"]) {
    const tok = await AutoTokenizer.from_pretrained(name);
    const cases = [...(name === "tiny-unigram" ? ["", " "] : texts), ...perModel[name]].map((text) => {
        const ids = tok.encode(text);
        return { text, ids, tokens: ids.map((id) => tok._tokenizer.id_to_token(id)),
            decoded: tok.decode(ids, { clean_up_tokenization_spaces: false }) };
    });
    const pairCases = pairs.map(([a, b]) => ({ text: a, second: b, ids: tok.encode(a, { text_pair: b }) }));
    result.models[name] = { cases, pairs: pairCases };
    console.log(name, cases.length, "cases");
}
fs.writeFileSync(path.join(out, "unigram_expected.json"), JSON.stringify(result, null, 1) + "\n");
fs.rmSync(scratch, { recursive: true });
console.log("wrote unigram_expected.json");
