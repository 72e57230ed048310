#!/usr/bin/python3
"""The training module's model and step in plain PyTorch eager, for bench/training-bench.sh (issue 4).

    /usr/bin/python3 bench/torch_reference.py --vocab 1024 --d 128 --unique 2 --loops 2 --head-size 32 \
        --seq 128 --batch 16 --steps 30 --warmup 3 --threads 2

Mirrors training/.../model (LmModel, Block, Ops, Rope) op for op: tied embedding/head, U unique blocks
looped L times with per-loop RMSNorm gains, RoPE "rotate half", grouped-KV causal attention written as
matmul + additive mask + softmax (no fused SDPA), ReLU^2 MLP, final RMSNorm, logit soft-cap, fp32; and
train.Trainer's step: window fill, forward, cross-entropy (log-softmax + gather), backward, global-norm
clip, AdamW (decoupled decay on matrices only). No torch.compile.
Prints one TSV line: pytorch V d params tokens_per_s peak_rss_mb (peak RSS = VmHWM).
"""
import argparse
import math
import time

import torch
import torch.nn as nn

BOS = 0
RMS_EPS = 1e-6
STD = 0.02


def parameter_count(vocab, d, unique, loops, kv_dim):
    """headroom.training.ParameterCount for a tied head, per-loop gains, no extra norm, MLP 2x."""
    hidden = 2 * d
    attention = unique * (d * d + 2 * kv_dim * d + d * d)  # wq, wk, wv, wo
    mlp = unique * (2 * hidden * d)                        # w1, w2
    norms = unique * 2 * loops * d + d                     # per-loop attn/mlp gains + final norm
    return vocab * d + attention + mlp + norms


def rms_norm(x, gain):
    return x / (x.square().mean(-1, keepdim=True) + RMS_EPS).sqrt() * gain


