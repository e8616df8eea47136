#!/usr/bin/python3
"""Vocab-only GGUF files made from the real tokenizer files in ../shared/fixtures/tokenizers, the
way llama.cpp's convert_hf_to_gguf.py writes them (its keys, token types and pre-tokenizer names),
for the tests of the GGUF tokenizer (tests/core/models/test_gguftokenizer.cpp).

    make_vocab_gguf.py FIXTURES_TOKENIZERS OUT_DIR

writes OUT_DIR/gpt2.gguf (byte-level BPE, pre "gpt-2"), OUT_DIR/qwen2.5.gguf (byte-level BPE,
pre "qwen2", added tokens from tokenizer_config.json) and OUT_DIR/mistral.gguf (SentencePiece
"llama" model from tokenizer.model: pieces, scores, types, byte tokens; control tokens from
tokenizer_config.json). Each file has no tensors, only metadata: the architecture's few
hyperparameters llama.cpp needs to load a vocabulary (vocab_only) and the tokenizer keys.

Only the standard library: a minimal GGUF v3 writer and a protobuf reader for the .model file
are below (formats: ggml docs/gguf.md; sentencepiece_model.proto). Output is byte-identical on
rerun.
"""

import json
import os
import struct
import sys

# GGUF metadata value types
UINT8, INT8, UINT16, INT16, UINT32, INT32, FLOAT32, BOOL, STRING, ARRAY, UINT64, INT64, FLOAT64 = range(13)
# tokenizer.ggml.token_type values (llama.cpp's llama_token_type)
NORMAL, UNKNOWN, CONTROL, USER_DEFINED, UNUSED, BYTE = 1, 2, 3, 4, 5, 6

_SCALAR = {UINT8: "<B", INT8: "<b", UINT16: "<H", INT16: "<h", UINT32: "<I", INT32: "<i",
           FLOAT32: "<f", BOOL: "<?", UINT64: "<Q", INT64: "<q", FLOAT64: "<d"}


def _string(s):
    b = s.encode("utf-8") if isinstance(s, str) else s
    return struct.pack("<Q", len(b)) + b


def _value(kind, value):
    if kind == STRING:
        return _string(value)
    if kind == ARRAY:
        element, items = value
        return struct.pack("<IQ", element, len(items)) + b"".join(_value(element, v) for v in items)
    return struct.pack(_SCALAR[kind], value)


def write_gguf(path, kvs):
    """A GGUF v3 file of the metadata `kvs` ([(key, kind, value)], arrays as (element kind, items))
    and no tensors."""
    out = [b"GGUF", struct.pack("<IQQ", 3, 0, len(kvs))]
    for key, kind, value in kvs:
        out.append(_string(key) + struct.pack("<I", kind) + _value(kind, value))
    with open(path, "wb") as f:
        f.write(b"".join(out))


# ---- a SentencePiece ModelProto reader: pieces (1), trainer_spec (2) -------------------------

def _varint(data, pos):
    result = shift = 0
    while True:
        b = data[pos]
        pos += 1
        result |= (b & 0x7F) << shift
        if b < 0x80:
            return result, pos
        shift += 7


def _fields(data):
    pos = 0
    while pos < len(data):
        tag, pos = _varint(data, pos)
        number, wire = tag >> 3, tag & 7
        if wire == 0:
            value, pos = _varint(data, pos)
        elif wire == 1:
            value, pos = data[pos:pos + 8], pos + 8
        elif wire == 2:
            n, pos = _varint(data, pos)
            value, pos = data[pos:pos + n], pos + n
        elif wire == 5:
            value, pos = data[pos:pos + 4], pos + 4
        else:
            raise ValueError("unsupported protobuf wire type %d" % wire)
        yield number, value


def read_sentencepiece(path):
    with open(path, "rb") as f:
        data = f.read()
    pieces = []  # (piece bytes, score, type)
    trainer = {}
    for number, value in _fields(data):
        if number == 1:
            piece, score, kind = b"", 0.0, NORMAL
            for n, v in _fields(value):
                if n == 1:
                    piece = v
                elif n == 2:
                    score = struct.unpack("<f", v)[0]
                elif n == 3:
                    kind = v
            pieces.append([piece, score, kind])
        elif number == 2:
            for n, v in _fields(value):
                if isinstance(v, int):
                    trainer[n] = v - (1 << 64) if v >= 1 << 63 else v
    return pieces, trainer


# ---- the three vocabularies -------------------------------------------------------------------

def _looks_special(token):
    # convert_hf_to_gguf.py's does_token_look_special
    return (token in ("<pad>", "<mask>", "<2mass>", "[@BOS@]") or (token.startswith("<|") and token.endswith("|>"))
            or (token.startswith("<\uff5c") and token.endswith("\uff5c>"))
            or (token.startswith("<start_of_") and token.endswith(">")) or (token.startswith("<end_of_") and token.endswith(">")))


def _merges(path):
    with open(path, encoding="utf-8") as f:
        return [line.rstrip("\n") for line in f if line.strip() and not line.startswith("#version")]


def _byte_level(vocab, added, merges, pre):
    """tokens, types and merges as _set_vocab_gpt2 writes them: the vocabulary by id, added tokens
    CONTROL when special (or special-looking), USER_DEFINED otherwise."""
    by_id = {i: t for t, i in vocab.items()}
    types = {i: NORMAL for i in by_id}
    for i, (content, special) in added.items():
        by_id[i] = content
        types[i] = CONTROL if special or _looks_special(content) else USER_DEFINED
    n = max(by_id) + 1
    missing = [i for i in range(n) if i not in by_id]
    if missing:
        raise SystemExit("vocabulary ids missing: %s" % missing[:5])
    return [
        ("tokenizer.ggml.model", STRING, "gpt2"),
        ("tokenizer.ggml.pre", STRING, pre),
        ("tokenizer.ggml.tokens", ARRAY, (STRING, [by_id[i] for i in range(n)])),
        ("tokenizer.ggml.token_type", ARRAY, (INT32, [types[i] for i in range(n)])),
        ("tokenizer.ggml.merges", ARRAY, (STRING, merges)),
    ]


