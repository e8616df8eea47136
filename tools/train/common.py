"""Shared helpers: runtime setup, safetensors I/O, f16 round-trip, head statistics."""
import json
import os
import random
import struct
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
WORK = os.path.join(HERE, "work")
REPO = os.path.dirname(os.path.dirname(HERE))
MODELS_DIR = os.environ.get("ATTNVIZ_MODELS_DIR", os.path.join(REPO, "resources", "models"))
OPENBLAS_DIR = "/usr/lib/x86_64-linux-gnu/openblas-pthread"
DEFAULT_SENTENCE = "The animal didn't cross the street because it was too tired."
INDUCTION_N = 20


def fast_runtime():
    """Re-exec once with a fast BLAS and a malloc that keeps freed memory.

    Debian's torch links the reference libblas (~6 GFLOP/s) and glibc returns
    big tensors to the kernel after every op (page faults dominate).  OpenBLAS
    (package libopenblas0-pthread, loaded for this process only, the system
    alternative is untouched) plus large malloc thresholds make training ~13x
    faster here.  Without the package we still run, just slowly.
    """
    if os.environ.get("ATTNVIZ_TRAIN_ENV") == "1":
        return
    env = dict(os.environ, ATTNVIZ_TRAIN_ENV="1", OPENBLAS_NUM_THREADS="1",
               MALLOC_MMAP_THRESHOLD_="1000000000000", MALLOC_TRIM_THRESHOLD_="1000000000000",
               MALLOC_TOP_PAD_="536870912")
    if os.path.isdir(OPENBLAS_DIR):
        env["LD_LIBRARY_PATH"] = OPENBLAS_DIR + ":" + env.get("LD_LIBRARY_PATH", "")
    else:
        print("warning: libopenblas0-pthread not installed; training will be ~10x slower",
              file=sys.stderr)
    os.execve(sys.executable, [sys.executable] + sys.argv, env)


def seed_all(seed):
    import torch
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    # One intra-op thread per process: on this 2-core machine shared with
    # compilers, 2 OpenMP threads were measured ~10x SLOWER (barrier spinning);
    # train_all.py instead runs the models as parallel processes.
    torch.set_num_threads(1)
    torch.set_num_interop_threads(1)


# ------------------------------------------------------------ safetensors
_DT = {"F16": np.float16, "F32": np.float32}


