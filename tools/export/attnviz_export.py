"""Writes attention maps as an AttnViz attention file (docs/attention-file.md), where the model lives.

Needs numpy only; torch tensors are accepted (and moved to the CPU one layer at a time). No AttnViz
code. Copy this one file next to your notebook or job script.

    import attnviz_export as ax
    # Hugging Face transformers (eager attention, so that output_attentions returns the maps):
    model = AutoModelForCausalLM.from_pretrained(name, attn_implementation="eager")
    ax.export_transformers(model, tokenizer, "The animal didn't cross the street.", "out.attention.safetensors",
                           heads=[(0, 1), (5, 3)], top_k=32)
    # TransformerLens:
    ax.export_transformerlens(hooked_model, "The animal ...", "out.attention.safetensors")
    # nnsight (any LanguageModel; the trace runs locally or remotely):
    ax.export_nnsight(language_model, "The animal ...", "out.attention.safetensors")

The lower-level pieces: tokens_from_offsets() builds the token list, AttentionFileWriter streams
layers into the file as they arrive, so a 70B x 4k export never holds more than one layer.
"""
import json
import os
import struct

import numpy as np

FORMAT = "attnviz-attention"
VERSION = 1
_DTYPES = {"f16": (np.float16, "F16"), "f32": (np.float32, "F32")}


def _numpy(x):
    """A CPU float32 numpy array from a numpy array or a torch tensor (any device, any dtype)."""
    if hasattr(x, "detach"):
        x = x.detach().float().cpu().numpy()
    return np.asarray(x, dtype=np.float32)


def token(text, id=None, piece=None, begin=None, end=None, word=None, segment=0, special=False):
    """One token of the document: text is what people read; begin/end are byte offsets into the input."""
    t = {"text": text}
    if piece is not None and piece != text:
        t["piece"] = piece
    if id is not None:
        t["id"] = int(id)
    if begin is not None and end is not None:
        t["begin"], t["end"] = int(begin), int(end)
    if word is not None:
        t["word"] = int(word)
    if segment:
        t["segment"] = int(segment)
    if special:
        t["special"] = True
    return t


def tokens_from_offsets(text, ids, offsets, pieces=None, word_ids=None, special_ids=()):
    """Tokens from a tokenizer's character offsets (return_offsets_mapping), turned into byte offsets."""
    starts = [0]
    for ch in text:  # byte position of every character boundary
        starts.append(starts[-1] + len(ch.encode("utf-8")))
    out = []
    for i, tid in enumerate(ids):
        b, e = offsets[i] if offsets is not None else (None, None)
        special = tid in special_ids or (b == e == 0 and offsets is not None)
        shown = text[b:e] if (b is not None and not special) else (pieces[i] if pieces else str(tid))
        word = word_ids[i] if word_ids is not None else None
        out.append(token(shown, id=tid, piece=pieces[i] if pieces else None,
                         begin=None if special else starts[b], end=None if special else starts[e],
                         word=word, special=special))
    return out


