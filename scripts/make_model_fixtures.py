#!/usr/bin/env python3
"""Writes the reference fixtures of ZOModel's tests into Tests/ZOModelTests/Fixtures/.

Independent of the Swift code: the model is written here from GPT-2's definition with PyTorch
ops in float64 (autograd for the gradients); the GPT-2 pre-tokenisation and BPE come from
OpenAI's encoder.py algorithm with the `regex` module. Run once; the outputs are committed:

  gpt_tiny.safetensors            weights, Hugging Face GPT2LMHeadModel names ("transformer."
                                  prefix, Conv1D [in, out] layout, tied lm_head.weight), F32
  gpt_tiny_reference.safetensors  inputs, logits, losses and gradients (full, LoRA, prefix)
  gpt2_pretokenize.json           regex pre-tokenisation of tricky strings
  bpe_tiny/{vocab.json,merges.txt,encodings.json}
                                  a small byte-level BPE learned on a sample text and the ids
                                  encoder.py's algorithm gives for test strings

Requires numpy and torch (CPU) and regex. Usage: python3 scripts/make_model_fixtures.py
"""
import json, os, struct, sys

import numpy as np
import regex
import torch
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "ZOModelTests", "Fixtures")

# Tiny configuration (see ModelFixtureTests.swift).
V, MAXT, C, NH, L = 40, 16, 24, 3, 2
B, T = 3, 12
R, ALPHA = 4, 8.0
P = 3
EPS = 1e-5


def save_safetensors(path, tensors, metadata=None):
    """Minimal safetensors writer (the format is 8-byte LE header length, JSON header, data)."""
    header, blobs, offset = {}, [], 0
    for name, arr in tensors.items():
        arr = np.ascontiguousarray(arr)
        dtype = {np.float32: "F32", np.int64: "I64"}[arr.dtype.type]
        b = arr.tobytes()
        header[name] = {"dtype": dtype, "shape": list(arr.shape), "data_offsets": [offset, offset + len(b)]}
        blobs.append(b)
        offset += len(b)
    if metadata:
        header["__metadata__"] = metadata
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)


def layer_names(i):
    return [f"h.{i}.{n}" for n in ["ln_1.weight", "ln_1.bias", "attn.c_attn.weight", "attn.c_attn.bias",
                                    "attn.c_proj.weight", "attn.c_proj.bias", "ln_2.weight", "ln_2.bias",
                                    "mlp.c_fc.weight", "mlp.c_fc.bias", "mlp.c_proj.weight", "mlp.c_proj.bias"]]


def make_weights(g):
    w = {}
    def randn(*shape, std=1.0):
        return torch.randn(*shape, generator=g, dtype=torch.float64) * std
    w["wte.weight"] = randn(V, C, std=0.3)
    w["wpe.weight"] = randn(MAXT, C, std=0.1)
    for i in range(L):
        shapes = {"ln_1.weight": (C,), "ln_1.bias": (C,), "attn.c_attn.weight": (C, 3 * C), "attn.c_attn.bias": (3 * C,),
                  "attn.c_proj.weight": (C, C), "attn.c_proj.bias": (C,), "ln_2.weight": (C,), "ln_2.bias": (C,),
                  "mlp.c_fc.weight": (C, 4 * C), "mlp.c_fc.bias": (4 * C,), "mlp.c_proj.weight": (4 * C, C),
                  "mlp.c_proj.bias": (C,)}
        for n, s in shapes.items():
            if n.startswith("ln_") and n.endswith("weight"):
                w[f"h.{i}.{n}"] = 1 + randn(*s, std=0.1)
            elif n.endswith("bias"):
                w[f"h.{i}.{n}"] = randn(*s, std=0.1)
            else:
                w[f"h.{i}.{n}"] = randn(*s, std=0.25)
    w["ln_f.weight"] = 1 + randn(C, std=0.1)
    w["ln_f.bias"] = randn(C, std=0.1)
    return w


