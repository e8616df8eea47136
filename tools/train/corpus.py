"""Build the English training corpus from openly licensed Debian packages.

Sources (recorded in every model card via SOURCES):
  * wordnet-base  - WordNet 3.0 glosses and quoted example sentences
  * fortunes      - BSD fortune(6) quotation database (English files only)
  * dict-gcide    - GCIDE definitions and quoted examples (only in the larger
                    corpus of the 16k vocabulary and the translator, LARGE_SOURCES)

Output: a list of documents, each a list of sentences (plain str).  The corpus
is written to tools/train/work/corpus.txt (git-ignored), never committed.
"""
import glob
import gzip
import os
import random
import re

WORDNET_DIR = "/usr/share/wordnet"
FORTUNE_DIR = "/usr/share/games/fortunes"
GCIDE_FILE = "/usr/share/dictd/gcide.dict.dz"
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

GCIDE_SOURCE = {
    "package": "dict-gcide", "version": "0.48.5+nmu2 (Debian 12)",
    "content": "GCIDE 0.48 (Webster's Revised Unabridged Dictionary 1913 plus later additions) definitions "
               "and quoted examples as plain sentences; paragraphs taken from WordNet are skipped "
               "(/usr/share/dictd/gcide.dict.dz)",
    "licence": "GNU General Public License, version 2 or later, as stated in /usr/share/doc/dict-gcide/copyright"}
LARGE_SOURCES = SOURCES + [GCIDE_SOURCE]

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


_GCIDE_HEAD = re.compile(r"^([A-Z][^\\\n]*?) \\[^\\]*\\")   # 'Abjure \Ab*jure"\, v. t.'
_GCIDE_POS = re.compile(r"^[,\s]*((n|v|a|adv|prep|conj|interj|pron|t|i|pl|sing|imp|p|pr|vb|obs)\.[,\s]*)+")
_BRACKETS = re.compile(r"\[[^\[\]]*\]")                       # etymology, [R.], [1913 Webster]
_ATTRIBUTION = re.compile(r"\s--[^\"]*?(?=\s*(\"|$|\s[A-Z0-9]\w*\s))")  # ' --Shak.', ' --Bp. Burnet.'
_LABEL = re.compile(r"^(\d+\.|\([a-z]\)|\(\w+\.(\s\w+\.)*\))\s*")  # sense numbers, (Hort.)


def _gcide_paragraph(text, headword):
    """Plain sentences of one GCIDE paragraph: 'Headword: definition.' and its quoted examples."""
    while True:  # nested brackets: strip innermost first
        stripped = _BRACKETS.sub("", text)
        if stripped == text:
            break
        text = stripped
    text = _ATTRIBUTION.sub("", text.replace("{", "").replace("}", "")).replace("\\", "")
    text = _clean(text)
    while _LABEL.match(text):
        text = _LABEL.sub("", text, count=1)
    examples = [_clean(e) for e in re.findall(r'"([^"]+)"', text)]
    definition = _clean(re.sub(r'"[^"]*"', "", text)).split("; as,")[0].strip(" ;,.:")
    sents = []
    if len(definition.split()) >= 2 and _letter_ratio(definition) > 0.85:
        sents.append(f"{headword}: {definition[0].lower() + definition[1:]}.")
    for ex in examples:
        if len(ex.split()) >= 4 and _letter_ratio(ex) > 0.85 and ex[0].isupper():
            sents.append(ex if ex[-1] in ".!?" else ex + ".")
    return sents


def gcide_docs():
    """One document per GCIDE headword entry (its definition and example paragraphs)."""
    with gzip.open(GCIDE_FILE, "rt", encoding="utf-8", errors="replace") as f:
        raw = f.read()
    docs, current, headword = [], [], None
    for para in re.split(r"\n\s*\n", raw):
        if "WordNet" in para or para.lstrip().startswith(("Syn:", "Note:")) or not para.isascii():
            continue
        m = _GCIDE_HEAD.match(para)
        if m:
            if current:
                docs.append(current)
            headword, current = m.group(1).replace("*", "").replace('"', "").replace("`", ""), []
            para = _GCIDE_POS.sub("", para[m.end():])
        if headword is None or not headword.isalpha():
            continue
        current.extend(_gcide_paragraph(para, headword))
    if current:
        docs.append(current)
    return docs


def build_corpus(work_dir, seed=0, with_gcide=False, filename="corpus.txt"):
    """Return (train_docs, val_docs); a fixed 2% of documents is held out.

    The decoder and encoder still train on wordnet + fortunes (with_gcide False) so their
    4,096-entry tokenizer stays byte-identical; the 16k vocabulary and translator add GCIDE."""
    docs = wordnet_docs() + fortune_docs() + (gcide_docs() if with_gcide else [])
    rng = random.Random(seed)
    rng.shuffle(docs)
    n_val = len(docs) // 50
    os.makedirs(work_dir, exist_ok=True)
    with open(os.path.join(work_dir, filename), "w", encoding="utf-8") as f:
        for d in docs:
            f.write("\n".join(d) + "\n\n")
    return docs[n_val:], docs[:n_val]


if __name__ == "__main__":
    tr, va = build_corpus(os.path.join(os.path.dirname(__file__), "work"))
    n_chars = sum(len(s) for d in tr for s in d)
    print(len(tr), "train docs,", len(va), "val docs,", n_chars, "chars")
    for d in tr[:5]:
        print(d)
