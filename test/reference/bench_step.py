#!/usr/bin/python3
"""PyTorch timing of one training step of the looped transformer on the parity task (for
scripts/bench-train.ts): batch of lengths uniform in 1..20, row width 21, each example read at its
own T(n) = n, horizon 22, AdamW + clipping at 1.0, fp32.

mode "paper": every example runs all H iterations (how the paper's code trains).
mode "prefix": examples sorted by T(n); iteration t only runs the examples with T(n) >= t (the
same exact work saving LoopLens's training graph uses), for a like-for-like comparison.
Prints one JSON line: {"ms": [wall ms per step], "cpuMs": [CPU ms per step, all threads], "threads": k, "mode": ...}.
"""
import argparse
import json
import math
import random
import time

import torch
import torch.nn.functional as F


class Looped(torch.nn.Module):
    def __init__(self, V, d, L, heads):
        super().__init__()
        self.d, self.heads, self.L = d, heads, L
        self.read_in = torch.nn.Linear(V, d)
        self.ln1 = torch.nn.ModuleList(torch.nn.LayerNorm(d) for _ in range(L))
        self.ln2 = torch.nn.ModuleList(torch.nn.LayerNorm(d) for _ in range(L))
        self.qkv = torch.nn.ModuleList(torch.nn.Linear(d, 3 * d) for _ in range(L))
        self.proj = torch.nn.ModuleList(torch.nn.Linear(d, d) for _ in range(L))
        self.fc = torch.nn.ModuleList(torch.nn.Linear(d, 4 * d) for _ in range(L))
        self.out = torch.nn.ModuleList(torch.nn.Linear(4 * d, d) for _ in range(L))
        self.ln_f = torch.nn.LayerNorm(d)
        self.read_out = torch.nn.Linear(d, V)

    def block(self, x, causal):
        B, W, d = x.shape
        hd = d // self.heads
        for l in range(self.L):
            a = self.ln1[l](x)
            q, k, v = self.qkv[l](a).split(d, dim=-1)
            q = q.view(B, W, self.heads, hd).transpose(1, 2)
            k = k.view(B, W, self.heads, hd).transpose(1, 2)
            v = v.view(B, W, self.heads, hd).transpose(1, 2)
            s = (q @ k.transpose(-1, -2)) / math.sqrt(hd)
            s = s.masked_fill(~causal, float("-inf"))
            x = x + self.proj[l]((s.softmax(-1) @ v).transpose(1, 2).reshape(B, W, d))
            x = x + self.out[l](F.gelu(self.fc[l](self.ln2[l](x)), approximate="tanh"))
        return self.ln_f(x)

    def loss_paper(self, tokens, targets, mask, steps, H):
        B, W = tokens.shape
        e = self.read_in(F.one_hot(tokens, self.read_in.in_features).float())
        causal = torch.ones(W, W, dtype=torch.bool, device=e.device).tril()
        h = torch.zeros_like(e)
        outs = []
        for _ in range(H):
            h = self.block(h + e, causal)
            outs.append(self.read_out(h))
        logits = torch.stack(outs)[steps - 1, torch.arange(B, device=steps.device)]
        ce = F.cross_entropy(logits.reshape(B * W, -1), targets.reshape(-1), reduction="none").view(B, W)
        return (ce * mask).sum() / mask.sum()

    def loss_prefix(self, tokens, targets, mask, steps, H):
        order = torch.argsort(steps, descending=True)
        tokens, targets, mask, steps = tokens[order], targets[order], mask[order], steps[order]
        B, W = tokens.shape
        e = self.read_in(F.one_hot(tokens, self.read_in.in_features).float())
        causal = torch.ones(W, W, dtype=torch.bool, device=e.device).tril()
        counts = [int((steps >= t).sum()) for t in range(1, H + 2)]
        h = None
        finals = []
        for t in range(1, H + 1):
            c = counts[t - 1]
            if c == 0:
                break
            x = e[:c] if h is None else h[:c] + e[:c]
            h = self.block(x, causal)
            finals.append(h[counts[t]:c])
        hf = torch.cat(finals[::-1])
        logits = self.read_out(hf)
        ce = F.cross_entropy(logits.reshape(B * W, -1), targets.reshape(-1), reduction="none").view(B, W)
        return (ce * mask).sum() / mask.sum()


def parity_batch(rng, B, W):
    tokens, targets, mask, steps = [], [], [], []
    for _ in range(B):
        n = rng.randint(1, 20)
        bits = [rng.randint(0, 1) for _ in range(n)]
        x = bits + [2] + [3] * (W - n - 1)
        y = [5] * n + [sum(bits) % 2] + [3] * (W - n - 1)
        m = [0] * n + [1] * (W - n)
        tokens.append(x), targets.append(y), mask.append(m), steps.append(n)
    return (torch.tensor(tokens), torch.tensor(targets), torch.tensor(mask, dtype=torch.float32), torch.tensor(steps))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--d", type=int, required=True)
    ap.add_argument("--heads", type=int, required=True)
    ap.add_argument("--layers", type=int, default=1)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--steps", type=int, default=3)
    ap.add_argument("--mode", choices=["paper", "prefix"], default="paper")
    ap.add_argument("--device", choices=["cpu", "cuda"], default="cpu")
    a = ap.parse_args()
    dev = torch.device(a.device)
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    rng = random.Random(0)
    model = Looped(6, a.d, a.layers, a.heads).to(dev)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-4, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.01)
    loss_fn = model.loss_paper if a.mode == "paper" else model.loss_prefix
    times, cpu = [], []
    for i in range(a.steps + 1):
        batch = tuple(t.to(dev) for t in parity_batch(rng, 64, 21))
        c0 = time.process_time()
        t0 = time.perf_counter()
        opt.zero_grad()
        loss = loss_fn(*batch, 22)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        if a.device == "cuda":
            torch.cuda.synchronize()
        if i > 0:  # the first step warms up allocators and threads
            times.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.process_time() - c0) * 1000)
    print(json.dumps({"ms": times, "cpuMs": cpu, "threads": a.threads, "mode": a.mode, "device": a.device, "torch": torch.__version__}))


if __name__ == "__main__":
    main()