def gelu(x):
    return 0.5 * x * (1 + torch.tanh((2 / torch.pi) ** 0.5 * (x + 0.044715 * x ** 3)))


def layernorm(x, w, b):
    mu = x.mean(-1, keepdim=True)
    var = ((x - mu) ** 2).mean(-1, keepdim=True)
    return (x - mu) / torch.sqrt(var + EPS) * w + b


def forward(w, tokens, adapters=None, mode="full"):
    """Logits [B,T,V] of GPT-2 with optional LoRA (q, v) or prefix adapters."""
    Bn, Tn = tokens.shape
    hs = C // NH
    x = w["wte.weight"][tokens] + w["wpe.weight"][:Tn]
    for i in range(L):
        p = lambda n: w[f"h.{i}.{n}"]
        a = layernorm(x, p("ln_1.weight"), p("ln_1.bias"))
        qkv = a @ p("attn.c_attn.weight") + p("attn.c_attn.bias")
        q, k, v = qkv.split(C, dim=-1)
        if mode == "lora":
            s = ALPHA / R
            q = q + s * (a @ adapters[f"h.{i}.attn.lora_q.A"]) @ adapters[f"h.{i}.attn.lora_q.B"]
            v = v + s * (a @ adapters[f"h.{i}.attn.lora_v.A"]) @ adapters[f"h.{i}.attn.lora_v.B"]
        q = q.view(Bn, Tn, NH, hs).transpose(1, 2)          # [B,NH,T,hs]
        k = k.view(Bn, Tn, NH, hs).transpose(1, 2)
        v = v.view(Bn, Tn, NH, hs).transpose(1, 2)
        mask = torch.tril(torch.ones(Tn, Tn, dtype=torch.bool))
        if mode == "prefix":
            pk = adapters[f"h.{i}.attn.prefix.key"].view(P, NH, hs).transpose(0, 1).expand(Bn, NH, P, hs)
            pv = adapters[f"h.{i}.attn.prefix.value"].view(P, NH, hs).transpose(0, 1).expand(Bn, NH, P, hs)
            k = torch.cat([pk, k], dim=2)
            v = torch.cat([pv, v], dim=2)
            mask = torch.cat([torch.ones(Tn, P, dtype=torch.bool), mask], dim=1)
        att = (q @ k.transpose(-2, -1)) / hs ** 0.5
        att = att.masked_fill(~mask, float("-inf")).softmax(-1)
        y = (att @ v).transpose(1, 2).reshape(Bn, Tn, C)
        x = x + y @ p("attn.c_proj.weight") + p("attn.c_proj.bias")
        m = layernorm(x, p("ln_2.weight"), p("ln_2.bias"))
        x = x + gelu(m @ p("mlp.c_fc.weight") + p("mlp.c_fc.bias")) @ p("mlp.c_proj.weight") + p("mlp.c_proj.bias")
    x = layernorm(x, w["ln_f.weight"], w["ln_f.bias"])
    return x @ w["wte.weight"].t()


def weighted_loss(logits, targets, weights):
    nll = F.cross_entropy(logits.reshape(-1, V), targets.reshape(-1).clamp(min=0), reduction="none").view(B, T)
    valid = (targets >= 0).double()
    ww = weights * valid
    return (ww * nll).sum() / ww.sum(), nll * valid


def f32(t):
    return t.detach().numpy().astype(np.float32)


