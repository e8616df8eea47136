#!/usr/bin/python3
"""Generates core/tokenizers/unicodetables.cpp: the Unicode data the tokenizers need (character
classes, general categories for the regex engine, lowercase, and what the normalisation forms NFD, NFC, NFKD and NFKC need), as compact
range tables and sorted arrays, binary searched. Uses only Python's unicodedata, so the Unicode
version is the interpreter's.

Run from the repository root:  /usr/bin/python3 tools/unicode/make_tables.py
"""
import os
import sys
import unicodedata as ud

# Collapsed general categories; keep in sync with CharClass in core/tokenizers/unicode.h.
OTHER, LETTER, NUMBER, PUNCT, MARK_NONSPACING, MARK_OTHER, SYMBOL, SEPARATOR = range(8)


def char_class(cp):
    cat = ud.category(chr(cp))
    if cat == "Mn":
        return MARK_NONSPACING
    return {"L": LETTER, "N": NUMBER, "P": PUNCT, "M": MARK_OTHER, "S": SYMBOL, "Z": SEPARATOR}.get(cat[0], OTHER)


def class_runs():
    """(first code point, class) at every change of class; a run lasts until the next one."""
    runs, prev = [], None
    for cp in range(0x110000):
        c = char_class(cp)
        if c != prev:
            runs.append((cp, c))
            prev = c
    return runs


# General categories in the order of GeneralCategory in core/tokenizers/unicode.h (regex \p{..}).
CATEGORIES = ["Cn", "Cc", "Cf", "Cs", "Co", "Lu", "Ll", "Lt", "Lm", "Lo", "Mn", "Mc", "Me", "Nd", "Nl", "No",
              "Pc", "Pd", "Ps", "Pe", "Pi", "Pf", "Po", "Sm", "Sc", "Sk", "So", "Zs", "Zl", "Zp"]


def category_runs():
    """(first code point, general category index) at every change of category."""
    runs, prev = [], None
    for cp in range(0x110000):
        c = CATEGORIES.index(ud.category(chr(cp)))
        if c != prev:
            runs.append((cp, c))
            prev = c
    return runs


def lower_ranges():
    """(first, last, delta, stride): cp in [first, last] stepping by stride lowers to cp + delta.
    Only one-to-one mappings; U+0130 (the one multi-character lowercase) is handled in code."""
    pairs = []
    for cp in range(0x110000):
        low = chr(cp).lower()
        if len(low) == 1 and low != chr(cp):
            pairs.append((cp, ord(low) - cp))
    ranges = []
    for cp, delta in pairs:
        if ranges:
            first, last, d, stride = ranges[-1]
            if d == delta and cp - last in (1, 2) and (first == last or cp - last == stride):
                ranges[-1] = (first, cp, d, cp - last)
                continue
        ranges.append((cp, cp, delta, 1))
    return ranges


HANGUL_FIRST, HANGUL_LAST = 0xAC00, 0xD7A3  # syllables: decomposed and composed in code


def combining_class_runs():
    """(first code point, canonical combining class) at every change of class."""
    runs, prev = [], None
    for cp in range(0x110000):
        c = ud.combining(chr(cp))
        if c != prev:
            runs.append((cp, c))
            prev = c
    return runs


def decompositions():
    """Full decompositions, as two sorted tables over one pool of code points: canonical (every
    character NFD changes) and compatibility (only characters whose NFKD differs from their NFD,
    so a compatibility lookup falls back to the canonical table). Each entry is (cp, offset,
    length); one pool entry serves every character with the same decomposition."""
    canonical, compat = [], []
    for cp in range(0x110000):
        if HANGUL_FIRST <= cp <= HANGUL_LAST:
            continue
        ch = chr(cp)
        nfd, nfkd = ud.normalize("NFD", ch), ud.normalize("NFKD", ch)
        if nfd != ch:
            canonical.append((cp, nfd))
        if nfkd != nfd:
            compat.append((cp, nfkd))
    pool, offsets = [], {}

    def place(entries):
        out = []
        for cp, s in entries:
            if s not in offsets:
                offsets[s] = len(pool)
                pool.extend(ord(c) for c in s)
            out.append((cp, offsets[s], len(s)))
        return out

    canonical, compat = place(canonical), place(compat)
    assert len(pool) < 1 << 16 and all(n < 1 << 16 for _, _, n in canonical + compat)
    return canonical, compat, pool