def _hparams(arch, norm_key):
    # The hyperparameters llama.cpp's load_hparams requires before it reads a vocabulary; a tiny
    # made-up model (no tensors are ever read).
    return [
        ("general.architecture", STRING, arch),
        ("%s.context_length" % arch, UINT32, 2048),
        ("%s.embedding_length" % arch, UINT32, 64),
        ("%s.block_count" % arch, UINT32, 1),
        ("%s.feed_forward_length" % arch, UINT32, 128),
        ("%s.attention.head_count" % arch, UINT32, 4),
        ("%s.attention.%s" % (arch, norm_key), FLOAT32, 1e-5),
    ]


def gpt2(src):
    with open(os.path.join(src, "encoder.json"), encoding="utf-8") as f:
        vocab = json.load(f)
    endoftext = vocab["<|endoftext|>"]
    kvs = _hparams("gpt2", "layer_norm_epsilon") + [("general.name", STRING, "gpt2 vocab")]
    # <|endoftext|> is Hugging Face's one added (special) token; config.json of openai-community/gpt2
    # names it bos and eos (the fixture folder has no config).
    kvs += _byte_level(vocab, {endoftext: ("<|endoftext|>", True)}, _merges(os.path.join(src, "vocab.bpe")), "gpt-2")
    kvs += [("tokenizer.ggml.bos_token_id", UINT32, endoftext), ("tokenizer.ggml.eos_token_id", UINT32, endoftext)]
    return kvs


def qwen(src):
    with open(os.path.join(src, "vocab.json"), encoding="utf-8") as f:
        vocab = json.load(f)
    with open(os.path.join(src, "tokenizer_config.json"), encoding="utf-8") as f:
        config = json.load(f)
    added = {int(i): (t["content"], bool(t.get("special"))) for i, t in config["added_tokens_decoder"].items()}
    ids = {content: i for i, (content, _) in added.items()}
    kvs = _hparams("qwen2", "layer_norm_rms_epsilon") + [("general.name", STRING, "qwen2.5 vocab")]
    kvs += _byte_level(vocab, added, _merges(os.path.join(src, "merges.txt")), "qwen2")
    # SpecialVocab: the named tokens of tokenizer_config.json (bos_token is null) and add_bos_token.
    kvs += [("tokenizer.ggml.eos_token_id", UINT32, ids[config["eos_token"]]),
            ("tokenizer.ggml.padding_token_id", UINT32, ids[config["pad_token"]]),
            ("tokenizer.ggml.add_bos_token", BOOL, bool(config["add_bos_token"]))]
    return kvs


def mistral(src):
    pieces, trainer = read_sentencepiece(os.path.join(src, "tokenizer.model"))
    with open(os.path.join(src, "tokenizer_config.json"), encoding="utf-8") as f:
        config = json.load(f)
    # _create_vocab_sentencepiece: tokenizer_config.json's added tokens become CONTROL (special or
    # special-looking) or USER_DEFINED, with score -1000.
    for i, t in sorted(config.get("added_tokens_decoder", {}).items(), key=lambda x: int(x[0])):
        i = int(i)
        if i >= len(pieces):
            continue
        content = t["content"]
        if t.get("special") or _looks_special(content):
            pieces[i][2] = CONTROL
        else:
            content = content.replace("\u2581", " ")
            pieces[i][2] = USER_DEFINED
        pieces[i][1] = -1000.0
        pieces[i][0] = content.encode("utf-8")
    by_piece = {p[0].decode("utf-8"): i for i, p in enumerate(pieces)}
    kvs = _hparams("llama", "layer_norm_rms_epsilon") + [("general.name", STRING, "mistral vocab")]
    kvs += [
        ("tokenizer.ggml.model", STRING, "llama"),
        ("tokenizer.ggml.pre", STRING, "default"),
        ("tokenizer.ggml.tokens", ARRAY, (STRING, [p[0] for p in pieces])),
        ("tokenizer.ggml.scores", ARRAY, (FLOAT32, [p[1] for p in pieces])),
        ("tokenizer.ggml.token_type", ARRAY, (INT32, [p[2] for p in pieces])),
        ("tokenizer.ggml.bos_token_id", UINT32, by_piece[config["bos_token"]]),
        ("tokenizer.ggml.eos_token_id", UINT32, by_piece[config["eos_token"]]),
        ("tokenizer.ggml.unknown_token_id", UINT32, by_piece[config["unk_token"]]),
        ("tokenizer.ggml.add_bos_token", BOOL, bool(config["add_bos_token"])),
        ("tokenizer.ggml.add_eos_token", BOOL, bool(config["add_eos_token"])),
    ]
    assert trainer.get(40, 0) == by_piece[config["unk_token"]]
    return kvs


def main(argv):
    if len(argv) != 3:
        raise SystemExit(__doc__)
    src, out = argv[1], argv[2]
    os.makedirs(out, exist_ok=True)
    for name, make, folder in (("gpt2", gpt2, "gpt2"), ("qwen2.5", qwen, "qwen2.5"), ("mistral", mistral, "mistral")):
        path = os.path.join(out, name + ".gguf")
        write_gguf(path + ".part", make(os.path.join(src, folder)))
        os.replace(path + ".part", path)
        print("%s: %d bytes" % (path, os.path.getsize(path)), file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv)
