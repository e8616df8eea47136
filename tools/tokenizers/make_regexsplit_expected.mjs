// Makes tests/data/tokenizers/regexsplit_expected.json: ids that @huggingface/transformers gives for
// GPT-2's real vocabulary (../shared/fixtures/tokenizers/gpt2) behind Split pre-tokenizers whose
// patterns the hand-written splitters do not know: BLOOM's exact Split, DeepSeek-style Sequences of
// Splits (letters, punctuation, trailing space, CJK, digits), GPT-4o's o200k pattern, tiktoken's
// cl100k with possessive quantifiers, lazy quantifiers with lookahead, String patterns, and one
// pattern under every Split behavior, inverted or not.
// The C++ test (test_tokenizers_regexsplit) builds the same tokenizer.json and compares.
//
// Transformers.js implements only Isolated, and Removed without invert, itself: it treats every
// other behavior as Isolated and, with invert, keeps only the matches. For those cases the script
// takes the matches of the reference's own compiled pattern (its Oniguruma -> JS rewrite, run by
// V8), applies the behavior as Hugging Face tokenizers' normalizer.rs does (the folds below), and
// encodes each piece with the reference. For the behaviors Transformers.js does implement, both
// ways are computed and must agree, which checks the folds. Expected ids are never produced by
// the C++ code.
// Usage: NODE_PATH=/work/scratch-regex/node_modules node tools/tokenizers/make_regexsplit_expected.mjs
import fs from "fs";
import path from "path";
import { AutoTokenizer, root, scratchFolder, version } from "./reference.mjs";

const modules = process.env.NODE_PATH ?? "/tmp/unigramref/node_modules";
const { SplitPreTokenizer } = await import(path.join(modules, "@huggingface", "tokenizers", "dist", "tokenizers.mjs"));

const gpt2 = path.resolve(root, "..", "shared", "fixtures", "tokenizers", "gpt2");
const scratch = scratchFolder("regexsplit-");
const vocab = JSON.parse(fs.readFileSync(path.join(gpt2, "encoder.json"), "utf8"));
const merges = fs.readFileSync(path.join(gpt2, "vocab.bpe"), "utf8").split("\n").filter((l) => l && !l.startsWith("#version"));
const byteLevel = (regex) => ({ type: "ByteLevel", add_prefix_space: false, trim_offsets: true, use_regex: regex });
const split = (pattern, behavior = "Isolated", invert = false) =>
    ({ type: "Split", pattern: { Regex: pattern }, behavior, invert });

// BLOOM's tokenizer.json, exactly (a negated class holding a nested class).
const bloom = " ?[^(\\s|[.,!?…。，、।۔،])]+";
// DeepSeek LLM / Coder style: newlines, Latin-Greek-Cyrillic letters, ASCII and full-width
// punctuation, trailing whitespace, CJK and Hangul runs, then digits one by one.
const deepseekLlm = [split("[\r\n]"), split("\\s?[A-Za-zµÀ-ÖØ-öø-ƺƼ-ƿǄ-ʓʕ-ʯͰ-ͳͶͷͻ-ͽͿΆΈ-ΊΌΎ-ΡΣ-ϵϷ-ҁҊ-ԯԱ-Ֆ]+"),
    split("\\s?[!-/:-~！-／：-～‘-‟　-。]+"), split("\\s+$"), split("[一-龥ࠀ-一가-퟿]+"),
    { type: "Digits", individual_digits: true }, byteLevel(false)];
// DeepSeek V3 style: digit triples, CJK and kana, then a cl100k-like pattern over \p{P}\p{S}.
const deepseekV3 = [split("\\p{N}{1,3}"), split("[一-龥\u3040-ゟ゠-ヿ]+"),
    split("[!\"#$%&'()*+,\\-./:;<=>?@\\[\\\\\\]^_`{|}~][A-Za-z]+|[^\r\n\\p{L}\\p{P}\\p{S}]?[\\p{L}\\p{M}]+| ?[\\p{P}\\p{S}]+[\r\n]*|\\s*[\r\n]+|\\s+(?!\\S)|\\s+"),
    byteLevel(false)];
const o200k = "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?" +
    "|[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]+[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?" +
    "|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
const cl100kPossessive = "'(?i:[sdmt]|ll|ve|re)|[^\\r\\n\\p{L}\\p{N}]?+\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]++[\\r\\n]*|\\s*[\\r\\n]|\\s+(?!\\S)|\\s+";
// One pattern with adjacent matches, matches at both ends and gaps, for every behavior.
const behaviorPattern = "\\p{P}|\\s+";
const behaviors = ["Isolated", "Removed", "MergedWithPrevious", "MergedWithNext", "Contiguous"];

const sequences = {
    "bloom": [split(bloom), byteLevel(false)],
    "deepseek-llm": deepseekLlm,
    "deepseek-v3": deepseekV3,
    "o200k": [split(o200k), byteLevel(false)],
    "cl100k-possessive": [split(cl100kPossessive), byteLevel(false)],
    "lazy-lookahead": [split("\\p{L}+?(?=\\p{Lu}|\\b)|\\d{2,3}?|(?:ab){2}|(?!x)\\S"), byteLevel(false)],
    "string-pattern": [{ type: "Split", pattern: { String: "--" }, behavior: "MergedWithNext", invert: false }, byteLevel(false)],
    "string-then-gpt2-regex": [{ type: "Split", pattern: { String: "--" }, behavior: "MergedWithNext", invert: false },
        byteLevel(true)],
};
for (const behavior of behaviors)
    for (const invert of [false, true])
        sequences[`${behavior.toLowerCase()}${invert ? "-inverted" : ""}`] = [split(behaviorPattern, behavior, invert), byteLevel(false)];

