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
seed tokenizerjson "$repo"/tests/data/tokenizers/*/tokenizer.json "$shared"/tokenizers/bert-base-uncased/tokenizer.json
seed llama2c "$shared"/models/stories260K/stories260K.bin
# The tokenizer harness reads its vocabulary size from the first byte: 128 -> 512 entries.
mkdir -p "$out/llama2ctokenizer"
{ printf '\x80'; cat "$shared"/models/stories260K/tok512.bin; } > "$out/llama2ctokenizer/tok512"
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