def model_fixtures():
    g = torch.Generator().manual_seed(1234)
    w = make_weights(g)
    tokens = torch.randint(0, V, (B, T), generator=g)
    targets = torch.randint(0, V, (B, T), generator=g)
    targets[0, 3] = -1
    targets[2, 0] = -1
    targets[1, 7] = -1
    weights = torch.rand(B, T, generator=g, dtype=torch.float64) + 0.5

    # Checkpoint in Hugging Face layout: "transformer." prefix, Conv1D [in, out], tied lm_head.
    hf = {"transformer." + n: f32(t) for n, t in w.items()}
    hf["lm_head.weight"] = f32(w["wte.weight"])
    save_safetensors(os.path.join(OUT, "gpt_tiny.safetensors"), hf, {"format": "pt", "n_head": str(NH)})

    ref = {"tokens": tokens.numpy().astype(np.int64), "targets": targets.numpy().astype(np.int64),
           "weights": f32(weights)}

    # Full model.
    params = {n: t.clone().requires_grad_(True) for n, t in w.items()}
    logits = forward(params, tokens)
    loss, nll = weighted_loss(logits, targets, weights)
    loss.backward()
    ref["logits"] = f32(logits)
    ref["nll"] = f32(nll)
    ref["loss"] = f32(loss.reshape(1))
    unweighted = F.cross_entropy(logits.reshape(-1, V), targets.reshape(-1), ignore_index=-1)
    ref["loss_unweighted"] = f32(unweighted.reshape(1))
    for n, t in params.items():
        ref["grad." + n] = f32(t.grad)

    # LoRA (B nonzero so the adapters matter).
    lora = {}
    for i in range(L):
        for which in ["q", "v"]:
            bound = 1 / C ** 0.5
            lora[f"h.{i}.attn.lora_{which}.A"] = (torch.rand(C, R, generator=g, dtype=torch.float64) * 2 - 1) * bound
            lora[f"h.{i}.attn.lora_{which}.B"] = torch.randn(R, C, generator=g, dtype=torch.float64) * 0.2
    lp = {n: t.clone().requires_grad_(True) for n, t in lora.items()}
    logits = forward(w, tokens, lp, "lora")
    loss, _ = weighted_loss(logits, targets, weights)
    loss.backward()
    ref["lora.loss"] = f32(loss.reshape(1))
    for n, t in lp.items():
        ref[n] = f32(lora[n])
        ref["lora.grad." + n] = f32(t.grad)

    # Prefix.
    prefix = {}
    for i in range(L):
        prefix[f"h.{i}.attn.prefix.key"] = torch.randn(P, C, generator=g, dtype=torch.float64) * 0.5
        prefix[f"h.{i}.attn.prefix.value"] = torch.randn(P, C, generator=g, dtype=torch.float64) * 0.5
    pp = {n: t.clone().requires_grad_(True) for n, t in prefix.items()}
    logits = forward(w, tokens, pp, "prefix")
    loss, _ = weighted_loss(logits, targets, weights)
    loss.backward()
    ref["prefix.loss"] = f32(loss.reshape(1))
    ref["prefix.logits"] = f32(logits)
    for n, t in pp.items():
        ref[n] = f32(prefix[n])
        ref["prefix.grad." + n] = f32(t.grad)
    save_safetensors(os.path.join(OUT, "gpt_tiny_reference.safetensors"), ref,
                     {"config": json.dumps({"V": V, "maxT": MAXT, "C": C, "NH": NH, "L": L, "B": B, "T": T,
                                            "lora_rank": R, "lora_alpha": ALPHA, "prefix": P}),
                      "generator": "scripts/make_model_fixtures.py (torch %s, float64)" % torch.__version__})


# ---------------------------------------------------------------- tokenizer (OpenAI encoder.py)

PAT = regex.compile(r"""'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+""")


def bytes_to_unicode():
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, [chr(c) for c in cs]))


def get_pairs(word):
    return {(word[i], word[i + 1]) for i in range(len(word) - 1)}


def bpe(token, ranks):
    """encoder.py's Encoder.bpe."""
    word = tuple(token)
    pairs = get_pairs(word)
    if not pairs:
        return [token]
    while True:
        bigram = min(pairs, key=lambda p: ranks.get(p, float("inf")))
        if bigram not in ranks:
            break
        first, second = bigram
        new_word, i = [], 0
        while i < len(word):
            try:
                j = word.index(first, i)
                new_word.extend(word[i:j])
                i = j
            except ValueError:
                new_word.extend(word[i:])
                break
            if word[i] == first and i < len(word) - 1 and word[i + 1] == second:
                new_word.append(first + second)
                i += 2
            else:
                new_word.append(word[i])
                i += 1
        word = tuple(new_word)
        if len(word) == 1:
            break
        pairs = get_pairs(word)
    return list(word)


