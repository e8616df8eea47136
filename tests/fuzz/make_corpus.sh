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
seed safetensors "$repo"/tests/data/models/*/*.safetensors
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
# Inputs that once crashed a harness (tests/fuzz/regressions/<harness>/): replayed on every run.
for d in "$here"/regressions/*/; do
    mkdir -p "$out/$(basename "$d")"
    cp "$d"* "$out/$(basename "$d")/"
done
for h in "$out"/*/; do echo "$(basename "$h"): $(ls "$h" | wc -l) seeds"; done
