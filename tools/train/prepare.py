"""Corpus + shared tokenizer, cached in tools/train/work/.

All three models share one byte-level BPE tokenizer (VOCAB_SIZE ids incl.
specials) so the app needs a single tokenizer implementation.
"""
import os
import pickle
import sys
import time

import bpe
import corpus
from common import WORK

VOCAB_SIZE = 4096
SEED = 0


def build():
    t0 = time.time()
    train_docs, val_docs = corpus.build_corpus(WORK, SEED)
    merges = bpe.train_bpe([" ".join(d) for d in train_docs], VOCAB_SIZE)
    tok = bpe.Tokenizer(merges)
    tok.save(os.path.join(WORK, "tokenizer.json"))
    # Each document -> list of sentences -> token ids.  Sentences after the
    # first get a leading space, exactly as in the " ".join(doc) text.
    enc = lambda docs: [[tok.encode(s if i == 0 else " " + s) for i, s in enumerate(d)] for d in docs]
    data = {"train": enc(train_docs), "val": enc(val_docs), "train_text": train_docs,
            "val_text": val_docs, "seconds": time.time() - t0}
    with open(os.path.join(WORK, "data.pkl"), "wb") as f:
        pickle.dump(data, f)
    n = sum(len(s) for d in data["train"] for s in d)
    print(f"corpus+tokenizer: {len(train_docs)} train docs, {n} tokens, "
          f"{data['seconds']:.1f}s", flush=True)
    return tok, data


def load(force=False):
    p = os.path.join(WORK, "data.pkl")
    if force or not os.path.exists(p):
        return build()
    with open(p, "rb") as f:
        data = pickle.load(f)
    return bpe.Tokenizer.load(os.path.join(WORK, "tokenizer.json")), data


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    tok, _ = load(force=True)
    ids = tok.encode(corpus.__dict__.get("X", "The animal didn't cross the street because it was too tired."))
    print(ids, [tok.id_to_token[i] for i in ids])