const texts = ["Hello world", "1234567 and 3.14, 1,000,000", "don't stop: it's 5pm!", "a--b...c?!", "x = y + z^2 $5 #tag",
    "  tabs\tand\nnewlines\n\n here  ", "«quoted» — dash · dot", "CamelCase99Words HTTPServer", "emoji 🙂 12🙂34",
    "path/to/file_name.txt", "(a[b]{c}) x|y", ",leading and trailing.", "你好，世界。今天是2024年", "नमस्ते। दुनिया",
    "مرحبا، عالم۔", "Ελληνικά и русский", "한국어 텍스트 abab ababab", "I'M HERE, You'LL see", "end with spaces   ",
    "…wait… what?!", "x--y--"];

// Hugging Face tokenizers' SplitDelimiterBehavior over [start, end, isMatch] (normalizer.rs).
function applyBehavior(matches, behavior) {
    const out = [];
    let previous = false;
    if (behavior === "Removed") return matches.filter((m) => !m[2]);
    if (behavior === "Isolated") return matches;
    if (behavior === "MergedWithNext") {
        for (const m of [...matches].reverse()) {
            if (m[2] && !previous && out.length) out[out.length - 1][0] = m[0];
            else out.push([...m]);
            previous = m[2];
        }
        return out.reverse();
    }
    for (const m of matches) {
        const merge = behavior === "Contiguous" ? m[2] === previous : m[2] && !previous;
        if (merge && out.length) out[out.length - 1][1] = m[1];
        else out.push([...m]);
        previous = m[2];
    }
    return out;
}

// Pieces of one Split on `text` (UTF-16 offsets): every match and every gap, flagged, then the behavior.
function splitPieces(config, text) {
    const regex = new SplitPreTokenizer(config).pattern;
    const flagged = [];
    let previous = 0;
    for (const m of text.matchAll(regex)) {
        if (m.index > previous) flagged.push([previous, m.index, false]);
        flagged.push([m.index, m.index + m[0].length, true]);
        previous = m.index + m[0].length;
    }
    if (previous < text.length) flagged.push([previous, text.length, false]);
    if (config.invert) flagged.forEach((m) => { m[2] = !m[2]; });
    return applyBehavior(flagged, config.behavior).filter(([a, b]) => b > a).map(([a, b]) => text.slice(a, b));
}

let count = 0;
async function tokenizerFor(name, pretokenizers) {
    const tokenizer = { version: "1.0", truncation: null, padding: null, added_tokens: [], normalizer: null,
        pre_tokenizer: { type: "Sequence", pretokenizers }, post_processor: null, decoder: byteLevel(true),
        model: { type: "BPE", dropout: null, unk_token: null, continuing_subword_prefix: "", end_of_word_suffix: "",
            fuse_unk: false, byte_fallback: false, ignore_merges: false, vocab, merges } };
    const folder = `${name}-${count++}`;
    fs.mkdirSync(path.join(scratch, folder));
    fs.writeFileSync(path.join(scratch, folder, "tokenizer.json"), JSON.stringify(tokenizer));
    fs.writeFileSync(path.join(scratch, folder, "tokenizer_config.json"), "{}");
    return AutoTokenizer.from_pretrained(folder);
}

// Each piece of a composed case goes through the reference with the ByteLevel that follows the Split.
const plain = { false: await tokenizerFor("plain", [byteLevel(false)]), true: await tokenizerFor("plain-regex", [byteLevel(true)]) };
const result = { provenance: `tools/tokenizers/make_regexsplit_expected.mjs: @huggingface/transformers ${version} ` +
    "on GPT-2's vocabulary", sequences: {} };
for (const [name, pretokenizers] of Object.entries(sequences)) {
    const direct = await tokenizerFor(name, pretokenizers);
    const first = pretokenizers[0];
    const composed = first.type === "Split" && pretokenizers.length === 2 && pretokenizers[1].type === "ByteLevel";
    const native = first.pattern.Regex !== undefined && !first.invert &&
        (first.behavior === "Isolated" || first.behavior === "Removed");
    const cases = texts.map((text) => {
        const ids = direct.encode(text);
        if (!composed)
            return { text, ids };
        const viaPieces = splitPieces(first, text).flatMap((piece) => plain[pretokenizers[1].use_regex].encode(piece));
        if (native && JSON.stringify(viaPieces) !== JSON.stringify(ids))
            throw new Error(`${name}: the behavior folds disagree with the reference on ${JSON.stringify(text)}`);
        return { text, ids: viaPieces };
    });
    result.sequences[name] = { pre_tokenizer: { type: "Sequence", pretokenizers }, cases };
}
fs.writeFileSync(path.join(root, "tests", "data", "tokenizers", "regexsplit_expected.json"), JSON.stringify(result, null, 1) + "\n");
fs.rmSync(scratch, { recursive: true });
console.log(`wrote regexsplit_expected.json: ${Object.keys(sequences).length} pre-tokenizers x ${texts.length} texts`);
