// Makes tests/data/tokenizers/bytelevel-gaps/{tokenizer.json,unk/tokenizer.json,fused/tokenizer.json} and
// bytelevel_gaps_expected.json: a byte-level BPE whose vocabulary lacks most of the 256 byte
// symbols (only printable ASCII and the space stand-in Ġ), as real vocabularies lack bytes their
// training text never had; without unk_token, with one, and with fuse_unk. Expected ids come from
// @huggingface/transformers, never from the C++ code.
// Usage: NODE_PATH=/tmp/unigramref/node_modules node tools/tokenizers/make_bytelevel_gaps_expected.mjs
// (install as in make_unigram_expected.mjs).
import fs from "fs";
import path from "path";
import { AutoTokenizer, root, scratchFolder, version } from "./reference.mjs";

const out = path.join(root, "tests", "data", "tokenizers");
const scratch = scratchFolder("gaps-");

const vocab = { "<unk>": 0 };
for (let c = 33; c < 127; ++c) vocab[String.fromCharCode(c)] = Object.keys(vocab).length;
vocab["Ġ"] = Object.keys(vocab).length; // the stand-in of the space byte
const merges = [["Ġ", "c"], ["a", "t"], ["Ġc", "at"], ["Ġ", "d"]];
for (const [a, b] of merges) vocab[a + b] = Object.keys(vocab).length;
const variants = { "bytelevel-gaps": {}, "bytelevel-gaps-unk": { unk_token: "<unk>" },
    "bytelevel-gaps-fused": { unk_token: "<unk>", fuse_unk: true } };
const texts = ["the cat", "café cat", "ééé dog", "tab\there", "naïve, ok", "日本 cat", "🙂🙂", "plain"];
const result = { provenance: `tools/tokenizers/make_bytelevel_gaps_expected.mjs: @huggingface/transformers ${version}`, models: {} };
for (const [name, extra] of Object.entries(variants)) {
    const tokenizer = { version: "1.0", truncation: null, padding: null,
        added_tokens: [{ id: 0, content: "<unk>", single_word: false, lstrip: false, rstrip: false, normalized: false, special: true }],
        normalizer: null, pre_tokenizer: { type: "ByteLevel", add_prefix_space: false, trim_offsets: true, use_regex: true },
        post_processor: null, decoder: { type: "ByteLevel", add_prefix_space: false, trim_offsets: true, use_regex: true },
        model: { type: "BPE", dropout: null, unk_token: null, continuing_subword_prefix: null, end_of_word_suffix: null,
            fuse_unk: false, byte_fallback: false, ignore_merges: false, vocab, merges: merges.map(([a, b]) => a + " " + b), ...extra } };
    const text = JSON.stringify(tokenizer, null, 1) + "\n";
    fs.mkdirSync(path.join(out, name), { recursive: true });
    fs.writeFileSync(path.join(out, name, "tokenizer.json"), text);
    fs.mkdirSync(path.join(scratch, name));
    fs.writeFileSync(path.join(scratch, name, "tokenizer.json"), text);
    fs.writeFileSync(path.join(scratch, name, "tokenizer_config.json"), "{}");
    const tok = await AutoTokenizer.from_pretrained(name);
    result.models[name] = texts.map((t) => ({ text: t, ids: tok.encode(t) }));
}
fs.writeFileSync(path.join(out, "bytelevel_gaps_expected.json"), JSON.stringify(result, null, 1) + "\n");
fs.rmSync(scratch, { recursive: true });
console.log("wrote bytelevel_gaps_expected.json");
