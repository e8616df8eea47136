#!/usr/bin/python3
"""Writes tests/data/tokenizers/split_expected.json: how the GPT-2 and Llama 3 pre-tokenisation
regexes split a set of tricky texts, according to the third-party `regex` module (Debian's
python3-regex), an independent check of the hand-written splitters in
core/tokenizers/bytelevelsplit.cpp.

Run from the repository root:  /usr/bin/python3 tools/tokenizers/make_split_expected.py
"""
import json
import os
import unicodedata

import regex

GPT2 = r"""'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"""
LLAMA3 = (r"""(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*"""
          r"""|\s*[\r\n]+|\s+(?!\S)|\s+""")

TEXTS = [
    "Hello world", "don't I'll she's we've they're I'm he'd", "DON'T SHE'S I'LL", "'sup", "a  b   c    ",
    "tabs\tand\nnewlines\n\nhere", "line one\r\n\r\n  line two  \n", "Wait... what?!? (yes) -- ok;\n\n",
    "1234567 and 3.14 and 12", "café naïve Ångström", "你好世界 日本語", "👋🏽 hi 🙂!!", "!!'s", "x = y + z^2 $5",
    " leading and trailing ", "e\u0301t", "\u00a0nbsp\u3000ideographic", "mixed中文and English", "(hello)\n",
    "\t\tindented", "", " ", "\n", "Γειά σου Κόσμε", "Привет мир", "ab\u200bcd",
]


def split(pattern, text):
    return [m.group(0) for m in regex.finditer(pattern, text)]


def main():
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    target = os.path.join(root, "tests", "data", "tokenizers", "split_expected.json")
    data = {
        "provenance": f"tools/tokenizers/make_split_expected.py with regex {regex.__version__} "
                      f"(Unicode {unicodedata.unidata_version} in Python's unicodedata)",
        "cases": [{"text": t, "gpt2": split(GPT2, t), "llama3": split(LLAMA3, t)} for t in TEXTS],
    }
    with open(target, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print("wrote", target)


if __name__ == "__main__":
    main()
