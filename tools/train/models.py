"""Minimal PyTorch re-implementations of GPT-2, BERT (MLM) and BART.

Module attribute names mirror Hugging Face's so that state_dict() keys ARE the
HF tensor names (minus tied weights).  Every forward returns the softmax
attention matrices so the exact same code computes training loss, metrics and
the C++ reference values.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def gelu_tanh(x):  # GPT-2's "gelu_new"
    return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x.pow(3))))


def gelu_erf(x):  # BERT / BART "gelu"
    return 0.5 * x * (1.0 + torch.erf(x / math.sqrt(2.0)))


def attention(q, k, v, n_head, mask=None):
    """q: (B,Tq,d) k,v: (B,Tk,d); mask broadcastable to (B,H,Tq,Tk), True = keep."""
    B, Tq, d = q.shape
    Tk = k.shape[1]
    hd = d // n_head
    q = q.view(B, Tq, n_head, hd).transpose(1, 2)
    k = k.view(B, Tk, n_head, hd).transpose(1, 2)
    v = v.view(B, Tk, n_head, hd).transpose(1, 2)
    s = (q @ k.transpose(-1, -2)) / math.sqrt(hd)
    if mask is not None:
        s = s.masked_fill(~mask, torch.finfo(s.dtype).min)
    a = F.softmax(s, dim=-1)
    y = (a @ v).transpose(1, 2).reshape(B, Tq, d)
    return y, a


# ----------------------------------------------------------------- GPT-2
class Conv1D(nn.Module):
    """HF GPT-2 Conv1D: weight stored (in, out), y = x @ W + b."""
    def __init__(self, n_in, n_out):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(n_in, n_out) * 0.02)
        self.bias = nn.Parameter(torch.zeros(n_out))

    def forward(self, x):
        return x @ self.weight + self.bias


class GPT2Attn(nn.Module):
    def __init__(self, d, n_head):
        super().__init__()
        self.n_head = n_head
        self.c_attn = Conv1D(d, 3 * d)
        self.c_proj = Conv1D(d, d)

    def forward(self, x, mask):
        q, k, v = self.c_attn(x).split(x.shape[-1], dim=-1)
        y, a = attention(q, k, v, self.n_head, mask)
        return self.c_proj(y), a


class GPT2MLP(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.c_fc = Conv1D(d, 4 * d)
        self.c_proj = Conv1D(4 * d, d)

    def forward(self, x):
        return self.c_proj(gelu_tanh(self.c_fc(x)))


class GPT2Block(nn.Module):
    def __init__(self, d, n_head, eps):
        super().__init__()
        self.ln_1 = nn.LayerNorm(d, eps=eps)
        self.attn = GPT2Attn(d, n_head)
        self.ln_2 = nn.LayerNorm(d, eps=eps)
        self.mlp = GPT2MLP(d)

    def forward(self, x, mask):
        y, a = self.attn(self.ln_1(x), mask)  # pre-LN
        x = x + y
        return x + self.mlp(self.ln_2(x)), a


class GPT2(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        d, eps = cfg["n_embd"], cfg["layer_norm_epsilon"]
        self.wte = nn.Embedding(cfg["vocab_size"], d)
        self.wpe = nn.Embedding(cfg["n_positions"], d)
        nn.init.normal_(self.wte.weight, std=0.02)
        nn.init.normal_(self.wpe.weight, std=0.01)
        self.h = nn.ModuleList(GPT2Block(d, cfg["n_head"], eps) for _ in range(cfg["n_layer"]))
        self.ln_f = nn.LayerNorm(d, eps=eps)

    def forward(self, ids):
        T = ids.shape[1]
        x = self.wte(ids) + self.wpe(torch.arange(T))
        mask = torch.ones(T, T, dtype=torch.bool).tril()
        atts = []
        for blk in self.h:
            x, a = blk(x, mask)
            atts.append(a)
        logits = self.ln_f(x) @ self.wte.weight.T  # tied LM head
        return logits, atts


# ----------------------------------------------------------------- BERT
class _NS(nn.Module):
    """Plain container so that attribute paths match HF names."""
    def __init__(*args, **mods):  # no named 'self': BERT has a submodule called "self"
        this = args[0]
        nn.Module.__init__(this)
        for k, v in mods.items():
            this.add_module(k, v)


class BertLayer(nn.Module):
    def __init__(self, d, n_head, d_ff, eps):
        super().__init__()
        self.n_head = n_head
        self.attention = _NS(self=_NS(query=nn.Linear(d, d), key=nn.Linear(d, d), value=nn.Linear(d, d)),
                             output=_NS(dense=nn.Linear(d, d), LayerNorm=nn.LayerNorm(d, eps=eps)))
        self.intermediate = _NS(dense=nn.Linear(d, d_ff))
        self.output = _NS(dense=nn.Linear(d_ff, d), LayerNorm=nn.LayerNorm(d, eps=eps))

    def forward(self, x, mask):
        sa = getattr(self.attention, "self")
        y, a = attention(sa.query(x), sa.key(x), sa.value(x), self.n_head, mask)
        ao = self.attention.output
        x = ao.LayerNorm(x + ao.dense(y))  # post-LN
        h = self.output.dense(gelu_erf(self.intermediate.dense(x)))
        return self.output.LayerNorm(x + h), a


class BertMLM(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        d, eps = cfg["hidden_size"], cfg["layer_norm_eps"]
        emb = _NS(word_embeddings=nn.Embedding(cfg["vocab_size"], d),
                  position_embeddings=nn.Embedding(cfg["max_position_embeddings"], d),
                  token_type_embeddings=nn.Embedding(cfg["type_vocab_size"], d),
                  LayerNorm=nn.LayerNorm(d, eps=eps))
        layers = nn.ModuleList(BertLayer(d, cfg["num_attention_heads"], cfg["intermediate_size"], eps)
                               for _ in range(cfg["num_hidden_layers"]))
        self.bert = _NS(embeddings=emb, encoder=_NS(layer=layers))
        self.cls = _NS(predictions=_NS(transform=_NS(dense=nn.Linear(d, d),
                                                     LayerNorm=nn.LayerNorm(d, eps=eps))))
        self.cls.predictions.bias = nn.Parameter(torch.zeros(cfg["vocab_size"]))
        for m in self.modules():
            if isinstance(m, (nn.Linear, nn.Embedding)):
                nn.init.normal_(m.weight, std=0.02)
            if isinstance(m, nn.Linear):
                nn.init.zeros_(m.bias)

    def forward(self, ids, token_type_ids=None, attention_mask=None):
        B, T = ids.shape
        e = self.bert.embeddings
        if token_type_ids is None:
            token_type_ids = torch.zeros_like(ids)
        x = e.word_embeddings(ids) + e.position_embeddings(torch.arange(T)) \
            + e.token_type_embeddings(token_type_ids)
        x = e.LayerNorm(x)
        mask = None if attention_mask is None else attention_mask.bool()[:, None, None, :]
        atts = []
        for layer in self.bert.encoder.layer:
            x, a = layer(x, mask)
            atts.append(a)
        t = self.cls.predictions.transform
        h = t.LayerNorm(gelu_erf(t.dense(x)))
        logits = h @ e.word_embeddings.weight.T + self.cls.predictions.bias  # tied decoder
        return logits, atts


# ----------------------------------------------------------------- BART
BART_POS_OFFSET = 2  # HF BartLearnedPositionalEmbedding: row = position + 2


class BartAttn(nn.Module):
    def __init__(self, d, n_head):
        super().__init__()
        self.n_head = n_head
        self.q_proj, self.k_proj = nn.Linear(d, d), nn.Linear(d, d)
        self.v_proj, self.out_proj = nn.Linear(d, d), nn.Linear(d, d)

    def forward(self, x, kv, mask):
        y, a = attention(self.q_proj(x), self.k_proj(kv), self.v_proj(kv), self.n_head, mask)
        return self.out_proj(y), a


class BartLayer(nn.Module):
    def __init__(self, d, n_head, d_ff, cross):
        super().__init__()
        self.self_attn = BartAttn(d, n_head)
        self.self_attn_layer_norm = nn.LayerNorm(d)
        if cross:
            self.encoder_attn = BartAttn(d, n_head)
            self.encoder_attn_layer_norm = nn.LayerNorm(d)
        self.fc1, self.fc2 = nn.Linear(d, d_ff), nn.Linear(d_ff, d)
        self.final_layer_norm = nn.LayerNorm(d)

    def forward(self, x, mask, enc=None, enc_mask=None):
        y, a = self.self_attn(x, x, mask)
        x = self.self_attn_layer_norm(x + y)  # post-LN (normalize_before = false)
        c = None
        if enc is not None:
            y, c = self.encoder_attn(x, enc, enc_mask)
            x = self.encoder_attn_layer_norm(x + y)
        x = self.final_layer_norm(x + self.fc2(gelu_erf(self.fc1(x))))
        return x, a, c


class BartStack(nn.Module):
    def __init__(self, cfg, n_layers, n_head, d_ff, cross):
        super().__init__()
        d = cfg["d_model"]
        self.embed_positions = nn.Embedding(cfg["max_position_embeddings"] + BART_POS_OFFSET, d)
        self.layernorm_embedding = nn.LayerNorm(d)
        self.layers = nn.ModuleList(BartLayer(d, n_head, d_ff, cross) for _ in range(n_layers))


class Bart(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        d = cfg["d_model"]
        self.model = _NS(shared=nn.Embedding(cfg["vocab_size"], d),
                         encoder=BartStack(cfg, cfg["encoder_layers"], cfg["encoder_attention_heads"],
                                           cfg["encoder_ffn_dim"], False),
                         decoder=BartStack(cfg, cfg["decoder_layers"], cfg["decoder_attention_heads"],
                                           cfg["decoder_ffn_dim"], True))
        self.final_logits_bias = nn.Parameter(torch.zeros(1, cfg["vocab_size"]))
        for m in self.modules():
            if isinstance(m, (nn.Linear, nn.Embedding)):
                nn.init.normal_(m.weight, std=0.02)
            if isinstance(m, nn.Linear):
                nn.init.zeros_(m.bias)

    def _embed(self, stack, ids):
        pos = torch.arange(ids.shape[1]) + BART_POS_OFFSET
        # scale_embedding = false: embed_scale is 1.0
        return stack.layernorm_embedding(self.model.shared(ids) + stack.embed_positions(pos))

    def encode(self, src, src_mask):
        x = self._embed(self.model.encoder, src)
        m = src_mask.bool()[:, None, None, :]
        atts = []
        for layer in self.model.encoder.layers:
            x, a, _ = layer(x, m)
            atts.append(a)
        return x, atts

    def decode(self, tgt, enc, src_mask, last_only=False):
        T = tgt.shape[1]
        x = self._embed(self.model.decoder, tgt)
        causal = torch.ones(T, T, dtype=torch.bool).tril()
        m = src_mask.bool()[:, None, None, :]
        selfs, crosses = [], []
        for layer in self.model.decoder.layers:
            x, a, c = layer(x, causal, enc, m)
            selfs.append(a)
            crosses.append(c)
        if last_only:  # greedy decoding needs the last position only (16k-wide logits are costly)
            x = x[:, -1:]
        logits = x @ self.model.shared.weight.T + self.final_logits_bias  # tied lm_head
        return logits, selfs, crosses

    def forward(self, src, src_mask, tgt):
        enc, ea = self.encode(src, src_mask)
        logits, da, ca = self.decode(tgt, enc, src_mask)
        return logits, ea, da, ca
