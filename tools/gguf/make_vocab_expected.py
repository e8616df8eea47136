#!/usr/bin/python3
"""Expected token ids of the vocab-only GGUF files of make_vocab_gguf.py, from llama.cpp itself:
tools/llamacpp's reference tool loads each file with vocab_only and calls llama_tokenize (with
add_special and parse_special, the way AttnViz matches special tokens in the text).

    make_vocab_expected.py LLAMACPP_REFERENCE [FIXTURES_TOKENIZERS] > tests/data/tokenizers/gguf_vocab_expected.json

LLAMACPP_REFERENCE is the built llamacpp_reference executable (tools/llamacpp/). Output is
byte-identical on rerun.
"""

import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import make_vocab_gguf  # noqa: E402

COMMON = [
    "Hello world",
    "",
    " ",
    "Hello, world! How are you?",
    "  leading and trailing spaces  ",
    "a  b   c    ",
    "tabs\tand\nnewlines\n\nend",
    "\n\n\n",
    "1234567 and 3.14, 1,000,000",
    "don't I'll she's WE'VE it's",
    "caf\u00e9 na\u00efve \u00fcber se\u00f1or",
    "\u4f60\u597d\u4e16\u754c\uff0c\u4eca\u5929\u5929\u6c14\u5f88\u597d",
    "\u65e5\u672c\u8a9e\u306e\u30c6\u30ad\u30b9\u30c8",
    "\u0645\u0631\u062d\u0628\u0627 \u0628\u0627\u0644\u0639\u0627\u0644\u0645",
    "\U0001f44b\U0001f3fd hi \U0001f642",
    "The animal didn't cross the street because it was too tired.",
    "def f(x):\n    return x ** 2  # square",
    "<html><body>&amp;</body></html>",
    "\u01c5 \ufb01 \u00c5 \u1e9e \u2460",
]

SPECIAL = {
    "gpt2": ["<|endoftext|>", "one<|endoftext|>two", " <|endoftext|> spaced"],
    "qwen2.5": ["<|im_start|>user\nhi<|im_end|>", "<|endoftext|><|endoftext|>", "<tool_call>x</tool_call>",
                "<|fim_prefix|>a<|fim_suffix|>b<|fim_middle|>"],
    "mistral": ["[INST] hi [/INST]", "<s>one</s>two", "[INST]no space[/INST]", "x [TOOL_CALLS] y"],
}


def tokenize(tool, model, text):
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".txt", delete=False) as f:
        f.write(text)
        path = f.name
    try:
        out = subprocess.run([tool, "tokenize", model, "", "--text-file", path, "--parse-special"],
                             check=True, capture_output=True, text=True).stdout
    finally:
        os.unlink(path)
    return [int(t) for t in out.split()]


def main(argv):
    if len(argv) not in (2, 3):
        raise SystemExit(__doc__)
    tool = os.path.abspath(argv[1])
    fixtures = argv[2] if len(argv) == 3 else os.path.join(HERE, "..", "..", "..", "shared", "fixtures", "tokenizers")
    info = subprocess.run([tool, "info"], check=True, capture_output=True, text=True).stdout.split("\n")[0]
    with tempfile.TemporaryDirectory() as out:
        make_vocab_gguf.main(["make_vocab_gguf.py", fixtures, out])
        result = {
            "provenance": "tools/gguf/make_vocab_expected.py: llama.cpp (%s) llama_tokenize with add_special and "
                          "parse_special on the vocab_only GGUF files of tools/gguf/make_vocab_gguf.py" % info,
            "models": {},
        }
        for name in ("gpt2", "qwen2.5", "mistral"):
            model = os.path.join(out, name + ".gguf")
            result["models"][name] = [{"text": t, "ids": tokenize(tool, model, t)} for t in COMMON + SPECIAL[name]]
    # One case per line: the text and its ids.
    lines = ["{", ' "provenance": %s,' % json.dumps(result["provenance"]), ' "models": {']
    for m, (name, cases) in enumerate(result["models"].items()):
        lines.append('  %s: [' % json.dumps(name))
        for c, case in enumerate(cases):
            lines.append('   {"text": %s, "ids": %s}%s' % (json.dumps(case["text"], ensure_ascii=False),
                                                          json.dumps(case["ids"]), "," if c + 1 < len(cases) else ""))
        lines.append("  ]" + ("," if m + 1 < len(result["models"]) else ""))
    lines += [" }", "}"]
    sys.stdout.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main(sys.argv)
