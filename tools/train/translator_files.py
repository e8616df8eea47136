"""metrics.json and reference.json of the translator (what the card and the C++ tests read)."""
import numpy as np
import torch

import chrf
import common
import translation_eval as ev
import vocab


def _translate(model, tok, sp, text, cfg):
    src = [sp["bos"]] + tok.encode(text) + [sp["eos"]]
    return src, ev.greedy(model, [src], sp, cfg["max_position_embeddings"] - 1)[0]


def _sample(model, tok, sp, cfg, test_pairs, hyps, per_pair, n, best):
    """The first n held-out pairs, with what the C++ test recomputes: greedy ids, chrF and the
    alignment hits of the best head (links as decoder query -> source token range, <s> included)."""
    rows, hits, links = [], 0, 0
    for (en, es), hyp, pp in list(zip(test_pairs, hyps, per_pair))[:n]:
        src, greedy = _translate(model, tok, sp, en, cfg)
        tgt_ids, tgt_spans = ev.encode_words(tok, es)
        _, src_spans = ev.encode_words(tok, en)
        rows.append({"source": en, "apertium": es, "source_ids": src, "greedy_ids": greedy,
                     "greedy": tok.decode(greedy), "target_ids": tgt_ids,
                     "links": [[tgt_spans[j][0], src_spans[i][0] + 1, src_spans[i][1] + 1] for j, i in pp["links"]]})
        hits += int(pp["hits"][best[1]][best[2]])
        links += len(pp["links"])
    refs = [r["apertium"] for r in rows]
    return rows, {"chrf": chrf.corpus_chrf([r["greedy"] for r in rows], refs),
                  "alignment_hits": hits, "alignment_links": links}


def _self_stats(atts, ids):
    return [[{"previous_token": common.previous_token(a), "first_token": common.first_token(a),
              "duplicate_token": common.duplicate_token(a, ids), "entropy": common.entropy(a)}
             for a in layer[0].numpy()] for layer in atts]


def metrics(cfg, tok, sp, model, data, scores, hyps, per_pair, train_s):
    import train_translator as tt
    align = scores["alignment"]
    best = max((a, li, h) for li, row in enumerate(align) for h, a in enumerate(row))
    sample, sample_scores = _sample(model, tok, sp, cfg, data["test_pairs"], hyps, per_pair, tt.N_SAMPLE, best)
    src, gen = _translate(model, tok, sp, tt.REF_TEXT, cfg)
    dec = [sp["bos"]] + gen
    with torch.no_grad():
        _, ea, da, ca = model(torch.tensor([src]), torch.ones(1, len(src), dtype=torch.long), torch.tensor([dec]))
    # Where the best head looks while predicting each target token (the noun-adjective swap shows here).
    keys = ca[best[1]][0, best[2]].argmax(-1).tolist()
    cross_argmax = [{"predicts": tok.decode([t]), "attends": tok.decode([src[k]]), "key": k}
                    for t, k in zip(gen + [sp["eos"]], keys)]
    return {"model": "translator", "train_seconds": round(train_s, 1), "steps": tt.STEPS, "batch": tt.BATCH,
            "examples_seen": tt.STEPS * tt.BATCH, "train_pairs": len(data["train_pairs"]),
            "vocabulary": data["report"],
            "heldout_pairs": len(data["test_pairs"]), "heldout_chrf": scores["chrf"],
            "heldout_exact_match": scores["exact"], "cross_attention_alignment": align,
            "best_alignment_head": {"score": best[0], "layer": best[1], "head": best[2]},
            "alignment_links": scores["links"],
            "alignment_definition": ev.__doc__.split("Alignment score (written in the card): ")[1].strip(),
            "reference_text": tt.REF_TEXT, "reference_src_ids": src, "reference_greedy_ids": gen,
            "reference_translation": tok.decode(gen), "reference_best_head_argmax": cross_argmax,
            "everyday": [{"english": e, "spanish": tok.decode(_translate(model, tok, sp, e, cfg)[1])}
                         for e in tt.EVERYDAY],
            "heldout_sample_size": len(sample), "heldout_sample_chrf": sample_scores["chrf"],
            "heldout_sample_alignment_hits": sample_scores["alignment_hits"],
            "heldout_sample_alignment_links": sample_scores["alignment_links"],
            "heldout_sample": sample,
            "encoder_layers": _self_stats(ea, src), "decoder_layers": _self_stats(da, dec)}


def reference(cfg, tok, sp, model):
    """Teacher-forced forward on the reference sentence with the model's own translation."""
    import train_translator as tt
    src, gen = _translate(model, tok, sp, tt.REF_TEXT, cfg)
    d, lab = [sp["bos"]] + gen, gen + [sp["eos"]]
    with torch.no_grad():
        logits, ea, da, ca = model(torch.tensor([src]), torch.ones(1, len(src), dtype=torch.long), torch.tensor([d]))
    lg = logits[0].numpy()
    top = [np.argsort(-lg[i])[:5] for i in range(lg.shape[0])]
    last = f"cross_layer{cfg['decoder_layers'] - 1}_head{cfg['decoder_attention_heads'] - 1}"
    return {"input_ids": src, "attention_mask": [1] * len(src), "decoder_input_ids": d, "labels": lab,
            "greedy_output_ids": gen, "note": "BART forward, teacher-forced, stored f16 weights upcast to f32",
            "tokenizer": vocab.__name__ + ".py, " + str(len(tok)) + " ids",
            "encoder_self_layer0_head0": common.rounded(ea[0][0, 0].numpy()),
            "decoder_self_layer0_head0": common.rounded(da[0][0, 0].numpy()),
            "cross_layer0_head0": common.rounded(ca[0][0, 0].numpy()),
            last: common.rounded(ca[-1][0, -1].numpy()),
            "top5_per_decoder_position": [{"ids": t.tolist(), "logits": common.rounded(lg[i][t])}
                                          for i, t in enumerate(top)]}
