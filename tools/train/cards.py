"""MODEL_CARD.md generators: sources, licences, architecture, choices, measured figures."""
import json

import bpe
import common
import corpus
import vocab

CMD = "/usr/bin/python3 tools/train/train_all.py"


def _sources(sources=corpus.SOURCES):
    rows = ["| Debian package | version | content used | licence |", "|---|---|---|---|"]
    rows += [f"| {s['package']} | {s['version']} | {s['content']} | {s['licence']} |" for s in sources]
    return ("## Training data\n\nEnglish corpus built by `tools/train/corpus.py` from openly licensed "
            "Debian packages (the corpus itself is not shipped; it is rebuilt into `tools/train/work/`):\n\n"
            + "\n".join(rows) + "\n\n2% of the documents (fixed seed 0) are held out for validation.\n")


def _tokenizer(tok):
    sp = ", ".join(f"`{s}` = {tok.special(s)}" for s in bpe.SPECIALS)
    return (f"## Tokenizer (`tokenizer.json`, shared by the built-in decoder and encoder)\n\n"
            f"Byte-level BPE trained by `tools/train/bpe.py` on the training corpus, saved in the Hugging Face "
            f"GPT-2 layout: `model.type` BPE with `vocab` and `merges` (`\"a b\"` strings), ByteLevel "
            f"pre-tokenizer (add_prefix_space false, GPT-2 regex), ByteLevel decoder, GPT-2 `bytes_to_unicode` "
            f"mapping. Vocabulary {len(tok)} ids: 0-255 the byte symbols in GPT-2 `bytes_to_unicode` order, "
            f"256-{tok.first_special - 1} one per merge ({len(tok.merges)} merges, in merge order), then the "
            f"special tokens (in `added_tokens`, special=true): {sp}. No unknown token. Each model folder's copy "
            f"has a TemplateProcessing post-processor that adds that model's special tokens as it was trained "
            f"(decoder: `<|endoftext|>` first; encoder: `[CLS] A [SEP] (B [SEP])`). This model keeps the 4,096-entry "
            f"vocabulary for now: the built-in translator moved to the 16k English + Spanish vocabulary of "
            f"`tools/train/vocab.py`, and this model moves to it when it is retrained.\n")


def _tensors(tensors, note):
    rows = ["| tensor | dtype | shape |", "|---|---|---|"]
    rows += [f"| `{k}` | {v['dtype']} | {v['shape']} |" for k, v in tensors.items()]
    n = sum(__import__("math").prod(v["shape"]) for v in tensors.values())
    return (f"## Weights (`model.safetensors`)\n\nsafetensors format: 8-byte little-endian header length, "
            f"JSON header (`dtype`, `shape`, `data_offsets`; `__metadata__` = {{\"format\": \"pt\"}}; header "
            f"padded with spaces to a multiple of 8), raw little-endian data. All tensors F16, {n:,} parameters. "
            f"{note}\n\n" + "\n".join(rows) + "\n")


def _config(cfg):
    return "## `config.json`\n\n```json\n" + json.dumps(cfg, indent=1) + "\n```\n"


def _time(m):
    return (f"Training wall time: **{m['train_seconds'] / 60:.1f} min** ({m['train_seconds']:.0f} s, measured, "
            f"one single-threaded process, trained concurrently with other built-in models on the shared 2-core "
            f"build machine while other engineers' compilers were running; corpus + tokenizer preparation is "
            f"shared and takes about one more minute). Reproduce with `{CMD}` (fixed seeds).\n")


def _pronoun(m):
    p = m.get("pronoun_it_to_animal")
    if not p:
        return ""
    v, L, h = max((a, L, h) for L, r in enumerate(p["per_layer_head"]) for h, a in enumerate(r))
    rows = "; ".join(f"layer {L}: " + ", ".join(f"{a:.2f}" for a in r) for L, r in enumerate(p["per_layer_head"]))
    return (f"Pronoun -> referent (not a bar, reported for teachers): attention from the query \" it\" "
            f"(position {p['query_position']}) to the key \" animal\" (position {p['key_position']}); best head "
            f"layer {L} head {h} = {v:.3f}. Per head: {rows}.\n")


