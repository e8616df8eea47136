"""One command to rebuild every built-in AttnViz model:

    /usr/bin/python3 tools/train/train_all.py

1. builds the corpus and the byte-level BPE tokenizer of the decoder and encoder, then the
   Apertium English -> Spanish pairs and the 16k vocabulary of the translator (tools/train/work/),
2. trains decoder (GPT-2), encoder (BERT) and translator (BART) as three parallel
   single-threaded processes (on 2 cores this beats one process with 2 threads),
3. writes resources/models/<name>/{config.json, model.safetensors, tokenizer.json,
   MODEL_CARD.md, metrics.json, reference.json}.
Fixed seeds everywhere; logs go to tools/train/work/<name>.log.
"""
import json
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402

MODELS = ["decoder", "encoder", "translator"]


def main():
    common.fast_runtime()
    t0 = time.time()
    import prepare
    prepare.load(force=True)
    import vocab
    vocab.load(force=True)  # the Apertium pairs stay cached in work/pairs.tsv
    procs = {}
    for m in MODELS:
        log = open(os.path.join(common.WORK, m + ".log"), "w")
        # Separate sessions: each model is an independent job for the scheduler.
        procs[m] = subprocess.Popen([sys.executable, os.path.join(common.HERE, f"train_{m}.py")],
                                    stdout=log, stderr=subprocess.STDOUT, cwd=common.HERE,
                                    start_new_session=True)
    try:
        failed = [m for m, p in procs.items() if p.wait() != 0]
    except KeyboardInterrupt:
        for p in procs.values():
            p.terminate()
        raise
    summary = {}
    for m in MODELS:
        path = os.path.join(common.MODELS_DIR, m, "metrics.json")
        if m not in failed and os.path.exists(path):
            with open(path) as f:
                met = json.load(f)
            summary[m] = {k: v for k, v in met.items()
                          if k.startswith(("train_seconds", "val_", "unigram", "masked_acc", "best_", "heldout"))}
    print(json.dumps(summary, indent=1))
    print(f"total wall time {time.time() - t0:.0f}s")
    if failed:
        sys.exit(f"failed: {failed} (see tools/train/work/<name>.log)")


if __name__ == "__main__":
    main()
