// Makes tests/data/tokenizers/regex_random_expected.json: seeded random patterns (literals, classes
// with ranges and negation, \d \s \p{..}, '.', groups, alternation, greedy and lazy quantifiers,
// {m,n}, lookahead, line anchors) and texts, with the matches of @huggingface/transformers' own
// pattern compiler (its Oniguruma -> JS rewrite, run by V8's irregexp, a backtracking engine).
// test_tokenizers_regex compares the C++ Pike VM with them. Left out because the two rightly
// differ: \w and \b (the rewrite uses Alphabetic), possessive and atomic groups (dropped by the
// rewrite), empty matches (JS reports one right after a match, Oniguruma's find_iter does not),
// quantified groups that can match the empty string (JS fails such an iteration, Oniguruma leaves
// the loop).
// Usage: NODE_PATH=/work/scratch-regex/node_modules node tools/tokenizers/make_regex_random_expected.mjs
import fs from "fs";
import path from "path";
import { root, version } from "./reference.mjs";

const modules = process.env.NODE_PATH ?? "/tmp/unigramref/node_modules";
const { SplitPreTokenizer } = await import(path.join(modules, "@huggingface", "tokenizers", "dist", "tokenizers.mjs"));

let seed = 1;
const next = (n) => { seed = (1103515245 * seed + 12345) % 2147483648; return (seed >> 8) % n; };
const pick = (list) => list[next(list.length)];

// Characters from Unicode versions well before both engines' tables (14 and V8's ICU).
const palette = ["a", "b", "c", "x", "A", "B", "Z", "1", "2", "9", " ", "  ", "\n", "\t", ".", ",", "!", "-", "'", "é",
    "É", "中", "文", "٣", "½", "🙂", "_", "(", ")", "ß", "ж", "Ж"];
const literals = ["a", "b", "c", "x", "A", "1", " ", "\\n", "\\.", ",", "!", "-", "'", "é", "中", "٣", "\\(", "\\)"];
const classItems = ["a", "b", "x", "A", "1", " ", "a-c", "A-Z", "0-9", "\\s", "\\d", "\\p{L}", "\\p{N}", "\\p{P}",
    "\\p{Lu}", "\\p{Ll}", ".", ",", "!", "\\-", "é", "中-文"];
const escapes = ["\\d", "\\D", "\\s", "\\S", "\\p{L}", "\\p{N}", "\\p{P}", "\\p{Lu}", "\\p{Ll}", "\\P{L}", "\\p{Nd}",
    "\\p{S}", "\\p{Z}", "\\p{M}", "\\p{No}", "\\p{Lo}"];

function cls() {
    const items = Array.from({ length: 1 + next(3) }, () => pick(classItems)).join("");
    return `[${next(3) === 0 ? "^" : ""}${items}]`;
}

// nonEmpty: only quantifiers with a minimum of one (the body of a quantified group must not match
// the empty string: JS fails such an iteration where Oniguruma, like the C++ engine, leaves the loop).
function quantifier(nonEmpty) {
    const q = nonEmpty ? pick(["", "", "+", "{2}", "{1,}", "{1,3}"]) : pick(["", "", "", "*", "+", "?", "{2}", "{1,}", "{1,3}", "{0,2}"]);
    return q && next(3) === 0 ? q + "?" : q;
}

function atom(depth, nonEmpty) {
    const r = next(20);
    if (r < 6) return pick(literals) + quantifier(nonEmpty);
    if (r < 10) return cls() + quantifier(nonEmpty);
    if (r < 13) return pick(escapes) + quantifier(nonEmpty);
    if (r < 14) return "." + quantifier(nonEmpty);
    if (r < 15) return nonEmpty ? pick(literals) : pick(["^", "$"]);
    if (depth > 2) return pick(literals);
    if (r < 18) {
        const q = quantifier(nonEmpty);
        return `(?:${alternation(depth + 1, nonEmpty || q !== "")})` + q;
    }
    if (r < 19) return nonEmpty ? pick(literals) : `(?${pick(["=", "!"])}${alternation(depth + 1, false)})`;
    return `(?i:${pick(["ab", "x|b", "a+"])})` + quantifier(nonEmpty);
}

function alternation(depth, nonEmpty = false) {
    return Array.from({ length: 1 + next(3) },
        () => Array.from({ length: 1 + next(2) }, () => atom(depth, nonEmpty)).join("")).join("|");
}

const cases = [];
while (cases.length < 400) {
    const pattern = alternation(0);
    let regex;
    try {
        regex = new SplitPreTokenizer({ pattern: { Regex: pattern }, behavior: "Isolated", invert: false }).pattern;
    } catch {
        continue; // a pattern the rewrite cannot express; not a test of either engine
    }
    const texts = Array.from({ length: 6 }, () => Array.from({ length: next(16) }, () => pick(palette)).join(""));
    cases.push({ pattern, texts: texts.map((text) => ({ text,
        matches: [...text.matchAll(regex)].map((m) => m[0]).filter((m) => m.length > 0) })) });
}
const result = { provenance: `tools/tokenizers/make_regex_random_expected.mjs (seed 1): @huggingface/transformers ${version}'s ` +
    `pattern rewrite on V8 ${process.versions.v8}`, cases };
fs.writeFileSync(path.join(root, "tests", "data", "tokenizers", "regex_random_expected.json"), JSON.stringify(result, null, 1) + "\n");
console.log(`wrote regex_random_expected.json: ${cases.length} patterns x 6 texts`);
