"""Build the English training corpus from openly licensed Debian packages.

Sources (recorded in every model card via SOURCES):
  * wordnet-base  - WordNet 3.0 glosses and quoted example sentences
  * fortunes      - BSD fortune(6) quotation database (English files only)

Output: a list of documents, each a list of sentences (plain str).  The corpus
is written to tools/train/work/corpus.txt (git-ignored), never committed.
"""
import glob
import os
import random
import re

WORDNET_DIR = "/usr/share/wordnet"
FORTUNE_DIR = "/usr/share/games/fortunes"
# ascii-art files are pictures, translate-me is not English.
FORTUNE_SKIP = {"art", "ascii-art", "translate-me"}

SOURCES = [
    {"package": "wordnet-base", "version": "1:3.0-37 (Debian 12)",
     "content": "WordNet 3.0 noun/verb/adjective/adverb glosses and example sentences "
                "(/usr/share/wordnet/data.*)",
     "licence": "WordNet 3.0 licence (permissive, BSD-like; 'WordNet 3.0 Copyright 2006 by "
                "Princeton University. All rights reserved.' must be retained)"},
    {"package": "fortunes", "version": "1:1.99.1-7.3 (Debian 12)",
     "content": "fortune(6) quotation files in /usr/share/games/fortunes, except art, "
                "ascii-art and translate-me",
     "licence": "BSD licence (Copyright (c) 1991 The Regents of the University of "
                "California), as stated in /usr/share/doc/fortunes/copyright"},
]

_SENT_SPLIT = re.compile(r'(?<=[.!?])\s+(?=["\'(A-Z])')


def _clean(s):
    return re.sub(r"\s+", " ", s).strip()


def _letter_ratio(s):
    return sum(c.isalpha() or c == " " for c in s) / max(1, len(s))


def wordnet_docs():
    """One document per synset: 'Lemma: definition.' followed by its examples."""
    docs = []
    for pos in ("noun", "verb", "adj", "adv"):
        with open(os.path.join(WORDNET_DIR, "data." + pos), encoding="latin-1") as f:
            for line in f:
                if line.startswith("  ") or "|" not in line:
                    continue  # licence header
                head, gloss = line.split("|", 1)
                fields = head.split()
                lemma = fields[4].replace("_", " ")
                lemma = re.sub(r"\(.*\)$", "", lemma)  # adj markers like (a)
                examples = re.findall(r'"([^"]+)"', gloss)
                definition = _clean(re.sub(r'"[^"]*"', "", gloss)).strip(" ;")
                sents = []
                if definition:
                    sents.append(f"{lemma[0].upper() + lemma[1:]}: {definition}.")
                for ex in examples:
                    ex = _clean(ex)
                    if len(ex) < 8:
                        continue
                    ex = ex[0].upper() + ex[1:]
                    if ex[-1] not in ".!?":
                        ex += "."
                    sents.append(ex)
                if sents:
                    docs.append(sents)
    return docs


def fortune_docs():
    """One document per fortune; attribution lines and ascii-art are dropped."""
    docs = []
    for path in sorted(glob.glob(os.path.join(FORTUNE_DIR, "*"))):
        name = os.path.basename(path)
        if "." in name or name in FORTUNE_SKIP or os.path.isdir(path):
            continue
        with open(path, encoding="utf-8", errors="replace") as f:
            raw = f.read()
        for item in raw.split("\n%\n"):
            lines = [l for l in item.split("\n") if not re.match(r"^\s*(--|\u2014)", l)]
            text = _clean(" ".join(lines))
            if len(text) < 10 or _letter_ratio(text) < 0.85 or not text.isascii():
                continue
            docs.append([s for s in _SENT_SPLIT.split(text) if s])
    return docs


def build_corpus(work_dir, seed=0):
    """Return (train_docs, val_docs); a fixed 2% of documents is held out."""
    docs = wordnet_docs() + fortune_docs()
    rng = random.Random(seed)
    rng.shuffle(docs)
    n_val = len(docs) // 50
    os.makedirs(work_dir, exist_ok=True)
    with open(os.path.join(work_dir, "corpus.txt"), "w", encoding="utf-8") as f:
        for d in docs:
            f.write("\n".join(d) + "\n\n")
    return docs[n_val:], docs[:n_val]


if __name__ == "__main__":
    tr, va = build_corpus(os.path.join(os.path.dirname(__file__), "work"))
    n_chars = sum(len(s) for d in tr for s in d)
    print(len(tr), "train docs,", len(va), "val docs,", n_chars, "chars")
    for d in tr[:5]:
        print(d)
