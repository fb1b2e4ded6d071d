#!/usr/bin/python3
"""Independent PyTorch reference of the looped transformer's training step (paper.md "Model" and
"Training"), written the way the paper's code runs it: every example goes through all H loop
iterations, the logits of every iteration are stacked and each example is read at its own step.
Reads a JSON job on stdin, writes JSON results on stdout.

Job: {config, params: {name: [values]}, shapes: {name: [dims]}, batches: [{B, W, H, tokens, targets,
mask, steps}], lr, optimizer: {beta1, beta2, eps, weightDecay, maxGradNorm}, dtype: "float64"|"float32"}
Weights are [in, out] (y = x @ W + b), matching LoopLens's parameter layout.
Results: {losses, gradNorms, grads (of the first step, before clipping), params (after all steps),
stepLogits (first batch, before any update: [H, B, W, V])}.
"""
import json
import math
import sys

import torch
import torch.nn.functional as F


def layer_norm(x, w, b, eps):
    return F.layer_norm(x, (x.shape[-1],), w, b, eps)


def forward_all_steps(P, cfg, tokens, H):
    """Logits after every iteration: [H, B, W, V]."""
    d, heads, L = cfg["d"], cfg["heads"], cfg["layers"]
    eps = cfg.get("lnEps", 1e-5)
    hd = d // heads
    B, W = tokens.shape
    V = cfg["vocabSize"]
    onehot = F.one_hot(tokens, V).to(P["readIn.weight"].dtype)
    e = onehot @ P["readIn.weight"]
    if cfg["readIn"] == "linear":
        e = e + P["readIn.bias"]
    causal = torch.ones(W, W, dtype=torch.bool).tril()
    h = torch.zeros_like(e) if cfg["inputInjection"] else e
    out = []
    for t in range(H):
        x = h + e if cfg["inputInjection"] else h
        for l in range(L):
            p = f"layers.{l}."
            a = layer_norm(x, P[p + "ln1.weight"], P[p + "ln1.bias"], eps)
            qkv = a @ P[p + "attn.qkv.weight"] + P[p + "attn.qkv.bias"]
            q, k, v = qkv.split(d, dim=-1)
            q = q.view(B, W, heads, hd).transpose(1, 2)
            k = k.view(B, W, heads, hd).transpose(1, 2)
            v = v.view(B, W, heads, hd).transpose(1, 2)
            s = (q @ k.transpose(-1, -2)) / math.sqrt(hd)
            # query i sees keys 0..i
            log_keys = torch.log(torch.arange(1, W + 1, dtype=s.dtype)).view(W, 1)
            if cfg.get("attentionScale", "none") == "log-keys":
                s = s * log_keys
            elif cfg.get("attentionScale", "none") == "learned-log-keys":
                # s = 10 x the stored keyScale (LoopLens's KEY_SCALE_GAIN)
                s = s * (1 + 10 * P[p + "attn.keyScale"].view(heads, 1, 1) * log_keys)
            s = s.masked_fill(~causal, float("-inf"))
            ctx = (s.softmax(-1) @ v).transpose(1, 2).reshape(B, W, d)
            x = x + ctx @ P[p + "attn.proj.weight"] + P[p + "attn.proj.bias"]
            m = layer_norm(x, P[p + "ln2.weight"], P[p + "ln2.bias"], eps)
            m = F.gelu(m @ P[p + "mlp.fc.weight"] + P[p + "mlp.fc.bias"], approximate="tanh")
            x = x + m @ P[p + "mlp.proj.weight"] + P[p + "mlp.proj.bias"]
        h = layer_norm(x, P["lnF.weight"], P["lnF.bias"], eps)
        out.append(h @ P["readOut.weight"] + P["readOut.bias"])
    return torch.stack(out)


def batch_loss(P, cfg, b, dtype):
    B, W, H = b["B"], b["W"], b["H"]
    tokens = torch.tensor(b["tokens"], dtype=torch.long).view(B, W)
    targets = torch.tensor(b["targets"], dtype=torch.long).view(B, W)
    mask = torch.tensor(b["mask"], dtype=dtype).view(B, W)
    steps = torch.tensor(b["steps"], dtype=torch.long)
    all_logits = forward_all_steps(P, cfg, tokens, H)
    logits = all_logits[steps - 1, torch.arange(B)]  # each example at its own step
    ce = F.cross_entropy(logits.reshape(B * W, -1), targets.reshape(-1), reduction="none").view(B, W)
    return (ce * mask).sum() / mask.sum(), all_logits


def main():
    job = json.load(sys.stdin)
    dtype = torch.float64 if job.get("dtype", "float64") == "float64" else torch.float32
    torch.set_num_threads(1)
    cfg = job["config"]
    P = {k: torch.tensor(v, dtype=dtype).view(job["shapes"][k]).requires_grad_(True) for k, v in job["params"].items()}
    names = list(job["params"].keys())
    o = job["optimizer"]
    opt = torch.optim.AdamW([P[k] for k in names], lr=job["lr"], betas=(o["beta1"], o["beta2"]), eps=o["eps"], weight_decay=o["weightDecay"])
    losses, norms, first_grads, step_logits = [], [], None, None
    for i, b in enumerate(job["batches"]):
        opt.zero_grad()
        loss, all_logits = batch_loss(P, cfg, b, dtype)
        loss.backward()
        if i == 0:
            first_grads = {k: P[k].grad.detach().reshape(-1).tolist() for k in names}
            step_logits = all_logits.detach().reshape(-1).tolist()
        if o["maxGradNorm"] is not None:
            norm = torch.nn.utils.clip_grad_norm_([P[k] for k in names], o["maxGradNorm"])
        else:
            norm = torch.sqrt(sum((P[k].grad ** 2).sum() for k in names))
        opt.step()
        losses.append(loss.item())
        norms.append(float(norm))
    json.dump({
        "torch": torch.__version__,
        "losses": losses,
        "gradNorms": norms,
        "grads": first_grads,
        "params": {k: P[k].detach().reshape(-1).tolist() for k in names},
        "stepLogits": step_logits,
    }, sys.stdout)


if __name__ == "__main__":
    main()
