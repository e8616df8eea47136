"""Small synthetic vocabularies for the fixture GGUF files, in the two forms llama.cpp reads:

- GPT-2 style byte-level BPE (tokenizer.ggml.model "gpt2"): the 256 byte symbols of GPT-2's
  byte-to-unicode map, then one token per merge, then the special tokens; merges as "left right".
- SentencePiece style (tokenizer.ggml.model "llama"): special tokens, the 256 byte tokens <0xNN>
  (type BYTE, so any text can be encoded), the single characters, then the merged pieces with
  "\u2581" standing for a space; the scores rank the pieces, earlier merges first.

Both learn their merges from the same fixed corpus with the same greedy pair counting, so they are
deterministic. Real vocabularies are tested elsewhere; these only have to be valid and small.
"""
import collections

# enum llama_token_type as stored in tokenizer.ggml.token_type
NORMAL, UNKNOWN, CONTROL, USER_DEFINED, UNUSED, BYTE = 1, 2, 3, 4, 5, 6

SPACE = "\u2581"

CORPUS = (
    "The quick brown fox jumps over the lazy dog. Attention maps show which tokens a model looks at "
    "when it reads the text. Hello world, hello there! Every layer has several heads, and every head "
    "has its own map. The model reads one token at a time and writes the next one. In 2024 there were "
    "many models; some of them were small and some were large. Numbers like 1, 22, 333 and 4444 are "
    "tokens too. She said: \"it is what it is\" - and then they went home at 10:30. "
)


def _bytes_to_unicode():
    """GPT-2's reversible map from bytes to printable characters, in its order."""
    printable = list(range(ord("!"), ord("~") + 1)) + list(range(0xA1, 0xAC + 1)) + list(range(0xAE, 0xFF + 1))
    order, chars = list(printable), [chr(b) for b in printable]
    shift = 0
    for b in range(256):
        if b not in printable:
            order.append(b)
            chars.append(chr(256 + shift))
            shift += 1
    return dict(zip(order, chars))


BYTE_TO_UNICODE = _bytes_to_unicode()


def train_merges(words, count):
    """Greedy pair merging over `words` (each a tuple of symbols): the `count` most frequent
    adjacent pairs in turn, ties broken by the pair's text so the result never varies."""
    vocab = collections.Counter(tuple(w) for w in words)
    merges = []
    for _ in range(count):
        pairs = collections.Counter()
        for word, freq in vocab.items():
            for pair in zip(word, word[1:]):
                pairs[pair] += freq
        if not pairs:
            break
        best = min(pairs, key=lambda p: (-pairs[p], p))
        merges.append(best)
        merged = collections.Counter()
        for word, freq in vocab.items():
            out, i = [], 0
            while i < len(word):
                if i + 1 < len(word) and (word[i], word[i + 1]) == best:
                    out.append(word[i] + word[i + 1])
                    i += 2
                else:
                    out.append(word[i])
                    i += 1
            merged[tuple(out)] += freq
        vocab = merged
    return merges


def _corpus_words(space_marker):
    """The corpus split at spaces, each word after the first carrying its leading space."""
    words = CORPUS.split(" ")
    return [w if i == 0 else space_marker + w for i, w in enumerate(words) if w]


class Vocab:
    def __init__(self, model, pre, tokens, token_types, scores=None, merges=None):
        self.model, self.pre = model, pre
        self.tokens, self.token_types, self.scores, self.merges = tokens, token_types, scores, merges

    def id(self, token):
        return self.tokens.index(token)

    def __len__(self):
        return len(self.tokens)


def bpe_vocab(pre, specials, n_merges=200):
    """Byte-level BPE; `specials` are appended as CONTROL tokens."""
    words = [tuple(BYTE_TO_UNICODE[b] for b in w.encode("utf-8")) for w in _corpus_words(" ")]
    merges = train_merges(words, n_merges)
    tokens = list(BYTE_TO_UNICODE.values()) + [a + b for a, b in merges]
    types = [NORMAL] * len(tokens)
    tokens += specials
    types += [CONTROL] * len(specials)
    assert len(set(tokens)) == len(tokens), "two merges gave the same token"
    return Vocab("gpt2", pre, tokens, types, merges=[f"{a} {b}" for a, b in merges])


def spm_vocab(leading, trailing=(), n_merges=150):
    """SentencePiece style: `leading` (token, type) pairs first (e.g. <unk> <s> </s>), then the
    byte tokens, the characters and the merged pieces, then `trailing` CONTROL tokens."""
    words = [tuple(w) for w in _corpus_words(SPACE)]
    words[0] = (SPACE,) + words[0]  # SentencePiece adds a space before the text
    chars = sorted({c for w in words for c in w})
    merges = train_merges(words, n_merges)
    tokens = [t for t, _ in leading] + [f"<0x{b:02X}>" for b in range(256)]
    types = [k for _, k in leading] + [BYTE] * 256
    scores = [0.0] * len(tokens)
    pieces = [a + b for a, b in merges]
    for rank, piece in enumerate(pieces):  # earlier merges score higher
        if piece not in tokens:
            tokens.append(piece)
            types.append(NORMAL)
            scores.append(-float(rank))
    for c in chars:  # single characters rank below every merge
        tokens.append(c)
        types.append(NORMAL)
        scores.append(-1000.0)
    for t in trailing:
        tokens.append(t)
        types.append(CONTROL)
        scores.append(0.0)
    return Vocab("llama", "default", tokens, types, scores=scores)