def decoder_card(cfg, m, tensors, tok):
    eot = tok.special("<|endoftext|>")
    bp, bi = m["best_previous_token"], m["best_induction"]
    return f"""# AttnViz built-in decoder (GPT-2 architecture)

A tiny GPT-2 language model trained from scratch so that AttnViz shows meaningful attention on first
launch, with no downloads. It is a teaching toy, not a useful language model.

## Architecture

Exactly Hugging Face `GPT2LMHeadModel`: {cfg['n_layer']} layers x {cfg['n_head']} heads, n_embd {cfg['n_embd']},
context {cfg['n_positions']}, vocabulary {cfg['vocab_size']}. Pre-LN blocks
`x = x + attn(ln_1(x)); x = x + mlp(ln_2(x))`, final `ln_f`, LayerNorm eps {cfg['layer_norm_epsilon']},
GELU tanh approximation (`gelu_new`), causal softmax attention scaled by 1/sqrt(head_dim), q/k/v split
from `c_attn` in that order, heads are consecutive {cfg['n_embd'] // cfg['n_head']}-wide slices. Conv1D weights
are stored (in, out) and applied as `x @ W + b`. LM head tied to `wte.weight` (no `lm_head.weight` stored).
Inputs start with `<|endoftext|>` (id {eot}) as BOS.

{_time(m)}
## Why these choices

* Width 128, 4 layers, 4 heads, context 64, vocabulary 4096: a CPU budget of minutes on 2 shared cores.
* Training windows ({m['steps']} steps x 32 x 64 tokens): 65% natural text, each window starting at a
  document boundary with `<|endoftext|>` at position 0 (so a first-token/"no-op" head has a stable target);
  25% `<|endoftext|>` + R R R... with R a random run of 8-31 uniformly random token ids (only copying from
  the previous occurrence predicts it, which grows **induction heads**, and with them previous-token heads);
  10% a natural-text chunk of 8-31 tokens repeated (induction on real words).
* AdamW (lr 2e-3, betas 0.9/0.98, wd 0.01), 200 warm-up steps, cosine decay, grad clip 1, no dropout; seed 1234.

## Measured results (`metrics.json`, computed with the stored f16 weights)

| bar | measured | required | pass |
|---|---|---|---|
| validation loss (nats/token, held-out natural text) | {m['val_loss_nats']:.3f} (perplexity {m['val_perplexity']:.1f}) | clearly below unigram | {'yes' if m['val_loss_nats'] < m['unigram_baseline_loss_nats'] - 0.5 else 'NO'} |
| unigram baseline loss (add-one unigram of the training tokens) | {m['unigram_baseline_loss_nats']:.3f} | | |
| best previous-token head | {bp['score']:.3f} (layer {bp['layer']} head {bp['head']}) | >= 0.6 | {'yes' if bp['score'] >= 0.6 else 'NO'} |
| best induction head | {bi['score']:.3f} (layer {bi['layer']} head {bi['head']}) | >= 0.3 | {'yes' if bi['score'] >= 0.3 else 'NO'} |

Head statistics use the AttnViz definitions. Sentence: `<|endoftext|>` + "{m['sentence']}" =
ids {m['sentence_ids']}. (This sentence has no repeated token id — "The" and " the" differ — so every
duplicate-token score is 0 by definition.) Induction: {m['induction_R_rule']}.

{common.stats_table(m['layers'])}

{_pronoun(m)}
`reference.json`: ids of the default sentence with BOS, attention of layer 0 head 0 and of the last layer's
last head, and the top-5 next-token logits at the last position, computed with the f16 weights upcast to f32.

{_tokenizer(tok)}
{_sources()}
{_tensors(tensors, "Names are exactly Hugging Face GPT-2's (no `transformer.` prefix).")}
{_config(cfg)}"""


