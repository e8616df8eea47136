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
