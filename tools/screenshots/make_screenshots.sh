#!/usr/bin/env bash
# Renders docs/screenshots/<view>.png for every view with the app's own --screenshot option.
# Usage: tools/screenshots/make_screenshots.sh [BUILD_DIR] [MODEL] [TEXT]
# Runs offscreen (or under xvfb-run when it is installed and ATTNVIZ_XVFB=1) at the app's
# fixed screenshot size (1280x820), so the pictures are reproducible. Presentation mode is shot
# full screen on offscreen screens of 1280x800 and 1920x1080. ATTNVIZ_SCREENSHOTS=presentation
# makes only those.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
build="${1:-$root/build}"
model="${2:-}"
default_text="The animal didn't cross the street because it was too tired."
text="${3:-$default_text}"
app="$build/bin/attnviz"
out="$root/docs/screenshots"

if [[ ! -x "$app" ]]; then
    echo "make_screenshots: $app not found; build the attnviz target first" >&2
    exit 1
fi
mkdir -p "$out"

run() {
    if [[ "${ATTNVIZ_XVFB:-0}" == 1 ]] && command -v xvfb-run >/dev/null; then
        xvfb-run -a -s "-screen 0 1600x1000x24" "$app" "$@"
    else
        QT_QPA_PLATFORM=offscreen "$app" "$@"
    fi
}

model_args=()
[[ -n "$model" ]] && model_args=(--model "$model")

# run_on_screen WxH ARGS...: the app on an offscreen screen of that size (presentation mode fills it).
run_on_screen() {
    local width="${1%x*}" height="${1#*x}" config
    shift
    config="$(mktemp --suffix=.json)"
    printf '{"screens":[{"name":"screen","x":0,"y":0,"width":%d,"height":%d,"logicalDpi":96,"dpr":1}]}' \
        "$width" "$height" >"$config"
    QT_QPA_PLATFORM="offscreen:configfile=$config" "$app" "$@" || { rm -f "$config"; return 1; }
    rm -f "$config"
}

# Presentation mode: the heatmap, the charts and the arcs, full screen at a small and a large screen.
for size in 1280x800 1920x1080; do
    echo "make_screenshots: presentation $size"
    run_on_screen "$size" "${model_args[@]}" --text "$text" --view heatmap --layer 3 --head 2 --presentation \
        --screenshot "$out/presentation-heatmap-$size.png"
    run_on_screen "$size" "${model_args[@]}" --text "$text" --view chart --layer 3 --presentation \
        --screenshot "$out/presentation-chart-$size.png"
    run_on_screen "$size" "${model_args[@]}" --text "$text" --view arcs --layer 3 --head 2 --presentation \
        --screenshot "$out/presentation-arcs-$size.png"
done
if [[ "${ATTNVIZ_SCREENSHOTS:-all}" == presentation ]]; then
    exit 0
fi

# view name, layer, head (0-based, as in attnviz-cli): a layer and head where each view has something to show.
while read -r view layer head; do
    echo "make_screenshots: $view"
    run "${model_args[@]}" --text "$text" --view "$view" --layer "$layer" --head "$head" \
        --screenshot "$out/$view.png"
done <<'VIEWS'
heatmap 3 2
arcs 3 2
model 0 0
pipeline 0 0
chart 0 0
lens 0 0
attribution 0 0
VIEWS

# The model grid with each head's direct logit attribution as its badge.
run "${model_args[@]}" --text "$text" --view model --badges attribution --screenshot "$out/model-attribution.png"

# What the cells mean: value-weighted attention, one head and the whole layer (mean of heads).
run "${model_args[@]}" --text "$text" --view heatmap --layer 3 --head 2 --measure value-weighted \
    --screenshot "$out/heatmap-value-weighted.png"
run "${model_args[@]}" --text "$text" --view heatmap --layer 3 --head 2 --measure alti \
    --screenshot "$out/heatmap-alti.png"
run "${model_args[@]}" --text "$text" --view heatmap --layer 3 --head 2 --measure flow \
    --screenshot "$out/heatmap-flow.png"
# The analysis windows are dialogs: their tests keep a picture when ATTNVIZ_GALLERY names a folder
# (a build with the tests: -DATTNVIZ_BUILD_TESTS=ON).
for shot in "test_ui_compare differenceOfTwoInputs" "test_ui_readouts headImportanceMatchesTheCore"; do
    read -r test function <<<"$shot"
    if [[ -x "$build/tests/$test" ]]; then
        ATTNVIZ_GALLERY="$out" QT_QPA_PLATFORM=offscreen "$build/tests/$test" "$function" >/dev/null
    else
        echo "make_screenshots: $build/tests/$test not built; compare.png and importance.png are kept" >&2
    fi
done

# Scores before softmax on the diverging map, and sub-words merged into words.
run "${model_args[@]}" --text "$text" --view heatmap --layer 3 --head 2 --colormap diverging \
    --screenshot "$out/heatmap-scores.png"
run "${model_args[@]}" --text "Unbelievably, the transformers didn't misunderstand tokenization." \
    --view heatmap --merge-subwords --colormap cividis --screenshot "$out/heatmap-merged.png"
# The hand-made lessons, which need no trained model.
run --model lesson:two-heads-causal --view heatmap --screenshot "$out/lesson-heatmap.png"
run --model lesson:cross-attention-translation --view heatmap --screenshot "$out/cross-attention.png"
# The built-in translator's best alignment head (its MODEL_CARD.md), on its own greedy translation.
run --model builtin:translator --text "the red car is fast" --stack cross --layer 2 --head 3 --view heatmap \
    --screenshot "$out/translator-cross-attention.png"
# A GGUF file: the llama3 fixture quantised to Q4_K_M by llama.cpp (the ctest fixture
# llamacpp_reference_outputs writes it), else the F32 fixture itself (ctest -R gguf_fixtures_make).
gguf=""
for candidate in "$build/llamacpp_reference/quant/llama3-Q4_K_M.gguf" "$build/gguf_fixtures/llama3.gguf"; do
    if [[ -z "$gguf" && -f "$candidate" ]]; then gguf="$candidate"; fi
done
if [[ -n "$gguf" ]]; then
    run --model "$gguf" --text "The cat sat on the mat because it was tired." --view heatmap --layer 1 --head 1 \
        --screenshot "$out/gguf-llama3.png"
else
    echo "make_screenshots: no GGUF fixture in $build (run ctest -R llamacpp_reference_outputs); gguf-llama3.png kept" >&2
fi
echo "make_screenshots: wrote $(ls "$out" | wc -l) files to $out"