def encoder_card(cfg, m, tensors, tok):
    bp, bf = m["best_previous_token"], m["best_first_token"]
    return f"""# AttnViz built-in encoder (BERT architecture, masked LM)

A tiny BERT trained from scratch with masked-language modelling on sentence pairs, so that AttnViz can show
bidirectional attention on first launch. A teaching toy.

## Architecture

Exactly Hugging Face `BertForMaskedLM`: {cfg['num_hidden_layers']} layers x {cfg['num_attention_heads']} heads,
hidden {cfg['hidden_size']}, intermediate {cfg['intermediate_size']}, max positions {cfg['max_position_embeddings']},
type vocabulary {cfg['type_vocab_size']}, vocabulary {cfg['vocab_size']}, LayerNorm eps {cfg['layer_norm_eps']},
GELU (erf). Embeddings = word + absolute position + token type, then `embeddings.LayerNorm`. Post-LN layers:
`x = LN(x + attention.output.dense(selfattn(x)))`, `x = LN(x + output.dense(gelu(intermediate.dense(x))))`.
Attention scores scaled by 1/sqrt(head_dim), padded keys masked (attention_mask 0). nn.Linear weights stored
(out, in), applied as `x @ W.T + b`. MLM head: `transform.dense` -> GELU -> `transform.LayerNorm` ->
`@ word_embeddings.weight.T + cls.predictions.bias` (decoder weight tied, not stored). No pooler / NSP head.
Input format: `[CLS] A [SEP]` (token_type 0) optionally followed by `B [SEP]` (token_type 1); padding `[PAD]`.

{_time(m)}
## Why these choices

* Same budget reasoning as the decoder: width 128, 4 x 4 heads, 64 positions, shared 4096-token vocabulary.
* Examples: for documents with >= 2 sentences, 70% are consecutive sentence pairs A/B (WordNet definition +
  its example sentence, or consecutive sentences of a quotation) so token_type_ids and [SEP] matter; otherwise
  the whole document as one segment. Masking: 15% of non-special tokens, 80% [MASK] / 10% random / 10% kept.
* AdamW (lr 1.5e-3, betas 0.9/0.98, wd 0.01), 300 warm-up steps, cosine decay, batch 32, {m['steps']} steps,
  no dropout; seed 4321.

## Measured results (`metrics.json`, computed with the stored f16 weights)

| bar | measured | pass |
|---|---|---|
| masked-token accuracy, held-out documents ({m['masked_tokens_evaluated']} masked tokens, all replaced by [MASK]) | {m['masked_accuracy']:.3f} | {'yes' if m['masked_accuracy'] > 2 * m['unigram_baseline_accuracy'] else 'NO'} |
| baseline: always predict the most frequent training token `{m['baseline_token']['token']}` | {m['unigram_baseline_accuracy']:.3f} | |
| best previous-token head | {bp['score']:.3f} (layer {bp['layer']} head {bp['head']}) | |
| best first-token ([CLS]) head | {bf['score']:.3f} (layer {bf['layer']} head {bf['head']}) | |

Head statistics use the AttnViz definitions on `[CLS]` "{m['sentence']}" `[SEP]` = ids {m['sentence_ids']}
(no repeated id, so duplicate-token scores are 0 by definition). Induction: {m['induction_R_rule']}.

{common.stats_table(m['layers'])}

{_pronoun(m)}
`reference.json`: the default sentence with " street" replaced by `[MASK]` (token_type_ids all 0), attention of
layer 0 head 0 and of the last layer's last head, and the top-5 logits at the masked position.

{_tokenizer(tok)}
{_sources()}
{_tensors(tensors, "Names are exactly Hugging Face `BertForMaskedLM`'s.")}
{_config(cfg)}"""


