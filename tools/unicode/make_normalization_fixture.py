#!/usr/bin/python3
"""Writes tests/data/unicode/normalization.txt: inputs and their NFC, NFD, NFKC and NFKD forms from
Python's unicodedata.normalize, for test_tokenizers_unicode. One case a line,
`source;NFC;NFD;NFKC;NFKD`, each field code points in hex separated by spaces; an empty field means
"the same as the source". The cases:
  - every code point that has a decomposition or a non-zero combining class, except the Hangul
    syllables (every 11th of those, which meets every L, V and T index, plus the last);
  - sequences (seeded, so the file is reproducible): marks out of canonical order, Hangul jamo
    L+V, L+V+T, LV+T and ones that must not compose, the decompositions of composition exclusions
    (which must not compose back), blocked compositions, singletons next to the characters they
    map to, and random mixes of starters, marks, jamo and compatibility characters.

Run from the repository root:  /usr/bin/python3 tools/unicode/make_normalization_fixture.py
"""
import os
import random
import sys
import unicodedata as ud

SEED = 15
HANGUL_FIRST, HANGUL_LAST = 0xAC00, 0xD7A3


def interesting_code_points():
    out = []
    for cp in range(0x110000):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        ch = chr(cp)
        if HANGUL_FIRST <= cp <= HANGUL_LAST:
            if (cp - HANGUL_FIRST) % 11 == 0 or cp == HANGUL_LAST:
                out.append(ch)
        elif ud.decomposition(ch) or ud.combining(ch):
            out.append(ch)
    return out


def sequences(rng):
    marks = [chr(cp) for cp in range(0x110000) if not 0xD800 <= cp <= 0xDFFF and ud.combining(chr(cp))]
    common_marks = [chr(cp) for cp in range(0x300, 0x370)] + ["\u0591", "\u05B0", "\u05BC", "\u093C", "\u0E38", "\u302A"]
    pairs = []  # (first, second) of primary composites
    excluded = []
    for cp in range(0x110000):
        if HANGUL_FIRST <= cp <= HANGUL_LAST or 0xD800 <= cp <= 0xDFFF:
            continue
        mapping = ud.decomposition(chr(cp))
        if not mapping or mapping.startswith("<"):
            continue
        parts = "".join(chr(int(x, 16)) for x in mapping.split())
        if len(parts) == 2 and ud.normalize("NFC", chr(cp)) == chr(cp):
            pairs.append(parts)
        elif ud.normalize("NFC", chr(cp)) != chr(cp):
            excluded.append(cp)
    out = []
    # Marks out of order after a base, and after a base that composes with one of them.
    for _ in range(250):
        base = rng.choice("aeiouAEIOUsSqxz") if rng.random() < 0.7 else rng.choice(pairs)[0]
        out.append(base + "".join(rng.choice(common_marks if rng.random() < 0.8 else marks)
                                  for _ in range(rng.randint(2, 4))))
    # Hangul: compose L+V and LV+T; L+L, V+V, T alone, LVT+T and a syllable + V do not.
    L = [chr(0x1100 + i) for i in range(19)]
    V = [chr(0x1161 + i) for i in range(21)]
    T = [chr(0x11A8 + i) for i in range(27)]
    for _ in range(60):
        out.append(rng.choice(L) + rng.choice(V))
        out.append(rng.choice(L) + rng.choice(V) + rng.choice(T))
        lv = chr(HANGUL_FIRST + 28 * rng.randrange(19 * 21))
        out.append(lv + rng.choice(T))
    out += [L[0] + L[1], V[0] + V[1], T[0], chr(0x11A7), L[0] + V[0] + chr(0x11A7), chr(0xAC01) + T[0],
            chr(0xAC00) + V[0], L[0] + "\u0301" + V[0], chr(0xAC00) + "\u0301" + T[0], "\u3131\u314F"]
    # Composition exclusions, written decomposed: they stay decomposed under NFC.
    for cp in excluded:
        out.append(ud.normalize("NFD", chr(cp)))
    # Blocked: a mark of the same class, or a starter, between a base and a mark it composes with.
    for first, second in rng.sample(pairs, 120):
        c = ud.combining(second)
        same = [m for m in common_marks if ud.combining(m) == c and m != second]
        if c and same:
            out.append(first + rng.choice(same) + second)
        out.append(first + "b" + second)
        out.append(first + "\u0323" + second)  # class 220 before a higher class: not blocked
    # Singletons beside what they map to.
    out += ["\u212B A\u030A \u00C5", "\u2126\u03A9", "\u0340\u0300", "\u0341\u0301", "\u0343\u0313", "\u0374\u02B9",
            "\u037E;", "\u0387\u00B7", "\u1F71\u03AC", "\u212A K", "\u2000\u2002", "\uF900\u8C48", "\u0344\u0308\u0301"]
    # Random mixes.
    pool = [p for p in "aAeEoOuUsScCnNdD1 ."] + [chr(cp) for cp in (0x00C5, 0x1E9B, 0xFB01, 0xFF21, 0x2460, 0x00B2,
            0x3392, 0xFF76, 0xFF9E, 0x01C4, 0xFDFA, 0x0958, 0x0F73, 0x09C7, 0x09BE, 0x0B47, 0x0B3E, 0x0CC6, 0x0CD5,
            0x0DD9, 0x0DCF, 0x1025, 0x102E, 0x1B05, 0x1B35, 0x110B1, 0x110BA)] + common_marks[:40] + L[:4] + V[:4] + T[:4]
    for _ in range(400):
        out.append("".join(rng.choice(pool) for _ in range(rng.randint(2, 7))))
    return out


def field(s, source):
    return "" if s == source else " ".join(f"{ord(c):X}" for c in s)


def main():
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    target = os.path.join(root, "tests", "data", "unicode", "normalization.txt")
    rng = random.Random(SEED)
    singles = interesting_code_points()
    seqs = sequences(rng)
    with open(target, "w", encoding="ascii") as f:
        f.write(f"# GENERATED by tools/unicode/make_normalization_fixture.py (seed {SEED}) from Python "
                f"{sys.version.split()[0]}'s unicodedata, Unicode {ud.unidata_version}. Do not edit.\n")
        f.write(f"# source;NFC;NFD;NFKC;NFKD (hex; empty = the source). {len(singles)} code points, "
                f"{len(seqs)} sequences.\n")
        for s in singles + seqs:
            forms = [ud.normalize(form, s) for form in ("NFC", "NFD", "NFKC", "NFKD")]
            f.write(";".join([field(s, "")] + [field(x, s) for x in forms]) + "\n")
    print(f"wrote {target}: {len(singles)} code points, {len(seqs)} sequences, {os.path.getsize(target) // 1024} KB")


if __name__ == "__main__":
    main()
