#!/usr/bin/env bash
# Seeds each harness's corpus from the repository's test data and the shared fixtures, into
# OUT/<harness>/ (a build folder; nothing is committed twice). Usage: make_corpus.sh OUT
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
shared="${ATTNVIZ_SHARED_FIXTURES:-$repo/../shared/fixtures}"
out="$1"
mkdir -p "$out"
seed() { # seed HARNESS FILE...: copies files of at most 2 MB, named by their path
    local h="$1" f name; shift
    mkdir -p "$out/$h"
    for f in "$@"; do
        [ -f "$f" ] && [ "$(stat -c %s "$f")" -le 2097152 ] || continue
        name="${f#"$repo"/}"
        name="${name#../}"
        cp "$f" "$out/$h/${name//\//_}"
    done
}
shopt -s nullglob
seed json "$repo"/tests/data/*/*.json "$repo"/tests/data/*/*/*.json "$repo"/resources/lessons/*.json \
    "$shared"/tokenizers/*/tokenizer_config.json "$shared"/tokenizers/*/special_tokens_map.json
seed lesson "$repo"/resources/lessons/*.json
seed session "$repo"/tests/data/sessions/*.attnviz
seed safetensors "$repo"/tests/data/models/*/*.safetensors
seed attentionfile "$repo"/tests/data/attentionfiles/*.safetensors
seed torchpickle "$repo"/tests/data/models/*/*.bin "$repo"/tests/data/torch/*.bin
# The harness also feeds its input to the pickle reader alone: each archive's data.pkl as a seed.
if command -v python3 >/dev/null; then
    python3 - "$out/torchpickle" "$repo"/tests/data/torch/*.bin "$repo"/tests/data/models/*_torch/*.bin <<'PY'
import os, sys, zipfile
for path in sys.argv[2:]:
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as z:
            for name in z.namelist():
                if name.endswith("/data.pkl") and z.getinfo(name).compress_type == 0:
                    with open(os.path.join(sys.argv[1], "pkl_" + os.path.basename(os.path.dirname(path)) + "_" + os.path.basename(path)), "wb") as f:
                        f.write(z.read(name))
PY
fi
seed tokenizerjson "$repo"/tests/data/tokenizers/*/tokenizer.json "$shared"/tokenizers/bert-base-uncased/tokenizer.json
seed llama2c "$shared"/models/stories260K/stories260K.bin
# The regex harness: a behavior byte, a pattern, the separator, a text; the patterns of the Split
# fixture (BLOOM, DeepSeek, o200k, ...) with one of its texts. Its pre-tokenizers also seed the
# tokenizerjson harness.
mkdir -p "$out/regex"
if command -v python3 >/dev/null; then
    mkdir -p "$out/tokenizerjson"
    python3 - "$out/regex" "$repo"/tests/data/tokenizers/regexsplit_expected.json "$out/tokenizerjson" <<'PY'
import json, sys
fixture = json.load(open(sys.argv[2], encoding="utf-8"))
n = 0
for name, seq in fixture["sequences"].items():
    # The tokenizerjson harness: the same pre-tokenizer before a tiny byte-level BPE.
    model = {"type": "BPE", "vocab": {"a": 0, "b": 1, "ab": 2}, "merges": ["a b"]}
    with open(f"{sys.argv[3]}/split_{name}.json", "w", encoding="utf-8") as f:
        json.dump({"pre_tokenizer": seq["pre_tokenizer"], "model": model}, f)
    for i, p in enumerate(seq["pre_tokenizer"]["pretokenizers"]):
        pattern = p.get("pattern", {}).get("Regex")
        if pattern is None:
            continue
        text = seq["cases"][n % len(seq["cases"])]["text"]
        with open(f"{sys.argv[1]}/{name}_{i}", "wb") as f:
            f.write(bytes([n % 5]) + pattern.encode() + b"\n@@ATTNVIZ-PART@@\n" + text.encode())
        n += 1
