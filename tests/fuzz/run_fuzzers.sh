#!/usr/bin/env bash
# Runs every libFuzzer harness of a fuzz build for a bounded time each, as many at once as there
# are cores. Usage: tests/fuzz/run_fuzzers.sh BUILD_DIR [SECONDS_EACH (60)] [HARNESS...]
# ATTNVIZ_FUZZ_FLAGS adds libFuzzer flags (e.g. "-runs=10000000 -max_len=4096" for a long run).
# Exits 1 when any harness crashed, leaked, timed out or ran out of memory, after printing the
# crashing input (hex) and the harness's report (with the stack).
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="$(cd "$1" && pwd)"
seconds="${2:-60}"
shift $(( $# >= 2 ? 2 : 1 ))
harnesses=("$@")
[ ${#harnesses[@]} -gt 0 ] || harnesses=(json safetensors torchpickle hfloader tokenizerjson regex tokenize lesson llama2c llama2ctokenizer unigram gguf
    attentionfile session)

work="$build/fuzz/run"
# The harnesses write each input to a scratch file (the parsers take paths): in memory (/dev/shm)
# that costs a fifth of what a disk-backed /tmp does. TMPDIR set by the caller wins.
# A folder of this run's own holds them and is removed at the end.
scratch_parent="${TMPDIR:-}"
if [ -z "$scratch_parent" ]; then
    scratch_parent=/tmp
    [ -d /dev/shm ] && [ -w /dev/shm ] && scratch_parent=/dev/shm
fi
TMPDIR="$(mktemp -d "$scratch_parent/attnviz-fuzzers-XXXXXX")"
export TMPDIR
trap 'rm -rf "$TMPDIR"' EXIT
mkdir -p "$work"
"$here/make_corpus.sh" "$work/seeds" >/dev/null
# Runs one harness; its report lands in $work/$h.log and its exit status in $work/$h.rc.
run_one() {
    local h="$1" bin="$build/fuzz/fuzz_$1"
    local corpus="$work/corpus/$h"   # grows across runs; the seeds are read alongside it
    local artifacts="$work/artifacts/$h"
    rm -rf "$artifacts"    # only this run's crashes count
    mkdir -p "$corpus" "$artifacts"
    local dict=()
    case "$h" in json|safetensors|hfloader|tokenizerjson|lesson|attentionfile|session) dict=(-dict="$here/json.dict");;
        torchpickle) dict=(-dict="$here/torch.dict");; esac
    # -seed fixes the mutation sequence; -rss_limit_mb/-malloc_limit_mb turn a runaway allocation
    # into a reported failure; -timeout flags an input that takes longer than 10 s.
    ASAN_OPTIONS="detect_leaks=1:allocator_may_return_null=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}" \
    UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1" \
        "$bin" "${dict[@]}" -seed=1 -max_total_time="$seconds" -rss_limit_mb=2048 -malloc_limit_mb=2048 \
        -timeout=10 -print_final_stats=1 ${ATTNVIZ_FUZZ_FLAGS:-} -artifact_prefix="$artifacts/" \
        "$corpus" "$work/seeds/$h" >"$work/$h.log" 2>&1
    echo $? >"$work/$h.rc"
}

# Each harness is single-threaded: run as many at once as there are cores (ATTNVIZ_FUZZ_PARALLEL).
parallel="${ATTNVIZ_FUZZ_PARALLEL:-$(nproc)}"
running=0
for h in "${harnesses[@]}"; do
    echo "== fuzz_$h for ${seconds}s"
    run_one "$h" &
    running=$((running + 1))
    if [ "$running" -ge "$parallel" ]; then
        wait -n
        running=$((running - 1))
    fi
done
wait

failed=()
for h in "${harnesses[@]}"; do
    bin="$build/fuzz/fuzz_$h"
    artifacts="$work/artifacts/$h"
    log="$work/$h.log"
    rc=$(cat "$work/$h.rc")
    echo "-- fuzz_$h"
    grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb' "$log" | sed "s/^/   /"
    crashes=("$artifacts"/*)
    if [ "$rc" -ne 0 ] || [ -e "${crashes[0]}" ]; then
        failed+=("$h")
        echo "!! fuzz_$h failed (exit $rc); its report:"
        grep -vE '^#[0-9]+\s+(NEW|REDUCE|pulse|INITED)|NEW_FUNC' "$log" | tail -60
        for c in "${crashes[@]}"; do
            [ -e "$c" ] || continue
            echo "!! input $c ($(stat -c %s "$c") bytes; reproduce with $bin $c):"
            head -c 2048 "$c" | od -A x -t x1z | head -40
        done
    fi
done
if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzzing failed: ${failed[*]}"
    exit 1
fi
echo "fuzzing passed: ${harnesses[*]}"