def _tokenizer16k(tok, v):
    sp = ", ".join(f"`{s}` = {tok.special(s)}" for s in bpe.SPECIALS)
    return (f"## Tokenizer (`tokenizer.json`, the 16k vocabulary)\n\n"
            f"Byte-level BPE trained by `tools/train/vocab.py` (with `bpe.py`) on the English corpus below plus "
            f"the Spanish side of the training pairs (counted {vocab.SPANISH_WEIGHT} times), in the Hugging Face "
            f"GPT-2 layout (ByteLevel pre-tokenizer and decoder, GPT-2 regex). {len(tok)} ids: 0-255 bytes, "
            f"{len(tok.merges)} merges, then the specials {sp}. {v['single_token_rate'] * 100:.1f}% of the "
            f"2,000 most frequent corpus words (`tests/data/vocab/top2000_words.txt`, each in its most frequent "
            f"spelling) are one token with a leading space (bar: 97%). The default sentence tokenises as "
            f"{json.dumps(v['default_sentence_tokens'], ensure_ascii=False)}. The folder's copy has a TemplateProcessing "
            f"post-processor `<s> $A </s>`, the encoder input the model was trained on. **Only the translator "
            f"uses this vocabulary so far**: the built-in decoder and encoder "
            f"keep the 4,096-entry vocabulary until they are retrained.\n")