class Rope(nn.Module):
    def __init__(self, head_size, max_seq_len, theta):
        super().__init__()
        pos = torch.arange(max_seq_len, dtype=torch.float64).unsqueeze(1)                           # (T, 1)
        inv = theta ** (-2.0 * torch.arange(head_size // 2, dtype=torch.float64) / head_size)        # (hs/2)
        angle = pos * inv                                                                            # (T, hs/2)
        self.register_buffer("cos", angle.cos().float(), persistent=False)
        self.register_buffer("sin", angle.sin().float(), persistent=False)

    def forward(self, x):  # x (B, H, T, hs)
        t = x.shape[2]
        x1, x2 = x.chunk(2, dim=-1)                                       # (B, H, T, hs/2)
        c, s = self.cos[:t], self.sin[:t]                                 # (T, hs/2)
        return torch.cat((x1 * c - x2 * s, x2 * c + x1 * s), dim=-1)      # (B, H, T, hs)


class Block(nn.Module):
    def __init__(self, d, heads, kv_heads, loops, virtual_depth):
        super().__init__()
        self.heads, self.kv_heads, self.hs = heads, kv_heads, d // heads
        residual_std = STD / math.sqrt(2.0 * virtual_depth)
        self.attn_norm = nn.Parameter(torch.ones(loops, d))                        # (L, C)
        self.wq = nn.Parameter(torch.randn(d, d) * STD)                            # (C, C)
        self.wk = nn.Parameter(torch.randn(kv_heads * self.hs, d) * STD)           # (nkv*hs, C)
        self.wv = nn.Parameter(torch.randn(kv_heads * self.hs, d) * STD)           # (nkv*hs, C)
        self.wo = nn.Parameter(torch.randn(d, d) * residual_std)                   # (C, C)
        self.mlp_norm = nn.Parameter(torch.ones(loops, d))                         # (L, C)
        self.w1 = nn.Parameter(torch.randn(2 * d, d) * STD)                        # (H, C)
        self.w2 = nn.Parameter(torch.randn(d, 2 * d) * residual_std)               # (C, H)

    def attention(self, h, mask, rope):
        b, t, c = h.shape
        q = (h @ self.wq.t()).view(b, t, self.heads, self.hs).transpose(1, 2)      # (B, nh, T, hs)
        k = (h @ self.wk.t()).view(b, t, self.kv_heads, self.hs).transpose(1, 2)   # (B, nkv, T, hs)
        v = (h @ self.wv.t()).view(b, t, self.kv_heads, self.hs).transpose(1, 2)   # (B, nkv, T, hs)
        q, k = rope(q), rope(k)
        group = self.heads // self.kv_heads
        if group > 1:  # each KV head serves `group` consecutive query heads
            k = k.unsqueeze(2).expand(b, self.kv_heads, group, t, self.hs).reshape(b, self.heads, t, self.hs)
            v = v.unsqueeze(2).expand(b, self.kv_heads, group, t, self.hs).reshape(b, self.heads, t, self.hs)
        scores = (q @ k.transpose(2, 3)) * (1.0 / math.sqrt(self.hs))              # (B, nh, T, T)
        y = (scores + mask).softmax(-1) @ v                                         # (B, nh, T, hs)
        return y.transpose(1, 2).reshape(b, t, c)                                   # (B, T, C)

    def forward(self, x, loop, mask, rope):
        x = x + self.attention(rms_norm(x, self.attn_norm[loop]), mask, rope) @ self.wo.t()   # (B, T, C)
        h = torch.relu(rms_norm(x, self.mlp_norm[loop]) @ self.w1.t()).square()               # (B, T, H)
        return x + h @ self.w2.t()                                                             # (B, T, C)


class LmModel(nn.Module):
    def __init__(self, vocab, d, heads, kv_heads, unique, loops, seq_len, soft_cap=30.0, rope_theta=10000.0):
        super().__init__()
        self.loops, self.soft_cap = loops, soft_cap
        self.tok_emb = nn.Parameter(torch.randn(vocab, d) * STD)                   # (V, C), also the head
        self.blocks = nn.ModuleList(Block(d, heads, kv_heads, loops, unique * loops) for _ in range(unique))
        self.final_norm = nn.Parameter(torch.ones(d))                              # (C)
        self.rope = Rope(d // heads, seq_len, rope_theta)

    def forward(self, tokens):  # tokens (B, T) int64 -> logits (B, T, V)
        t = tokens.shape[1]
        x = nn.functional.embedding(tokens, self.tok_emb)                          # (B, T, C)
        pos = torch.arange(t)
        mask = ((pos.view(t, 1) >= pos.view(1, t)).float() - 1.0) * 1e9             # (T, T) additive causal
        for loop in range(self.loops):
            for block in self.blocks:
                x = block(x, loop, mask, self.rope)                                 # (B, T, C)
        logits = rms_norm(x, self.final_norm) @ self.tok_emb.t()                    # (B, T, V)
        return (logits / self.soft_cap).tanh() * self.soft_cap


def mean_loss(logits, targets):
    """Losses.meanLoss: log-softmax, gather the target, mean of the negatives."""
    log_probs = logits.reshape(-1, logits.shape[-1]).log_softmax(-1)                # (B*T, V)
    return -log_probs.gather(1, targets.reshape(-1, 1)).mean()


def peak_rss_mb():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    raise RuntimeError("/proc/self/status has no VmHWM line")


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for name in ("vocab", "d", "unique", "loops", "head-size", "seq", "batch", "steps", "warmup", "threads"):
        p.add_argument("--" + name, type=int, required=True)
    p.add_argument("--kv-group", type=int, default=2, help="query heads per KV head")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(1337)

    heads = a.d // a.head_size
    kv_heads = heads // a.kv_group
    model = LmModel(a.vocab, a.d, heads, kv_heads, a.unique, a.loops, a.seq)
    params = sum(t.numel() for t in model.parameters())
    expected = parameter_count(a.vocab, a.d, a.unique, a.loops, kv_heads * a.head_size)
    assert params == expected, f"model has {params} parameters but ParameterCount's formula says {expected}"
    # decoupled weight decay on matrices only, never on the RMSNorm gains (Parameter.decays)
    matrices = [t for name, t in model.named_parameters() if not name.endswith("norm")]
    gains = [t for name, t in model.named_parameters() if name.endswith("norm")]
    optimizer = torch.optim.AdamW([{"params": matrices, "weight_decay": 0.1}, {"params": gains, "weight_decay": 0.0}],
                                  lr=3e-3, betas=(0.9, 0.95), eps=1e-8)

    # documents of T+1 tokens, [BOS] + ids uniform in [1, V), as TrainingBench draws them
    docs = torch.randint(1, a.vocab, (2048, a.seq + 1))
    docs[:, 0] = BOS
    stream = docs.reshape(-1)
    offsets = torch.Generator().manual_seed(1)
    window = torch.arange(a.seq + 1)

    timed = 0.0
    for step in range(a.warmup + a.steps):
        t0 = time.perf_counter()
        starts = torch.randint(0, stream.numel() - a.seq, (a.batch, 1), generator=offsets)
        rows = stream[starts + window]                                              # (B, T+1)
        x, y = rows[:, :-1], rows[:, 1:]                                            # (B, T)
        loss = mean_loss(model(x), y)
        loss.backward()
        loss_value = loss.item()
        if not math.isfinite(loss_value):
            raise RuntimeError(f"training loss is {loss_value} at step {step}")
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        if step >= a.warmup:
            timed += time.perf_counter() - t0
    tokens_per_s = a.steps * a.batch * a.seq / timed
    print(f"pytorch\t{a.vocab}\t{a.d}\t{params}\t{tokens_per_s:.0f}\t{peak_rss_mb():.0f}")


if __name__ == "__main__":
    main()
