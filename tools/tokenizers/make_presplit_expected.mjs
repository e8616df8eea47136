// Makes tests/data/tokenizers/presplit_expected.json: ids that @huggingface/transformers gives for
// GPT-2's real vocabulary (../shared/fixtures/tokenizers/gpt2) behind pre-tokenizer Sequences seen
// in real tokenizer.json files: Digits (individual, as StarCoder) before ByteLevel; Punctuation,
// ByteLevel and Digits runs (as Falcon); the Llama 3 and Qwen2 Split patterns before a ByteLevel
// without its own regex. The C++ test builds the same tokenizer.json and compares. Expected ids
// are never produced by the C++ code.
// Usage: NODE_PATH=/tmp/unigramref/node_modules node tools/tokenizers/make_presplit_expected.mjs
import fs from "fs";
import path from "path";
import { AutoTokenizer, root, scratchFolder, version } from "./reference.mjs";

const gpt2 = path.resolve(root, "..", "shared", "fixtures", "tokenizers", "gpt2");
const scratch = scratchFolder("presplit-");

const vocab = JSON.parse(fs.readFileSync(path.join(gpt2, "encoder.json"), "utf8"));
const merges = fs.readFileSync(path.join(gpt2, "vocab.bpe"), "utf8").split("\n").filter((l) => l && !l.startsWith("#version"));
const byteLevel = (regex) => ({ type: "ByteLevel", add_prefix_space: false, trim_offsets: true, use_regex: regex });
const split = (pattern) => ({ type: "Split", pattern: { Regex: pattern }, behavior: "Isolated", invert: false });
const llama3 = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
const qwen2 = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
const sequences = {
    "digits-bytelevel": [{ type: "Digits", individual_digits: true }, byteLevel(true)],
    "punctuation-bytelevel-digitruns": [{ type: "Punctuation", behavior: "Isolated" }, byteLevel(true),
        { type: "Digits", individual_digits: false }],
    "llama3-split": [split(llama3), byteLevel(false)],
    "qwen2-split": [split(qwen2), byteLevel(false)],
};
const texts = ["Hello world", "1234567 and 3.14, 1,000,000", "don't stop: it's 5pm!", "a--b...c?!", "x = y + z^2 $5 #tag",
    "  tabs\tand\nnewlines\n\n here  ", "«quoted» — dash · dot", "٣٤٥ and ½ ⅓", "CamelCase99Words", "emoji 🙂 12🙂34",
    "path/to/file_name.txt", "(a[b]{c})"];
const result = { provenance: `tools/tokenizers/make_presplit_expected.mjs: @huggingface/transformers ${version} on GPT-2's vocabulary`,
    sequences: {} };
for (const [name, pretokenizers] of Object.entries(sequences)) {
    const pre = { type: "Sequence", pretokenizers };
    const tokenizer = { version: "1.0", truncation: null, padding: null, added_tokens: [], normalizer: null,
        pre_tokenizer: pre, post_processor: null, decoder: byteLevel(true),
        model: { type: "BPE", dropout: null, unk_token: null, continuing_subword_prefix: "", end_of_word_suffix: "",
            fuse_unk: false, byte_fallback: false, ignore_merges: false, vocab, merges } };
    fs.mkdirSync(path.join(scratch, name));
    fs.writeFileSync(path.join(scratch, name, "tokenizer.json"), JSON.stringify(tokenizer));
    fs.writeFileSync(path.join(scratch, name, "tokenizer_config.json"), "{}");
    const tok = await AutoTokenizer.from_pretrained(name);
    // Transformers.js splits Digits on \d (ASCII 0-9), Hugging Face tokenizers on char::is_numeric
    // (every \p{N}, as AttnViz does): texts with other numbers are left out where they disagree.
    // Likewise Punctuation: Transformers.js keeps a run of punctuation together, Hugging Face
    // tokenizers isolates every character (char predicate), so texts with such runs are left out.
    const hasDigits = pretokenizers.some((p) => p.type === "Digits");
    const hasPunctuation = pretokenizers.some((p) => p.type === "Punctuation");
    const punct = "[\\p{P}\\u0021-\\u002F\\u003A-\\u0040\\u005B-\\u0060\\u007B-\\u007E]";
    const usable = texts.filter((t) => (!hasDigits || !/[^\x00-\x7f]/u.test(t.replace(/[^\p{N}]/gu, ""))) &&
        (!hasPunctuation || !new RegExp(punct + punct, "u").test(t)));
    result.sequences[name] = { pre_tokenizer: pre, cases: usable.map((text) => ({ text, ids: tok.encode(text) })) };
}
fs.writeFileSync(path.join(root, "tests", "data", "tokenizers", "presplit_expected.json"), JSON.stringify(result, null, 1) + "\n");
fs.rmSync(scratch, { recursive: true });
console.log("wrote presplit_expected.json");