def translator_card(cfg, m, tensors, tok):
    al = m["cross_attention_alignment"]
    rows = ["| decoder layer | " + " | ".join(f"head {h}" for h in range(len(al[0]))) + " |",
            "|---|" + "---|" * len(al[0])]
    rows += [f"| {L} | " + " | ".join(f"{a:.3f}" for a in r) + " |" for L, r in enumerate(al)]
    b = m["best_alignment_head"]
    everyday = "\n".join(f"| {e['english']} | {e['spanish']} |" for e in m["everyday"])
    sample = "\n".join(f"| {r['source']} | {r['apertium']} | {r['greedy']} |" for r in m["heldout_sample"][:8])
    return f"""# AttnViz built-in translator (BART architecture, English -> Spanish)

A small encoder-decoder that translates short everyday English sentences into Spanish. It learnt from
Apertium's rule-based translations, so it imitates Apertium (including its mistakes); a teaching model whose
cross-attention shows the word alignment, such as the noun-adjective swap of "the red car" -> "el coche rojo".

## Task and data

English sentences of the corpus with 3-20 words (plain letters and punctuation, no archaic forms, no
dictionary-headword lines), translated once in batch by Apertium 3 (`apertium eng-spa`, Debian packages
`apertium` and `apertium-eng-spa` 0.8.1; used only at training time, never by the app). Lines where Apertium
marked an unknown word (`*`, `#`, `@`) are dropped. {m['train_pairs']} training pairs; a fixed, seeded split of
{m['heldout_pairs']} pairs is held out (`tools/train/pairs.py`, cached in `tools/train/work/pairs.tsv`). Each
training pair is also shown, {int(100 * 0.3)}% of the time, the way people type: lowercase first letter, no full
stop. Encoder input `<s> English </s>`; decoder input `<s> Spanish`; labels `Spanish </s>`.

## Architecture and exact forward pass (Hugging Face `BartForConditionalGeneration`)

d_model {cfg['d_model']}, {cfg['encoder_layers']} encoder + {cfg['decoder_layers']} decoder layers, {cfg['encoder_attention_heads']} heads
each, FFN {cfg['encoder_ffn_dim']}, GELU (erf), max_position_embeddings {cfg['max_position_embeddings']}, vocabulary
{cfg['vocab_size']}. normalize_before false (post-LN), scale_embedding false (embed_scale 1), no final encoder/decoder
layer norm, LayerNorm eps 1e-5, no dropout. nn.Linear weights stored (out, in): `y = x @ W.T + b`.

1. Embeddings (encoder and decoder alike, each with its own position table and layernorm):
   `h = layernorm_embedding(shared[ids] + embed_positions[pos + 2])`, pos = 0, 1, ... —
   **the learned position table has max_position_embeddings + 2 rows and row = position + 2** (BART's offset).
2. Encoder layer: `h = self_attn_layer_norm(h + self_attn(h))`;
   `h = final_layer_norm(h + fc2(gelu(fc1(h))))`. Self-attention is bidirectional, padded keys masked.
3. Decoder layer: `h = self_attn_layer_norm(h + self_attn(h))` (causal);
   `h = encoder_attn_layer_norm(h + encoder_attn(q = h, k = v = encoder output))` (padded source keys masked);
   `h = final_layer_norm(h + fc2(gelu(fc1(h))))`.
4. Attention: q = q_proj(x) / sqrt(head_dim), k = k_proj, v = v_proj, per-head softmax(q k^T) v, heads concatenated,
   out_proj.
5. `logits = h @ shared.weight.T + final_logits_bias` (lm_head tied to `model.shared.weight`; encoder/decoder
   `embed_tokens` are the same tensor and are not stored).
6. Generation: start with decoder_start_token_id `<s>` ({cfg['decoder_start_token_id']}), greedy until `</s>` ({cfg['eos_token_id']}).

Training wall time: **{m['train_seconds'] / 60:.1f} min** ({m['train_seconds']:.0f} s, measured, one single-threaded
process on the shared 2-core machine while another engineer's compilers and tests were running; the corpus,
the Apertium pairs and the 16k vocabulary take about four more minutes). Reproduce with `{CMD}` (fixed seeds), or
`/usr/bin/python3 tools/train/train_translator.py` once `work/` is built.

## Why these choices

3+3 layers of width 256 (about 9.8 million parameters) train in under an hour on one core and, in F16, keep the
folder under 25 MB (the 16k x 256 shared embedding is about 8 MB of it). AdamW lr 8e-4 (betas
0.9/0.98, wd 0.01), 300 warm-up steps, cosine decay, label smoothing 0.1, batch {m['batch']} sentences of similar
length, {m['steps']} steps ({m['examples_seen']:,} examples); seed 777.

## Measured results (`metrics.json`, computed with the stored f16 weights, greedy decoding)

| measure | value | required | pass |
|---|---|---|---|
| chrF against Apertium, {m['heldout_pairs']} held-out pairs (`tools/train/chrf.py`: character 6-grams, beta 2, sacrebleu's default chrF) | {m['heldout_chrf']:.1f} | >= 55 | {'yes' if m['heldout_chrf'] >= 55 else 'NO'} |
| exact match with Apertium, same pairs | {m['heldout_exact_match']:.3f} | reported | |
| alignment score, best cross-attention head | {b['score']:.3f} (decoder layer {b['layer']} head {b['head']}) | reported | |

Alignment score: {m['alignment_definition']} Measured over {m['alignment_links']} links. Per head:

{chr(10).join(rows)}

"{m['reference_text']}" -> "{m['reference_translation']}". Where the best alignment head looks while predicting each
target token of it (a noun-adjective swap shows as a crossing: the noun's key before the adjective's):
{'; '.join(f'"{a["predicts"]}" <- "{a["attends"]}"' for a in m['reference_best_head_argmax'])}.

Everyday sentences (greedy):

| English | model |
|---|---|
{everyday}

Held-out examples (the first 8 of the {m['heldout_sample_size']} stored in `metrics.json` for the C++ test, whose
chrF is {m['heldout_sample_chrf']:.1f} and whose best-head alignment is {m['heldout_sample_alignment_hits']} of
{m['heldout_sample_alignment_links']} links):

| English | Apertium | model |
|---|---|---|
{sample}

`reference.json`: source "{m['reference_text']}" with the model's own translation as teacher-forced decoder input;
encoder self-attention, decoder self-attention and cross-attention of layer 0 head 0 (plus cross-attention of the
last layer's last head), top-5 logits at every decoder position, and the greedy output ids.

{_tokenizer16k(tok, m['vocabulary'])}
{_sources(corpus.LARGE_SOURCES)}
Translations: Apertium eng-spa (`apertium-eng-spa`, GNU GPL version 2, as stated in its Debian copyright file);
the translated sentences are training data only and are not shipped.

{_tensors(tensors, "Names are exactly Hugging Face BART's; `lm_head.weight` and `model.encoder/decoder.embed_tokens.weight` are tied to `model.shared.weight` and omitted.")}
{_config(cfg)}"""