class AttentionFileWriter:
    """Streams the maps of each stack, layer by layer, into an attention file.

    stacks: list of dicts {"name", "layers", "heads", "queries": "tokens"|"source_tokens",
    "keys": ..., "mask": "causal"|"none"|...}. heads: optional list of (layer, head) to keep, in
    every stack. top_k: keep only the k largest weights of each query row.
    """

    def __init__(self, path, model, tokens, stacks, text=None, source_tokens=None, source_text=None,
                 heads=None, top_k=None, dtype="f16", notices=None, second_text=None):
        self._path, self._np_dtype = path, _DTYPES[dtype][0]
        self._top_k = int(top_k) if top_k else 0
        doc = {"version": VERSION, "model": dict(model), "tokens": tokens, "stacks": []}
        if text is not None:
            doc["text"] = text
        if second_text is not None:  # sentence B: the offsets of segment-1 tokens point into it
            doc["second_text"] = second_text
        if source_tokens:
            doc["source_tokens"] = source_tokens
            if source_text is not None:
                doc["source_text"] = source_text
        if notices:
            doc["notices"] = list(notices)
        header, offset, self._plans = {}, 0, []
        for s, st in enumerate(stacks):
            q = len(source_tokens if st.get("queries") == "source_tokens" else tokens)
            k = len(source_tokens if st.get("keys") == "source_tokens" else tokens)
            kept = [(l, h) for l in range(st["layers"]) for h in range(st["heads"])
                    if heads is None or (l, h) in set(map(tuple, heads))]
            if not kept:
                raise ValueError("stack %r holds none of the heads asked for" % st["name"])
            listed = len(kept) != st["layers"] * st["heads"]
            cols = min(self._top_k, k) if self._top_k else k
            doc["stacks"].append({"name": st["name"], "queries": st.get("queries", "tokens"),
                                  "keys": st.get("keys", "tokens"), "layers": st["layers"],
                                  "heads": st["heads"], "mask": st.get("mask", "none"),
                                  "storage": "top_k" if self._top_k else "dense"})
            lead = [len(kept)] if listed else [st["layers"], st["heads"]]
            prefix = "stacks.%d." % s
            entries = []
            if listed:
                entries.append((prefix + "heads", "I32", [len(kept), 2], 4))
            entries.append((prefix + ("topk_weights" if self._top_k else "weights"), _DTYPES[dtype][1],
                            lead + [q, cols], np.dtype(self._np_dtype).itemsize))
            if self._top_k:
                entries.append((prefix + "topk_keys", "I32", lead + [q, cols], 4))
            for name, dt, shape, size in entries:
                n = size * int(np.prod(shape))
                header[name] = {"dtype": dt, "shape": shape, "data_offsets": [offset, offset + n]}
                offset += n
            self._plans.append({"kept": kept, "listed": listed, "q": q, "k": k, "cols": cols,
                                "prefix": prefix, "weights": {}, "done": set()})
        header["__metadata__"] = {"format": FORMAT, "attnviz": json.dumps(doc, ensure_ascii=False)}
        text_header = json.dumps(header, ensure_ascii=False).encode("utf-8")
        text_header += b" " * ((8 - len(text_header) % 8) % 8)
        self._data_start = 8 + len(text_header)
        self._header = header
        self._part = path + ".part"
        self._file = open(self._part, "wb")
        self._file.write(struct.pack("<Q", len(text_header)))
        self._file.write(text_header)
        self._file.truncate(self._data_start + offset)  # sparse until written
        for p in self._plans:
            if p["listed"]:
                self._write(p["prefix"] + "heads", 0, np.asarray(p["kept"], dtype="<i4"))

    def _write(self, name, element, array):
        begin = self._header[name]["data_offsets"][0]
        self._file.seek(self._data_start + begin + element * array.dtype.itemsize)
        self._file.write(np.ascontiguousarray(array).tobytes())

    def add_layer(self, stack, layer, maps):
        """maps: (heads, queries, keys) weights of one layer (a leading batch dim of 1 is dropped)."""
        p = self._plans[stack]
        m = _numpy(maps)
        if m.ndim == 4 and m.shape[0] == 1:
            m = m[0]
        if m.shape[1:] != (p["q"], p["k"]):
            raise ValueError("layer %d of stack %d has shape %s; expected (heads, %d, %d)"
                             % (layer, stack, m.shape, p["q"], p["k"]))
        weights_name = p["prefix"] + ("topk_weights" if self._top_k else "weights")
        for slot, (l, h) in enumerate(p["kept"]):
            if l != layer:
                continue
            row = m[h]
            cells = p["q"] * p["cols"]
            if self._top_k:
                order = np.argsort(-row, axis=1, kind="stable")[:, :p["cols"]]  # ties: the earlier key
                self._write(weights_name, slot * cells, np.take_along_axis(row, order, 1).astype(self._np_dtype))
                self._write(p["prefix"] + "topk_keys", slot * cells, order.astype("<i4"))
            else:
                self._write(weights_name, slot * cells, row.astype(self._np_dtype))
            p["done"].add((l, h))

    def close(self):
        missing = [(s, lh) for s, p in enumerate(self._plans) for lh in p["kept"] if lh not in p["done"]]
        self._file.close()
        if missing:
            os.remove(self._part)
            raise ValueError("no maps were given for %s (stack, (layer, head))" % missing[:4])
        os.replace(self._part, self._path)  # readers never see half a file


def export_maps(path, model, tokens, layers_of_stacks, stacks, **options):
    """layers_of_stacks: per stack, an iterable of (heads, queries, keys) maps, one per layer."""
    w = AttentionFileWriter(path, model, tokens, stacks, **options)
    for s, layers in enumerate(layers_of_stacks):
        for l, maps in enumerate(layers):
            w.add_layer(s, l, maps)
    w.close()


def _model_info(name, family, layers, heads, causal, kv_heads=None, d_model=None):
    m = {"name": name, "family": family, "layers": int(layers), "heads": int(heads), "causal": bool(causal)}
    if kv_heads:
        m["kv_heads"] = int(kv_heads)
    if d_model:
        m["d_model"] = int(d_model)
    return m


