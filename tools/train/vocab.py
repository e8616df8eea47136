"""The 16k shared byte-level BPE vocabulary (English + Spanish), used by the translator.

Trained on the larger English corpus (wordnet + fortunes + GCIDE) plus the Spanish side of
the training pairs, so that everyday English and Spanish words are single tokens.  Writes
work/tokenizer16k.json and the checked-in word list of the C++ tokenisation test
(tests/data/vocab/top2000_words.txt): the 2,000 most frequent corpus words.

The decoder and encoder keep the 4,096-entry vocabulary of prepare.py for now.
"""
import collections
import os
import pickle
import re
import time

import bpe
import corpus
import pairs
from common import DEFAULT_SENTENCE, REPO, WORK

VOCAB_SIZE = 16384
SEED = 0
N_WORDS = 2000
SINGLE_TOKEN_BAR = 0.97
# The Spanish side (34k short sentences) is small next to the English corpus; counting it
# SPANISH_WEIGHT times gives everyday Spanish words ("coche", "rojo") tokens of their own.
SPANISH_WEIGHT = 4
TOKENIZER_FILE = os.path.join(WORK, "tokenizer16k.json")
DATA_FILE = os.path.join(WORK, "data16k.pkl")
WORD_LIST_FILE = os.path.join(REPO, "tests", "data", "vocab", "top2000_words.txt")


def top_words(docs, n=N_WORDS):
    """The n most frequent words (letters only, counted case-insensitively), each in its most
    frequent spelling ("the", "American"); ties broken alphabetically."""
    spellings = collections.Counter(w for d in docs for s in d for w in re.findall(r"[A-Za-z]+", s))
    folded, best = collections.Counter(), {}
    for w, c in sorted(spellings.items()):
        key = w.lower()
        folded[key] += c
        if key not in best or c > spellings[best[key]]:
            best[key] = w
    return [best[k] for k, _ in sorted(folded.items(), key=lambda kv: (-kv[1], kv[0]))[:n]]


def single_token_rate(tok, words):
    return sum(len(tok.encode(" " + w)) == 1 for w in words) / len(words)


def write_word_list(words):
    os.makedirs(os.path.dirname(WORD_LIST_FILE), exist_ok=True)
    with open(WORD_LIST_FILE, "w", encoding="utf-8") as f:
        f.write("\n".join(words) + "\n")


def build():
    t0 = time.time()
    train_docs, val_docs = corpus.build_corpus(WORK, SEED, with_gcide=True, filename="corpus_large.txt")
    train_pairs, test_pairs = pairs.split(pairs.build(train_docs + val_docs))
    texts = [" ".join(d) for d in train_docs] + [es for _, es in train_pairs] * SPANISH_WEIGHT
    tok = bpe.Tokenizer(bpe.train_bpe(texts, VOCAB_SIZE))
    tok.save(TOKENIZER_FILE)
    words = top_words(train_docs)
    write_word_list(words)
    report = {"vocab_size": len(tok), "single_token_rate": single_token_rate(tok, words),
              "default_sentence_tokens": [tok.decode([i]) for i in tok.encode(DEFAULT_SENTENCE)],
              "train_pairs": len(train_pairs), "test_pairs": len(test_pairs),
              "corpus_train_docs": len(train_docs), "seconds": time.time() - t0}
    with open(DATA_FILE, "wb") as f:
        pickle.dump({"train_pairs": train_pairs, "test_pairs": test_pairs, "report": report}, f)
    return tok, report


def load(force=False):
    if force or not os.path.exists(DATA_FILE):
        tok, _ = build()
    else:
        tok = bpe.Tokenizer.load(TOKENIZER_FILE)
    with open(DATA_FILE, "rb") as f:
        return tok, pickle.load(f)


if __name__ == "__main__":
    _, data = load(force=True)
    rep = data["report"]
    print(rep)
    if rep["single_token_rate"] < SINGLE_TOKEN_BAR:
        raise SystemExit(f"single-token rate {rep['single_token_rate']:.3f} < {SINGLE_TOKEN_BAR}")
