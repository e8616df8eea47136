// What the expected-id scripts share: the reference implementation, @huggingface/transformers,
// loaded from NODE_PATH (default /tmp/unigramref/node_modules; install it there with
// `npm install --ignore-scripts @huggingface/transformers@4.3.2`), offline, reading tokenizer
// folders from a scratch directory the script fills.
import fs from "fs";
import os from "os";
import path from "path";
import { createRequire } from "module";

const modules = process.env.NODE_PATH ?? "/tmp/unigramref/node_modules";
const require = createRequire(path.join(modules, "x.js"));
export const { AutoTokenizer, env } = await import(require.resolve("@huggingface/transformers"));
export const version = JSON.parse(
    fs.readFileSync(path.join(modules, "@huggingface", "transformers", "package.json"), "utf8")).version;
export const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..", "..");

// A fresh scratch folder the reference loads tokenizers from (remove it when done).
export function scratchFolder(prefix) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    env.allowRemoteModels = false;
    env.localModelPath = dir;
    return dir;
}

// The tokenizer.json Hugging Face's convert_slow_tokenizer.py (Qwen2Converter) makes from a Qwen2
// folder's vocab.json + merges.txt + tokenizer_config.json: NFC, the Qwen2 Split pattern isolated,
// ByteLevel without its own regex, the added_tokens_decoder entries. Returns it with the config.
export function qwenConverterLayout(folder) {
    const pattern = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    const config = JSON.parse(fs.readFileSync(path.join(folder, "tokenizer_config.json"), "utf8"));
    const vocab = JSON.parse(fs.readFileSync(path.join(folder, "vocab.json"), "utf8"));
    const merges = fs.readFileSync(path.join(folder, "merges.txt"), "utf8").split("\n")
        .filter((l) => l.length > 0 && !l.startsWith("#version"));
    const added = Object.entries(config.added_tokens_decoder).map(([id, t]) => ({ id: Number(id), content: t.content,
        single_word: t.single_word, lstrip: t.lstrip, rstrip: t.rstrip, normalized: t.normalized, special: t.special }));
    const tokenizerJson = { version: "1.0", truncation: null, padding: null, added_tokens: added,
        normalizer: { type: "NFC" },
        pre_tokenizer: { type: "Sequence", pretokenizers: [
            { type: "Split", pattern: { Regex: pattern }, behavior: "Isolated", invert: false },
            { type: "ByteLevel", add_prefix_space: false, trim_offsets: false, use_regex: false }] },
        post_processor: { type: "ByteLevel", add_prefix_space: false, trim_offsets: false, use_regex: false },
        decoder: { type: "ByteLevel", add_prefix_space: false, trim_offsets: false, use_regex: false },
        model: { type: "BPE", dropout: null, unk_token: null, continuing_subword_prefix: "", end_of_word_suffix: "",
            fuse_unk: false, byte_fallback: false, ignore_merges: false, vocab, merges } };
    return { tokenizerJson, config };
}
