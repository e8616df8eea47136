"""English -> Spanish training pairs: short corpus sentences translated by Apertium.

Apertium (Debian packages apertium, apertium-eng-spa) runs only here, at training
time, once over a file with one sentence per line.  The result is cached in
work/pairs.tsv (git-ignored); a fixed, seeded test split is held out.
"""
import os
import random
import re
import subprocess

import corpus
from common import WORK

SEED = 0
MIN_WORDS, MAX_WORDS = 3, 20
N_TEST = 1000
PAIRS_FILE = os.path.join(WORK, "pairs.tsv")
# Archaic forms from old quotations: not the everyday English the app's users type.
_ARCHAIC = re.compile(r"\b(thou|thee|thy|thine|hath|doth|art|ye|o'er|'tis|shalt|wilt)\b", re.I)
_UNKNOWN = re.compile(r"[*#@]")  # Apertium's unknown / untranslated / morphology-error markers


def _everyday(s):
    """A short, plain sentence: 3-20 words, letters and simple punctuation only."""
    words = s.split()
    return (MIN_WORDS <= len(words) <= MAX_WORDS and s.isascii() and s[0].isupper()
            and s[-1] in ".!?" and ":" not in s and re.fullmatch(r"[A-Za-z0-9 ,.;!?'\-]+", s)
            and not _ARCHAIC.search(s))


def english_sentences(docs):
    """Unique everyday sentences in document order (deterministic)."""
    seen, out = set(), []
    for d in docs:
        for s in d:
            if _everyday(s) and s not in seen:
                seen.add(s)
                out.append(s)
    return out


def apertium(lines):
    """Translate one sentence per line in a single Apertium run."""
    src = os.path.join(WORK, "apertium_in.txt")
    with open(src, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    res = subprocess.run(["apertium", "eng-spa", src], capture_output=True, check=True)
    out = res.stdout.decode("utf-8").split("\n")[:len(lines)]
    if len(out) != len(lines):
        raise RuntimeError(f"apertium returned {len(out)} lines for {len(lines)}")
    return [re.sub(r"\s+", " ", t).strip() for t in out]


def build(docs):
    """All (english, spanish) pairs without unknown-word markers; cached in work/pairs.tsv."""
    if os.path.exists(PAIRS_FILE):
        with open(PAIRS_FILE, encoding="utf-8") as f:
            return [tuple(l.rstrip("\n").split("\t")) for l in f]
    english = english_sentences(docs)
    spanish = apertium(english)
    pairs = [(e, s) for e, s in zip(english, spanish) if s and not _UNKNOWN.search(s)]
    random.Random(SEED).shuffle(pairs)
    with open(PAIRS_FILE + ".tmp", "w", encoding="utf-8") as f:
        f.writelines(f"{e}\t{s}\n" for e, s in pairs)
    os.replace(PAIRS_FILE + ".tmp", PAIRS_FILE)
    return pairs


def lexicon(words):
    """Apertium's translation of each English word on its own (one batch run), cached in
    work/lexicon.tsv; the word-level gold alignment of the translator's card uses it."""
    path = os.path.join(WORK, "lexicon.tsv")
    words = sorted(set(words))
    cached = {}
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            cached = dict(l.rstrip("\n").split("\t") for l in f)
    if not all(w in cached for w in words):
        cached = dict(zip(words, apertium(words)))
        with open(path, "w", encoding="utf-8") as f:
            f.writelines(f"{w}\t{t}\n" for w, t in sorted(cached.items()))
    return cached


def split(pairs):
    """(train, test): the first N_TEST of the seeded shuffle are the fixed test split."""
    return pairs[N_TEST:], pairs[:N_TEST]


if __name__ == "__main__":
    train_docs, val_docs = corpus.build_corpus(WORK, 0, with_gcide=True, filename="corpus_large.txt")
    tr, te = split(build(train_docs + val_docs))
    print(len(tr), "train pairs,", len(te), "test pairs")
    for p in te[:10]:
        print(p)