def compositions():
    """(first, second, composite) for every primary composite, sorted: characters whose
    one-level canonical mapping is a pair and that NFC keeps (so not in Full_Composition_Exclusion:
    singletons, non-starter decompositions and the script-specific exclusions all fail NFC(c) == c).
    Hangul syllables are composed in code."""
    out = []
    for cp in range(0x110000):
        if HANGUL_FIRST <= cp <= HANGUL_LAST:
            continue
        mapping = ud.decomposition(chr(cp))
        if not mapping or mapping.startswith("<"):
            continue
        parts = [int(x, 16) for x in mapping.split()]
        if len(parts) == 2 and ud.normalize("NFC", chr(cp)) == chr(cp):
            out.append((parts[0], parts[1], cp))
    return sorted(out)


def rows(items, per_line):
    out = []
    for i in range(0, len(items), per_line):
        out.append("    " + " ".join(items[i:i + per_line]))
    return "\n".join(out)


def main():
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    target = os.path.join(root, "core", "tokenizers", "unicodetables.cpp")
    runs = class_runs()
    categories = category_runs()
    lows = lower_ranges()
    classes = combining_class_runs()
    canonical, compat, pool = decompositions()
    pairs = compositions()
    text = f"""// GENERATED by tools/unicode/make_tables.py from Python {sys.version.split()[0]}'s unicodedata,
// Unicode {ud.unidata_version}. Do not edit; rerun the script.
#include "tokenizers/unicodetables.h"

namespace attnviz::unicode::tables {{

// (first code point << 3) | class; a run lasts until the next entry's first code point.
const std::uint32_t classRuns[] = {{
{rows([f"0x{(cp << 3) | c:x}," for cp, c in runs], 10)}
}};
const std::size_t classRunCount = sizeof(classRuns) / sizeof(classRuns[0]);

// (first code point << 5) | general category (GeneralCategory's order); a run lasts until the next entry.
const std::uint32_t categoryRuns[] = {{
{rows([f"0x{(cp << 5) | c:x}," for cp, c in categories], 10)}
}};
const std::size_t categoryRunCount = sizeof(categoryRuns) / sizeof(categoryRuns[0]);

const LowerRange lowerRanges[] = {{
{rows([f"{{0x{a:x}, 0x{b:x}, {d}, {s}}}," for a, b, d, s in lows], 5)}
}};
const std::size_t lowerRangeCount = sizeof(lowerRanges) / sizeof(lowerRanges[0]);

// (first code point << 8) | canonical combining class; a run lasts until the next entry.
const std::uint32_t combiningClassRuns[] = {{
{rows([f"0x{(cp << 8) | c:x}," for cp, c in classes], 10)}
}};
const std::size_t combiningClassRunCount = sizeof(combiningClassRuns) / sizeof(combiningClassRuns[0]);

// Full canonical decompositions (NFD of each character), sorted by code point.
const Decomposition canonicalDecompositions[] = {{
{rows([f"{{0x{cp:x}, {o}, {n}}}," for cp, o, n in canonical], 6)}
}};
const std::size_t canonicalDecompositionCount = sizeof(canonicalDecompositions) / sizeof(canonicalDecompositions[0]);

// Full compatibility decompositions (NFKD) of the characters whose NFKD is not their NFD.
const Decomposition compatDecompositions[] = {{
{rows([f"{{0x{cp:x}, {o}, {n}}}," for cp, o, n in compat], 6)}
}};
const std::size_t compatDecompositionCount = sizeof(compatDecompositions) / sizeof(compatDecompositions[0]);

const char32_t decompositionPool[] = {{
{rows([f"0x{c:x}," for c in pool], 12)}
}};

// Primary composites by (first, second), sorted.
const Composition compositions[] = {{
{rows([f"{{0x{a:x}, 0x{b:x}, 0x{c:x}}}," for a, b, c in pairs], 5)}
}};
const std::size_t compositionCount = sizeof(compositions) / sizeof(compositions[0]);

}} // namespace attnviz::unicode::tables
"""
    with open(target, "w", encoding="utf-8") as f:
        f.write(text)
    size = 4 * (len(runs) + len(categories) + len(classes) + len(pool)) + 16 * len(lows) + 8 * (len(canonical) + len(compat)) + 12 * len(pairs)
    print(f"wrote {target}: {len(runs)} class runs, {len(categories)} category runs, {len(lows)} lower ranges, {len(classes)} combining class runs, "
          f"{len(canonical)} canonical and {len(compat)} compatibility decompositions (pool {len(pool)}), "
          f"{len(pairs)} compositions; {size / 1024:.1f} KB of tables")


if __name__ == "__main__":
    main()
