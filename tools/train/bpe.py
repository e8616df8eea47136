"""Byte-level BPE (GPT-2 style) trained from scratch, saved as HF tokenizer.json.

Vocabulary layout (deterministic):
  ids 0..255           the 256 byte symbols, in GPT-2's bytes_to_unicode order
  ids 256..256+M-1     one token per merge, in merge order
  last ids             special tokens (SPECIALS order)
"""
import collections
import heapq
import json

import regex

# GPT-2 pre-tokenisation regex, verbatim.
PAT = regex.compile(r"""'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+""")

SPECIALS = ["<|endoftext|>", "[PAD]", "[CLS]", "[SEP]", "[MASK]", "<s>", "</s>"]


def bytes_to_unicode():
    """GPT-2's reversible byte -> printable unicode character mapping."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) \
        + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return bs, [chr(c) for c in cs]


BS, CS = bytes_to_unicode()
BYTE_TO_CHAR = dict(zip(BS, CS))
CHAR_TO_BYTE = {c: b for b, c in BYTE_TO_CHAR.items()}


def pretokenize(text):
    return ["".join(BYTE_TO_CHAR[b] for b in piece.encode("utf-8")) for piece in PAT.findall(text)]


class _Ranked:
    """Heap key: higher count first, ties broken by the larger pair (as max() did)."""
    __slots__ = ("count", "pair")

    def __init__(self, count, pair):
        self.count, self.pair = count, pair

    def __lt__(self, other):
        return (self.count, self.pair) > (other.count, other.pair)


def train_bpe(texts, vocab_size):
    """Learn vocab_size - 256 - len(SPECIALS) merges. Incremental pair counts.

    The best pair comes from a lazy max-heap (stale entries are skipped when popped), so a
    16k vocabulary trains in minutes; the merges are the same as a full max() per step."""
    n_merges = vocab_size - 256 - len(SPECIALS)
    freq = collections.Counter()
    for t in texts:
        freq.update(pretokenize(t))
    words = [list(w) for w in freq]
    counts = list(freq.values())
    pair_count = collections.Counter()
    where = collections.defaultdict(set)  # pair -> indices of words containing it
    for i, w in enumerate(words):
        for p in zip(w, w[1:]):
            pair_count[p] += counts[i]
            where[p].add(i)
    heap = [_Ranked(c, p) for p, c in pair_count.items()]
    heapq.heapify(heap)
    merges = []
    while len(merges) < n_merges and heap:
        top = heapq.heappop(heap)
        if pair_count.get(top.pair, 0) != top.count:
            continue  # stale: the pair's count changed after this entry was pushed
        best = top.pair
        merges.append(best)
        new = best[0] + best[1]
        touched = set()
        for i in list(where[best]):
            w = words[i]
            for p in zip(w, w[1:]):
                pair_count[p] -= counts[i]
                touched.add(p)
                if pair_count[p] <= 0:
                    del pair_count[p]
            out, j = [], 0
            while j < len(w):
                if j + 1 < len(w) and w[j] == best[0] and w[j + 1] == best[1]:
                    out.append(new)
                    j += 2
                else:
                    out.append(w[j])
                    j += 1
            words[i] = out
            for p in zip(out, out[1:]):
                pair_count[p] += counts[i]
                touched.add(p)
                where[p].add(i)
        del where[best]
        for p in touched:
            if p in pair_count and p != best:
                heapq.heappush(heap, _Ranked(pair_count[p], p))
    return merges


class Tokenizer:
    def __init__(self, merges):
        self.merges = [tuple(m) for m in merges]
        self.vocab = {c: i for i, c in enumerate(CS)}
        for a, b in self.merges:
            self.vocab[a + b] = len(self.vocab)
        for s in SPECIALS:
            self.vocab[s] = len(self.vocab)
        self.id_to_token = {i: t for t, i in self.vocab.items()}
        self.rank = {m: r for r, m in enumerate(self.merges)}
        self.cache = {}
        self.first_special = len(self.vocab) - len(SPECIALS)

    def special(self, name):
        return self.vocab[name]

    def __len__(self):
        return len(self.vocab)

    def _bpe(self, word):
        if word in self.cache:
            return self.cache[word]
        syms = list(word)
        while len(syms) > 1:
            ranked = [(self.rank.get(p, 1 << 30), k) for k, p in enumerate(zip(syms, syms[1:]))]
            r, k = min(ranked)
            if r == 1 << 30:
                break
            syms = syms[:k] + [syms[k] + syms[k + 1]] + syms[k + 2:]
        ids = [self.vocab[s] for s in syms]
        self.cache[word] = ids
        return ids

    def encode(self, text):
        """Plain text only (special tokens are inserted by id, never parsed)."""
        out = []
        for w in pretokenize(text):
            out.extend(self._bpe(w))
        return out

    def decode(self, ids):
        toks = [self.id_to_token[i] for i in ids]
        data = bytearray()
        for t in toks:
            if t in SPECIALS:
                data.extend(t.encode())
            else:
                data.extend(CHAR_TO_BYTE[c] for c in t)
        return data.decode("utf-8", errors="replace")

    def to_hf_json(self):
        """GPT-2-style Hugging Face tokenizer.json structure."""
        bl = {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": True}
        return {
            "version": "1.0",
            "truncation": None,
            "padding": None,
            "added_tokens": [
                {"id": self.vocab[s], "content": s, "single_word": False, "lstrip": False,
                 "rstrip": False, "normalized": False, "special": True} for s in SPECIALS],
            "normalizer": None,
            "pre_tokenizer": dict(bl),
            "post_processor": dict(bl, trim_offsets=False),
            "decoder": dict(bl),
            "model": {"type": "BPE", "dropout": None, "unk_token": None,
                      "continuing_subword_prefix": "", "end_of_word_suffix": "",
                      "fuse_unk": False, "byte_fallback": False,
                      "vocab": self.vocab,
                      "merges": [a + " " + b for a, b in self.merges]},
        }

    def save(self, path):
        with open(path, "w", encoding="utf-8") as f:
            json.dump(self.to_hf_json(), f, ensure_ascii=False, indent=1)

    @classmethod
    def load(cls, path):
        with open(path, encoding="utf-8") as f:
            j = json.load(f)
        return cls([tuple(m.split(" ")) for m in j["model"]["merges"]])
