#!/usr/bin/env python3
"""PyTorch CPU reference for `zolab bench model`: a GPT-2-style model (nanoGPT layout: pre-LN,
GELU tanh, learned positions, tied embeddings, causal attention via scaled_dot_product_attention)
with the same shapes and thread count as the Swift benchmark.

Times (median of --repeats after one warm-up):
  forward   -- torch.no_grad() loss of one batch (mean cross-entropy over B*T positions)
  mezo      -- one MeZO step as princeton-nlp/MeZO's trainer does it: perturb +eps*z, loss,
               perturb -2*eps*z, loss, perturb +eps*z, then zo_update regenerating z a 4th time
               (torch.manual_seed(seed) + torch.normal per parameter, in named_parameters order)
Prints one JSON object on stdout. Exit code 3 when torch is not installed.
"""
import argparse, json, math, statistics, sys, time

try:
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
except ImportError:
    print(json.dumps({"error": "torch is not installed"}))
    sys.exit(3)


class Block(nn.Module):
    def __init__(self, C, NH):
        super().__init__()
        self.NH = NH
        self.ln_1 = nn.LayerNorm(C)
        self.c_attn = nn.Linear(C, 3 * C)
        self.c_proj = nn.Linear(C, C)
        self.ln_2 = nn.LayerNorm(C)
        self.c_fc = nn.Linear(C, 4 * C)
        self.mlp_proj = nn.Linear(4 * C, C)

    def forward(self, x):
        B, T, C = x.shape
        q, k, v = self.c_attn(self.ln_1(x)).split(C, dim=2)
        q = q.view(B, T, self.NH, C // self.NH).transpose(1, 2)   # [B,NH,T,hs]
        k = k.view(B, T, self.NH, C // self.NH).transpose(1, 2)
        v = v.view(B, T, self.NH, C // self.NH).transpose(1, 2)
        y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        y = y.transpose(1, 2).contiguous().view(B, T, C)
        x = x + self.c_proj(y)
        x = x + self.mlp_proj(F.gelu(self.c_fc(self.ln_2(x)), approximate="tanh"))
        return x


class GPT(nn.Module):
    def __init__(self, V, maxT, C, L, NH):
        super().__init__()
        self.wte = nn.Embedding(V, C)
        self.wpe = nn.Embedding(maxT, C)
        self.h = nn.ModuleList([Block(C, NH) for _ in range(L)])
        self.ln_f = nn.LayerNorm(C)
        for p in self.parameters():
            nn.init.normal_(p, std=0.02) if p.dim() > 1 else None

    def forward(self, idx, targets):
        B, T = idx.shape
        x = self.wte(idx) + self.wpe(torch.arange(T))
        for block in self.h:
            x = block(x)
        logits = self.ln_f(x) @ self.wte.weight.t()       # tied head, [B,T,V]
        return F.cross_entropy(logits.view(-1, logits.size(-1)), targets.view(-1))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--vocab", type=int, default=256)
    ap.add_argument("--context", type=int, default=128)
    ap.add_argument("--width", type=int, default=256)
    ap.add_argument("--depth", type=int, default=4)
    ap.add_argument("--heads", type=int, default=4)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--seq", type=int, default=128)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--repeats", type=int, default=5)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    model = GPT(a.vocab, a.context, a.width, a.depth, a.heads).eval()
    g = torch.Generator().manual_seed(1)
    idx = torch.randint(0, a.vocab, (a.batch, a.seq), generator=g)
    tgt = torch.randint(0, a.vocab, (a.batch, a.seq), generator=g)
    params = [p for _, p in model.named_parameters() if p.requires_grad]
    eps, lr = 1e-3, 1e-6

    def forward():
        with torch.no_grad():
            return model(idx, tgt).item()

    def perturb(seed, scaling):
        torch.manual_seed(seed)
        for p in params:
            z = torch.normal(mean=0, std=1, size=p.data.size(), device=p.data.device, dtype=p.data.dtype)
            p.data = p.data + scaling * z * eps

    step = [0]

    def mezo():
        seed = 1000 + step[0]
        step[0] += 1
        perturb(seed, 1)
        l1 = forward()
        perturb(seed, -2)
        l2 = forward()
        perturb(seed, 1)
        g = (l1 - l2) / (2 * eps)
        torch.manual_seed(seed)
        for p in params:
            z = torch.normal(mean=0, std=1, size=p.data.size(), device=p.data.device, dtype=p.data.dtype)
            p.data = p.data - lr * (g * z)

    def timed(fn):
        fn()
        ts = []
        for _ in range(a.repeats):
            t0 = time.perf_counter()
            fn()
            ts.append(time.perf_counter() - t0)
        return statistics.median(ts)

    f = timed(forward)
    m = timed(mezo)
    n = sum(p.numel() for p in params)
    print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(), "parameters": n,
                      "forward_s": f, "mezo_step_s": m}))


if __name__ == "__main__":
    main()
