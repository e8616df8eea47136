"""Check shipped models: reload each resources/models/<name>/ folder from disk
(safetensors + config + tokenizer.json) and recompute reference.json.

    /usr/bin/python3 tools/train/verify.py
"""
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bpe  # noqa: E402
import common  # noqa: E402
from models import GPT2, BertMLM, Bart  # noqa: E402


def load(name, cls, tied):
    d = os.path.join(common.MODELS_DIR, name)
    cfg = json.load(open(os.path.join(d, "config.json")))
    model = cls(cfg)
    w = common.load_safetensors(os.path.join(d, "model.safetensors"))
    sd = model.state_dict()
    assert set(sd) - set(w) == set(tied), (set(sd) - set(w), set(w) - set(sd))
    assert not set(w) - set(sd), set(w) - set(sd)
    model.load_state_dict({k: torch.from_numpy(v) for k, v in w.items()}, strict=False)
    model.eval()
    size = os.path.getsize(os.path.join(d, "model.safetensors"))
    ref = json.load(open(os.path.join(d, "reference.json")))
    tok = bpe.Tokenizer.load(os.path.join(d, "tokenizer.json"))
    return model, cfg, ref, tok, size


def close(a, b, what):
    err = float(np.max(np.abs(np.asarray(a) - np.asarray(b))))
    print(f"  {what}: max abs diff {err:.2e}")
    assert err < 1e-4, what


def main():
    torch.set_num_threads(1)
    with torch.no_grad():
        m, cfg, ref, tok, size = load("decoder", GPT2, [])
        print(f"decoder: {size / 1e6:.2f} MB")
        assert [tok.special("<|endoftext|>")] + tok.encode(common.DEFAULT_SENTENCE) == ref["input_ids"]
        lg, att = m(torch.tensor([ref["input_ids"]]))
        close(att[0][0, 0], ref["attention"]["layer0_head0"], "attention L0H0")
        close(att[-1][0, -1], list(ref["attention"].values())[1], "attention last")
        close(lg[0, -1, ref["last_position_top5"]["ids"]], ref["last_position_top5"]["logits"], "top5 logits")

        m, cfg, ref, tok, size = load("encoder", BertMLM, [])
        print(f"encoder: {size / 1e6:.2f} MB")
        lg, att = m(torch.tensor([ref["input_ids"]]), torch.tensor([ref["token_type_ids"]]))
        close(att[0][0, 0], ref["attention"]["layer0_head0"], "attention L0H0")
        close(att[-1][0, -1], list(ref["attention"].values())[1], "attention last")
        p = ref["mask_position"]
        close(lg[0, p, ref["mask_position_top5"]["ids"]], ref["mask_position_top5"]["logits"], "top5 logits")

        m, cfg, ref, tok, size = load("translator", Bart, [])
        print(f"translator: {size / 1e6:.2f} MB")
        src = torch.tensor([ref["input_ids"]])
        lg, ea, da, ca = m(src, torch.ones_like(src), torch.tensor([ref["decoder_input_ids"]]))
        close(ea[0][0, 0], ref["encoder_self_layer0_head0"], "encoder self L0H0")
        close(da[0][0, 0], ref["decoder_self_layer0_head0"], "decoder self L0H0")
        close(ca[0][0, 0], ref["cross_layer0_head0"], "cross L0H0")
        for i, t in enumerate(ref["top5_per_decoder_position"]):
            close(lg[0, i, t["ids"]], t["logits"], f"top5 logits pos {i}")
    print("all references reproduced")


if __name__ == "__main__":
    main()