def save_safetensors(path, tensors, dtype="F16", metadata=None):
    """tensors: name -> numpy array.  Layout: u64 LE header length, JSON header,
    raw little-endian data (tensors in sorted-name order, contiguous)."""
    header, blobs, off = {}, [], 0
    for name in sorted(tensors):
        a = np.ascontiguousarray(tensors[name], dtype=np.dtype(_DT[dtype]).newbyteorder("<"))
        b = a.tobytes()
        header[name] = {"dtype": dtype, "shape": list(a.shape), "data_offsets": [off, off + len(b)]}
        blobs.append(b)
        off += len(b)
    if metadata:
        header["__metadata__"] = metadata
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * (-len(h) % 8)  # pad header so data starts 8-byte aligned
    with open(path + ".tmp", "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)
    os.replace(path + ".tmp", path)


def load_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        s, e = info["data_offsets"]
        out[name] = np.frombuffer(data[s:e], dtype=np.dtype(_DT[info["dtype"]]).newbyteorder("<")) \
            .reshape(info["shape"]).astype(np.float32)
    return out


def export_model(model, out_dir, skip=()):
    """Write model.safetensors (F16) and reload the f16-rounded weights into the
    model so every metric / reference is computed with the weights as stored."""
    import torch
    sd = {k: v.detach().cpu().numpy() for k, v in model.state_dict().items() if k not in skip}
    path = os.path.join(out_dir, "model.safetensors")
    save_safetensors(path, sd, "F16", {"format": "pt"})
    back = load_safetensors(path)
    with torch.no_grad():
        for k, p in model.state_dict().items():
            if k in back:
                p.copy_(torch.from_numpy(back[k]))
    return {k: {"dtype": "F16", "shape": list(v.shape)} for k, v in sorted(back.items())}


def write_json(path, obj, indent=1):
    with open(path + ".tmp", "w", encoding="utf-8") as f:
        json.dump(obj, f, indent=indent, ensure_ascii=False)
    os.replace(path + ".tmp", path)


def write_text(path, text):
    with open(path + ".tmp", "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(path + ".tmp", path)


# ------------------------------------------------------------ head statistics
INDUCTION_RULE = ("R: 20 ids from x <- (1103515245*x + 12345) mod 2^31, x0 = 1, id = low + x mod (high - low), "
                  "low = V//10, high = V - V//10 (the rule attnviz-cli heads uses)")


def induction_ids(vocab_size):
    """R exactly as the C++ core draws it (core/stats/headstats.h), so the card matches the CLI."""
    low, high = vocab_size // 10, vocab_size - vocab_size // 10
    x, out = 1, []
    for _ in range(INDUCTION_N):
        x = (1103515245 * x + 12345) % 2147483648
        out.append(low + x % (high - low))
    return out


def copy_tokenizer(out, template, source=None):
    """The shared tokenizer.json (or `source`) with a TemplateProcessing post-processor that adds this
    model's special tokens (e.g. ["<|endoftext|>", "$A"]), so the app feeds the model what it was trained on."""
    with open(source or os.path.join(WORK, "tokenizer.json"), encoding="utf-8") as f:
        tj = json.load(f)
    ids = {t["content"]: t["id"] for t in tj["added_tokens"]}

    def piece(p, type_id):
        if p.startswith("$"):
            return {"Sequence": {"id": p[1], "type_id": type_id}}
        return {"SpecialToken": {"id": p, "type_id": type_id}}

    single = [piece(p, 0) for p in template["single"]]
    pair = single + [piece(p, 1) for p in template["pair_tail"]]
    used = sorted({p for p in template["single"] + template["pair_tail"] if not p.startswith("$")})
    tj["post_processor"] = {"type": "TemplateProcessing", "single": single, "pair": pair,
                            "special_tokens": {p: {"id": p, "ids": [ids[p]], "tokens": [p]} for p in used}}
    write_json(os.path.join(out, "tokenizer.json"), tj)


def previous_token(A):
    T = A.shape[0]
    return float(np.mean([A[i, i - 1] for i in range(1, T)]))


def first_token(A):
    T = A.shape[0]
    return float(np.mean([A[i, 0] for i in range(1, T)]))


def duplicate_token(A, ids):
    vals = []
    for i in range(len(ids)):
        js = [j for j in range(i) if ids[j] == ids[i]]
        if js:
            vals.append(sum(A[i, j] for j in js))
    return float(np.mean(vals)) if vals else 0.0


def induction(A, n=INDUCTION_N):
    return float(np.mean([A[1 + n + k, 1 + k + 1] for k in range(n - 1)]))


def entropy(A):
    P = np.clip(A, 1e-30, 1.0)
    return float(np.mean(-(np.where(A > 0, A * np.log(P), 0.0)).sum(-1)))


def head_stats(att_sentence, ids, att_induction):
    """att_*: list over layers of (H,T,T) numpy arrays. Returns metrics 'layers'."""
    layers = []
    for L, layer in enumerate(att_sentence):
        heads = []
        for h in range(layer.shape[0]):
            A = layer[h]
            heads.append({"previous_token": previous_token(A), "first_token": first_token(A),
                          "duplicate_token": duplicate_token(A, ids),
                          "induction": induction(att_induction[L][h]), "entropy": entropy(A)})
        layers.append(heads)
    return layers


def best(layers, key):
    return max(((h[key], L, i) for L, hs in enumerate(layers) for i, h in enumerate(hs)))


def stats_table(layers):
    """Markdown table of per-head statistics for the model card."""
    rows = ["| layer | head | previous | first | duplicate | induction | entropy (nats) |",
            "|---|---|---|---|---|---|---|"]
    for L, hs in enumerate(layers):
        for i, h in enumerate(hs):
            rows.append(f"| {L} | {i} | {h['previous_token']:.3f} | {h['first_token']:.3f} | "
                        f"{h['duplicate_token']:.3f} | {h['induction']:.3f} | {h['entropy']:.3f} |")
    return "\n".join(rows)


def rounded(a, nd=6):
    return np.round(np.asarray(a, dtype=np.float64), nd).tolist()


def load_weights_only(model, out_dir):
    import torch
    w = load_safetensors(os.path.join(out_dir, "model.safetensors"))
    model.load_state_dict({k: torch.from_numpy(v) for k, v in w.items()}, strict=False)


def load_weights(model, out_dir):
    """--eval-only: reload the shipped f16 weights instead of training."""
    load_weights_only(model, out_dir)
    with open(os.path.join(out_dir, "metrics.json")) as f:
        return json.load(f)["train_seconds"]


def pronoun_attention(atts, ids, tok):
    """Attention from the query ' it' to the key ' animal' (the referent), per layer/head."""
    q, k = ids.index(tok.encode(" it")[0]), ids.index(tok.encode(" animal")[0])
    return {"query_position": q, "key_position": k,
            "per_layer_head": [[float(a[h, q, k]) for h in range(a.shape[0])] for a in atts]}