def export_transformers_outputs(outputs, config, tokens, path, name=None, **options):
    """From a transformers forward output with output_attentions=True: decoder-only and encoder-only
    models (outputs.attentions), encoder-decoders (encoder_attentions, decoder_attentions,
    cross_attentions; then give source_tokens=...)."""
    get = lambda k, d=None: getattr(config, k, d)
    model = _model_info(name or get("name_or_path", get("model_type", "model")), get("model_type", "unknown"),
                        get("num_hidden_layers", get("n_layer")), get("num_attention_heads", get("n_head")),
                        causal=not get("is_encoder_decoder", False) and get("is_decoder", True) and
                        get("model_type") not in ("bert", "roberta", "xlm-roberta", "albert", "electra",
                                                  "distilbert", "deberta", "deberta-v2", "modernbert"),
                        kv_heads=get("num_key_value_heads"), d_model=get("hidden_size", get("n_embd")))
    if getattr(outputs, "cross_attentions", None) is not None and getattr(outputs, "encoder_attentions", None):
        enc, dec, cross = outputs.encoder_attentions, outputs.decoder_attentions, outputs.cross_attentions
        stacks = [{"name": "encoder", "queries": "source_tokens", "keys": "source_tokens",
                   "layers": len(enc), "heads": enc[0].shape[1], "mask": "padding"},
                  {"name": "decoder", "layers": len(dec), "heads": dec[0].shape[1], "mask": "causal"},
                  {"name": "cross", "keys": "source_tokens", "layers": len(cross), "heads": cross[0].shape[1]}]
        model["layers"], model["heads"] = len(cross), cross[0].shape[1]
        return export_maps(path, model, tokens, [enc, dec, cross], stacks, **options)
    att = outputs.attentions
    if att is None:
        raise ValueError("the output has no attentions: run the model with output_attentions=True and "
                         "attn_implementation=\"eager\"")
    stacks = [{"name": "self", "layers": len(att), "heads": att[0].shape[1],
               "mask": "causal" if model["causal"] else "padding"}]
    return export_maps(path, model, tokens, [att], stacks, **options)


def export_transformers(model, tokenizer, text, path, **options):
    """Tokenises `text`, runs `model` with output_attentions=True and writes every map."""
    import torch
    enc = tokenizer(text, return_tensors="pt", return_offsets_mapping=True)
    offsets = enc.pop("offset_mapping")[0].tolist()
    ids = enc["input_ids"][0].tolist()
    tokens = tokens_from_offsets(text, ids, offsets, pieces=tokenizer.convert_ids_to_tokens(ids),
                                 word_ids=enc.word_ids(0), special_ids=set(tokenizer.all_special_ids))
    with torch.no_grad():
        outputs = model(**{k: v.to(model.device) for k, v in enc.items()}, output_attentions=True)
    return export_transformers_outputs(outputs, model.config, tokens, path, text=text, **options)


def export_transformerlens(model, text, path, **options):
    """A TransformerLens HookedTransformer: the blocks.L.attn.hook_pattern activations of its cache."""
    _, cache = model.run_with_cache(text, names_filter=lambda n: n.endswith("attn.hook_pattern"))
    pieces = model.to_str_tokens(text)
    ids = model.to_tokens(text)[0].tolist()
    tokens = [token(p, id=i, special=(n == 0 and getattr(model.cfg, "default_prepend_bos", True)))
              for n, (p, i) in enumerate(zip(pieces, ids))]
    cfg = model.cfg
    layers = [cache["blocks.%d.attn.hook_pattern" % l] for l in range(cfg.n_layers)]
    info = _model_info(cfg.model_name, getattr(cfg, "original_architecture", None) or "transformerlens",
                       cfg.n_layers, cfg.n_heads, causal=cfg.attention_dir == "causal",
                       kv_heads=getattr(cfg, "n_key_value_heads", None), d_model=cfg.d_model)
    stacks = [{"name": "self", "layers": cfg.n_layers, "heads": cfg.n_heads,
               "mask": "causal" if info["causal"] else "none"}]
    return export_maps(path, info, tokens, [layers], stacks, text=text, **options)


def export_nnsight(model, text, path, remote=False, **options):
    """An nnsight LanguageModel: one trace with output_attentions, run locally or on NDIF (remote=True)."""
    with model.trace(text, output_attentions=True, remote=remote):
        saved = model.output.save()
    outputs = saved.value if hasattr(saved, "value") else saved
    tok = model.tokenizer
    enc = tok(text, return_offsets_mapping=True)
    ids = enc["input_ids"]
    tokens = tokens_from_offsets(text, ids, enc["offset_mapping"], pieces=tok.convert_ids_to_tokens(ids),
                                 word_ids=enc.word_ids(), special_ids=set(tok.all_special_ids))
    return export_transformers_outputs(outputs, model.config, tokens, path, text=text, **options)