PY
fi
# The tokenizer harness reads its vocabulary size from the first byte: 128 -> 512 entries.
mkdir -p "$out/llama2ctokenizer"
{ printf '\x80'; cat "$shared"/models/stories260K/tok512.bin; } > "$out/llama2ctokenizer/tok512"
# The Unigram harness: a layout byte, a .model, the separator, a text. The real ALBERT and
# CamemBERT files, Mistral's BPE one, and a hand-made 7-piece model (<unk> <s> </s> ▁ a b ab;
# unk_id 0) so that most runs stay small.
mkdir -p "$out/unigram"
usep=$'\n@@ATTNVIZ-PART@@\n'
{ printf '\x10'; cat "$shared"/tokenizers/albert/spiece.model; printf '%s%s' "$usep" "Hello, wörld! ﬁ ①"; } \
    > "$out/unigram/albert"
{ printf '\x02'; cat "$shared"/tokenizers/camembert/sentencepiece.bpe.model; printf '%s%s' "$usep" "Ça va ?  très bien"; } \
    > "$out/unigram/camembert"
{ printf '\x04'; cat "$shared"/tokenizers/mistral/tokenizer.model; printf '%s%s' "$usep" "[INST] hi [/INST] 🙂"; } \
    > "$out/unigram/mistral"
{ printf '\x01'
  printf '\x0a\x0e\x0a\x05<unk>\x15\x00\x00\x00\x00\x18\x02'
  printf '\x0a\x07\x0a\x03<s>\x18\x03'; printf '\x0a\x08\x0a\x04</s>\x18\x03'
  printf '\x0a\x0a\x0a\x03\xe2\x96\x81\x15\x00\x00\x80\xbf'
  printf '\x0a\x08\x0a\x01a\x15\x00\x00\x00\xc0'; printf '\x0a\x08\x0a\x01b\x15\x00\x00\x00\xc0'
  printf '\x0a\x09\x0a\x02ab\x15\x00\x00\x40\xc0'
  printf '\x12\x05\x18\x01\xc0\x02\x00\x1a\x04\x18\x01\x20\x01'
  printf '%s%s' "$usep" "ab ba  abc"; } > "$out/unigram/tiny"
mkdir -p "$out/tokenize"
i=0
for text in "The animal didn't cross the street because it was too tired." "Hello, wörld! 猫 🙂" \
    "مرحبا بالعالم" "  tabs	and
newlines  " "[CLS] [SEP] [MASK] <|endoftext|>" "ǅ ﬁ Å ẞ"; do
    printf '%s' "$text" > "$out/tokenize/text$((i++))"
