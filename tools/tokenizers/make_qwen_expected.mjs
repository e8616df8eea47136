// Makes tests/data/tokenizers/qwen_expected.json: the ids the reference implementation,
// @huggingface/transformers, gives for the real Qwen2.5 tokenizer of ../shared/fixtures, which
// holds vocab.json + merges.txt + tokenizer_config.json and no tokenizer.json. This script writes
// the tokenizer.json that Hugging Face's convert_slow_tokenizer.py (Qwen2Converter) makes from
// those files (NFC, the Qwen2 Split pattern isolated, ByteLevel without its own regex, the
// added_tokens_decoder entries) in a scratch folder and asks the reference for ids. Expected ids
// are never produced by the C++ code.
//
// Usage (needs the npm registry once):
//   mkdir -p /tmp/unigramref && cd /tmp/unigramref && npm init -y && \
//     npm install --ignore-scripts @huggingface/transformers@4.3.2
//   NODE_PATH=/tmp/unigramref/node_modules node tools/tokenizers/make_qwen_expected.mjs
import fs from "fs";
import path from "path";
import { AutoTokenizer, qwenConverterLayout, root, scratchFolder, version } from "./reference.mjs";

const folder = path.resolve(root, "..", "shared", "fixtures", "tokenizers", "qwen2.5");
const scratch = scratchFolder("qwen-");

const { tokenizerJson, config } = qwenConverterLayout(folder);
fs.mkdirSync(path.join(scratch, "qwen2.5"));
fs.writeFileSync(path.join(scratch, "qwen2.5", "tokenizer.json"), JSON.stringify(tokenizerJson));
fs.writeFileSync(path.join(scratch, "qwen2.5", "tokenizer_config.json"), JSON.stringify(config));

// Texts whose NFC form is themselves (make_normalization_expected.mjs has the ones NFC changes).
const texts = ["Hello world", "", " ", "1234567 and 3.14, 1,000,000", "don't I'll she's WE'VE", "你好世界，今天天气很好",
    "日本語のテキスト", "👋🏽 hi 🙂", "a  b   c    ", "tabs\tand\nnewlines\n\nhere\r\n", "Wait... what?!? (yes) -- ok;",
    "<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n", "x = y + z^2 $5 #tag @user",
    "def f(x):\n    return x * 10", "Ünïcödé ÉCOLE café", "The year 2024 had 366 days.", "<|endoftext|>end",
    "  leading and trailing  ", "مرحبا بالعالم", "Привет, мир!"];
const tok = await AutoTokenizer.from_pretrained("qwen2.5");
const cases = texts.map((text) => {
    const ids = tok.encode(text);
    return { text, ids, decoded: ids.length ? tok.decode(ids, { clean_up_tokenization_spaces: false }) : "" };
});
const out = { provenance: `tools/tokenizers/make_qwen_expected.mjs: @huggingface/transformers ${version} on the ` +
    "Qwen2Converter layout of ../shared/fixtures/tokenizers/qwen2.5", cases };
fs.writeFileSync(path.join(root, "tests", "data", "tokenizers", "qwen_expected.json"), JSON.stringify(out, null, 1) + "\n");
fs.rmSync(scratch, { recursive: true });
console.log("wrote qwen_expected.json with", cases.length, "cases");