TRICKY = [
    "Hello world", "Hello  world", "  leading", "trailing  ", "tabs\tand\nnewlines\n\n",
    "it's we're they've I'm you'll he'd 'twas", "don't DON'T", "number 12345 and 3.14159", "x=1+2; y = x**2!",
    "naïve café, résumé", "Ελληνικά και русский", "日本語のテキスト", "emoji 👍🏽 and ✨", "mixed123abc",
    "  \n  \n", "a\u00a0b", "end with space ", "'s'", "multiple   spaces   here", "line1\r\nline2",
    "Ⅻ roman ½ fraction", "under_score-dash.dot", "\u2028sep", "",
]


def tokenizer_fixtures():
    with open(os.path.join(OUT, "gpt2_pretokenize.json"), "w", encoding="utf-8") as f:
        json.dump([{"text": t, "pieces": PAT.findall(t)} for t in TRICKY], f, ensure_ascii=False, indent=1)

    # Learn 60 merges on a sample text (simple BPE training on pre-token counts).
    b2u = bytes_to_unicode()
    sample = ("the quick brown fox jumps over the lazy dog. The dog sleeps; the fox runs and runs. "
              "It's the thing they're thinking of: the theory of everything, 1234567890 times.")
    counts = {}
    for piece in PAT.findall(sample):
        word = tuple(b2u[b] for b in piece.encode("utf-8"))
        counts[word] = counts.get(word, 0) + 1
    merges = []
    for _ in range(60):
        pc = {}
        for word, c in counts.items():
            for p in zip(word, word[1:]):
                pc[p] = pc.get(p, 0) + c
        if not pc:
            break
        best = max(sorted(pc), key=lambda p: pc[p])
        merges.append(best)
        new_counts = {}
        for word, c in counts.items():
            w, i = [], 0
            while i < len(word):
                if i < len(word) - 1 and (word[i], word[i + 1]) == best:
                    w.append(word[i] + word[i + 1])
                    i += 2
                else:
                    w.append(word[i])
                    i += 1
            new_counts[tuple(w)] = new_counts.get(tuple(w), 0) + c
        counts = new_counts
    vocab = {}
    for b in range(256):
        vocab[b2u[b]] = len(vocab)
    for a, b in merges:
        if a + b not in vocab:
            vocab[a + b] = len(vocab)
    vocab["<|endoftext|>"] = len(vocab)
    ranks = {m: i for i, m in enumerate(merges)}
    d = os.path.join(OUT, "bpe_tiny")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "vocab.json"), "w", encoding="utf-8") as f:
        json.dump(vocab, f, ensure_ascii=False)
    with open(os.path.join(d, "merges.txt"), "w", encoding="utf-8") as f:
        f.write("#version: 0.2\n")
        for a, b in merges:
            f.write(f"{a} {b}\n")
    tests = ["the quick brown fox", "The theory of everything!", "It's thinking they're there", "runs 1234 times",
             "naïve 👍 fox\n\nthe end", "  spaced   out  ", "<|endoftext|>the dog<|endoftext|>"]
    enc = []
    for t in tests:
        ids = []
        for seg in regex.split(r"(<\|endoftext\|>)", t):
            if seg == "<|endoftext|>":
                ids.append(vocab[seg])
                continue
            for piece in PAT.findall(seg):
                ids += [vocab[s] for s in bpe("".join(b2u[b] for b in piece.encode("utf-8")), ranks)]
        enc.append({"text": t, "ids": ids})
    with open(os.path.join(d, "encodings.json"), "w", encoding="utf-8") as f:
        json.dump(enc, f, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    torch.manual_seed(0)
    model_fixtures()
    tokenizer_fixtures()
    for root, _, files in os.walk(OUT):
        for n in sorted(files):
            p = os.path.join(root, n)
            print(f"{os.path.relpath(p, OUT):40s} {os.path.getsize(p):8d} bytes")