done
# Hugging Face folders: config.json, model.safetensors and tokenizer.json joined by the separator.
mkdir -p "$out/hfloader"
sep=$'\n@@ATTNVIZ-PART@@\n'
for d in "$repo"/tests/data/models/*/; do
    [ -f "$d/config.json" ] && [ -f "$d/model.safetensors" ] || continue
    tok="$d/tokenizer.json"
    [ -f "$tok" ] || tok="$repo/tests/data/tokenizers/tiny-llama/tokenizer.json"
    { cat "$d/config.json"; printf '%s' "$sep"; cat "$d/model.safetensors"; printf '%s' "$sep"; cat "$tok"; } \
        > "$out/hfloader/$(basename "$d")"
done
# GGUF: small files written here (every value type, nested arrays, a custom alignment, F32, F16,
# BF16, Q8_0 and Q4_K tensors; a version 2 file; a vocab-only file with tokens, merges, types).
mkdir -p "$out/gguf"
if command -v python3 >/dev/null; then
    python3 - "$out/gguf" <<'PY'
import os, struct, sys
def s(x): x = x.encode() if isinstance(x, str) else x; return struct.pack("<Q", len(x)) + x
def kv(k, t, v): return s(k) + struct.pack("<I", t) + v
def arr(t, items): return struct.pack("<IQ", t, len(items)) + b"".join(items)
def gguf(version, kvs, tensors, align=32):
    out = b"GGUF" + struct.pack("<IQQ", version, len(tensors), len(kvs)) + b"".join(kvs)
    data, offs = b"", []
    for name, ne, typ, raw in tensors:
        data += b"\0" * (-len(data) % align); offs.append(len(data)); data += raw
    for (name, ne, typ, raw), off in zip(tensors, offs):
        out += s(name) + struct.pack("<I", len(ne)) + b"".join(struct.pack("<Q", d) for d in ne) + struct.pack("<IQ", typ, off)
    if tensors: out += b"\0" * (-len(out) % align) + data
    return out
u32 = lambda v: struct.pack("<I", v)
rich = [kv("general.architecture", 8, s("llama")), kv("t.u8", 0, b"\xc8"), kv("t.i8", 1, b"\xfb"),
        kv("t.u16", 2, struct.pack("<H", 60000)), kv("t.i16", 3, struct.pack("<h", -300)), kv("t.u32", 4, u32(7)),
        kv("t.i32", 5, struct.pack("<i", -7)), kv("t.f32", 6, struct.pack("<f", 1.5)), kv("t.b", 7, b"\x01"),
        kv("t.u64", 10, struct.pack("<Q", 1 << 40)), kv("t.i64", 11, struct.pack("<q", -1)),
        kv("t.f64", 12, struct.pack("<d", 0.25)), kv("t.au32", 9, arr(4, [u32(1), u32(2)])),
        kv("t.astr", 9, arr(8, [s("a"), s(""), s("<0x0A>")])),
        kv("t.nest", 9, arr(9, [arr(1, [b"\x01", b"\xfe"]), arr(8, [s("x")])])), kv("general.alignment", 4, u32(64))]
tensors = [("token_embd.weight", [4, 3], 0, struct.pack("<12f", *range(12))), ("q", [32, 2], 8, bytes(range(68))),
           ("norm", [4], 1, struct.pack("<4H", 0x3c00, 0xc000, 0x3800, 0)), ("bf", [2, 1, 1, 2], 30, b"\x80\x3f" * 4),
           ("down", [256, 1], 12, bytes(144))]
open(os.path.join(sys.argv[1], "rich"), "wb").write(gguf(3, rich, tensors, 64))
open(os.path.join(sys.argv[1], "v2"), "wb").write(gguf(2, [kv("gpt2.block_count", 4, u32(1))], [("w", [8], 0, bytes(32))]))
tokens = ["<unk>", "<s>", "</s>", "\u0120", "a", "b", "ab", "\u0120ab"]
vocab = [kv("tokenizer.ggml.model", 8, s("gpt2")), kv("tokenizer.ggml.pre", 8, s("gpt2")),
         kv("tokenizer.ggml.tokens", 9, arr(8, [s(t) for t in tokens])),
         kv("tokenizer.ggml.token_type", 9, arr(5, [u32(3), u32(3), u32(3)] + [u32(1)] * 5)),
         kv("tokenizer.ggml.merges", 9, arr(8, [s("a b"), s("\u0120 ab")])),
         kv("tokenizer.ggml.bos_token_id", 4, u32(1)), kv("tokenizer.ggml.add_bos_token", 7, b"\x00")]
open(os.path.join(sys.argv[1], "vocab"), "wb").write(gguf(3, vocab, []))
pieces = ["<unk>", "<s>", "</s>", "[INST]"] + ["<0x%02X>" % b for b in range(256)] + ["\u2581", "a", "b", "\u2581a", "ab"]
f32 = lambda v: struct.pack("<f", v)
spm = [kv("tokenizer.ggml.model", 8, s("llama")), kv("tokenizer.ggml.tokens", 9, arr(8, [s(p) for p in pieces])),
       kv("tokenizer.ggml.scores", 9, arr(6, [f32(0)] * 260 + [f32(-1), f32(-2), f32(-3), f32(-4), f32(-5)])),
       kv("tokenizer.ggml.token_type", 9, arr(5, [u32(2), u32(3), u32(3), u32(3)] + [u32(6)] * 256 + [u32(1)] * 5)),
       kv("tokenizer.ggml.add_eos_token", 7, b"\x01")]
open(os.path.join(sys.argv[1], "spm"), "wb").write(gguf(3, spm, []))
PY
fi
# Inputs that once crashed a harness (tests/fuzz/regressions/<harness>/): replayed on every run.
for d in "$here"/regressions/*/; do
    mkdir -p "$out/$(basename "$d")"
    cp "$d"* "$out/$(basename "$d")/"
done
for h in "$out"/*/; do echo "$(basename "$h"): $(ls "$h" | wc -l) seeds"; done
