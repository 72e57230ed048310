#!/usr/bin/python3
"""The training module's model and step in plain PyTorch eager: the speed reference of bench/training-bench.sh
(issue 4) and the independent implementation training's TorchParityTest checks the DJL model against (issue 14).

    /usr/bin/python3 bench/torch_reference.py --vocab 1024 --d 128 --unique 2 --loops 2 --head-size 32 \
        --seq 128 --batch 16 --steps 30 --warmup 3 --threads 2
    /usr/bin/python3 bench/torch_reference.py parity DIR

Mirrors model/.../nn (LmModel, Block, Ops, Rope) op for op, every knob of model.json: tied, untied or
factorized embedding/head, U unique blocks looped L times with per-loop RMSNorm gains and/or vectors, RoPE
"rotate half", grouped-KV causal attention written as matmul + additive mask + softmax (no fused SDPA), ReLU^2
or GELU MLP, optional extra RMSNorms, final RMSNorm, logit soft-cap, fp32; and train.Trainer's step: window
fill, forward, cross-entropy (log-softmax + gather), backward, global-norm clip, AdamW (torch.optim.AdamW,
decoupled decay on matrices only). No torch.compile. Parameter names are the Java model's.
The bench prints one TSV line: pytorch V d params tokens_per_s peak_rss_mb (peak RSS = VmHWM); parity: see parity().
"""
import argparse
import json
import math
import os
import struct
import sys
import time

import numpy
import torch
import torch.nn as nn

BOS = 0
RMS_EPS = 1e-6
STD = 0.02


def parameter_count(vocab, d, unique, loops, kv_dim):
    """headroom.model.ParameterCount for a tied head, per-loop gains, no extra norm, MLP 2x."""
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


def gain(shape):
    return nn.Parameter(torch.ones(shape))


def normal(rows, cols, std):
    return nn.Parameter(torch.randn(rows, cols) * std)


class Attention(nn.Module):
    def __init__(self, c):
        super().__init__()
        d, self.heads, self.kv_heads = c["dModel"], c["numHeads"], c["numKvHeads"]
        self.hs = d // self.heads
        residual_std = STD / math.sqrt(2.0 * c["uniqueBlocks"] * c["loops"])
        self.wq = normal(d, d, STD)                                                 # (C, C)
        self.wk = normal(self.kv_heads * self.hs, d, STD)                          # (nkv*hs, C)
        self.wv = normal(self.kv_heads * self.hs, d, STD)                          # (nkv*hs, C)
        self.out_norm = gain(d) if c["extraNorm"] else None                        # (C)
        self.wo = normal(d, d, residual_std)                                       # (C, C)

    def forward(self, h, mask, rope):
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
        y = ((scores + mask).softmax(-1) @ v).transpose(1, 2).reshape(b, t, c)      # (B, T, C)
        if self.out_norm is not None:
            y = rms_norm(y, self.out_norm)
        return y @ self.wo.t()                                                      # (B, T, C)


class Mlp(nn.Module):
    def __init__(self, c):
        super().__init__()
        d, hidden = c["dModel"], c["mlpMult"] * c["dModel"]
        self.gelu = c["activation"] == "GELU"
        self.w1 = normal(hidden, d, STD)                                           # (H, C)
        self.out_norm = gain(hidden) if c["extraNorm"] else None                   # (H)
        self.w2 = normal(d, hidden, STD / math.sqrt(2.0 * c["uniqueBlocks"] * c["loops"]))  # (C, H)

    def forward(self, x):
        h = x @ self.w1.t()                                                         # (B, T, H)
        h = nn.functional.gelu(h) if self.gelu else torch.relu(h).square()
        if self.out_norm is not None:
            h = rms_norm(h, self.out_norm)
        return h @ self.w2.t()                                                      # (B, T, C)


class Block(nn.Module):
    """Parameter names are model/.../nn/Block's (blocks.i.attn.wq ...), so a weights.bin loads by name."""

    def __init__(self, c):
        super().__init__()
        d, self.per_loop = c["dModel"], c["conditioning"] in ("LOOP_GAIN", "BOTH")
        self.attn_norm = gain((c["loops"], d) if self.per_loop else d)              # (L, C) or (C)
        self.attn = Attention(c)
        self.mlp_norm = gain((c["loops"], d) if self.per_loop else d)               # (L, C) or (C)
        self.mlp = Mlp(c)

    def forward(self, x, loop, mask, rope):
        attn_gain = self.attn_norm[loop] if self.per_loop else self.attn_norm
        mlp_gain = self.mlp_norm[loop] if self.per_loop else self.mlp_norm
        x = x + self.attn(rms_norm(x, attn_gain), mask, rope)                       # (B, T, C)
        return x + self.mlp(rms_norm(x, mlp_gain))                                  # (B, T, C)


class LmModel(nn.Module):
    """model/.../nn/LmModel from its model.json fields (ModelConfig.toMap), parameter names included."""

    def __init__(self, c):
        super().__init__()
        v, d, head = c["vocabSize"], c["dModel"], c["headMode"]
        self.loops, self.soft_cap, self.head = c["loops"], c["softCap"], head
        rank = c["headRank"]
        self.tok_emb = normal(v, rank if head == "FACTORIZED" else d, STD)         # (V, C), or (V, r); also the head unless UNTIED
        self.emb_proj = normal(d, rank, 1.0 / math.sqrt(rank)) if head == "FACTORIZED" else None  # (C, r)
        vectors = c["conditioning"] in ("LOOP_VECTOR", "BOTH")
        self.loop_vectors = nn.Parameter(torch.zeros(c["loops"], d)) if vectors else None       # (L, C)
        self.blocks = nn.ModuleList(Block(c) for _ in range(c["uniqueBlocks"]))
        self.final_norm = gain(d)                                                  # (C)
        self.lm_head = normal(v, d, STD) if head == "UNTIED" else None             # (V, C)
        self.rope = Rope(d // c["numHeads"], c["maxSeqLen"], c["ropeTheta"])

    def forward(self, tokens):  # tokens (B, T) int64 -> logits (B, T, V)
        t = tokens.shape[1]
        x = nn.functional.embedding(tokens, self.tok_emb)                          # (B, T, C) or (B, T, r)
        if self.emb_proj is not None:
            x = x @ self.emb_proj.t()                                               # (B, T, C)
        pos = torch.arange(t)
        mask = ((pos.view(t, 1) >= pos.view(1, t)).float() - 1.0) * 1e9             # (T, T) additive causal
        for loop in range(self.loops):
            if self.loop_vectors is not None:
                x = x + self.loop_vectors[loop]
            for block in self.blocks:
                x = block(x, loop, mask, self.rope)                                 # (B, T, C)
        x = rms_norm(x, self.final_norm)
        if self.head == "UNTIED":
            logits = x @ self.lm_head.t()                                           # (B, T, V)
        elif self.head == "FACTORIZED":
            logits = (x @ self.emb_proj) @ self.tok_emb.t()                         # (B, T, r) -> (B, T, V)
        else:
            logits = x @ self.tok_emb.t()                                           # (B, T, V)
        return (logits / self.soft_cap).tanh() * self.soft_cap if self.soft_cap > 0 else logits


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


def bench():
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
    # TrainingBench.Options.modelConfig: the family's conf defaults
    model = LmModel({"vocabSize": a.vocab, "dModel": a.d, "numHeads": heads, "numKvHeads": kv_heads, "uniqueBlocks": a.unique,
                     "loops": a.loops, "mlpMult": 2, "activation": "RELU2", "headMode": "TIED", "headRank": 0,
                     "conditioning": "LOOP_GAIN", "extraNorm": False, "ropeTheta": 10000.0, "softCap": 30.0, "maxSeqLen": a.seq})
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


# model/.../nn/TensorFile, big-endian as Java's DataOutputStream writes it: magic "HRWT", version 1,
# count, then per tensor writeUTF(name), writeUTF(class), rank, dims, float32 values.
TENSOR_MAGIC, TENSOR_VERSION = 0x48525754, 1


def read_tensor_file(path):
    """[(name, tensor class, float32 tensor)] in file order."""
    with open(path, "rb") as f:
        data = f.read()
    magic, version, count = struct.unpack_from(">iii", data, 0)
    if magic != TENSOR_MAGIC or version != TENSOR_VERSION:
        raise ValueError(f"{path} is not a Headroom tensor file (magic {magic:x}, version {version})")
    at, out = 12, []
    for _ in range(count):
        strings = []
        for _ in range(2):
            (length,) = struct.unpack_from(">H", data, at)
            strings.append(data[at + 2:at + 2 + length].decode("utf-8"))  # names are ASCII: modified UTF-8 = UTF-8
            at += 2 + length
        (rank,) = struct.unpack_from(">i", data, at)
        shape = struct.unpack_from(f">{rank}i", data, at + 4)
        at += 4 + 4 * rank
        n = math.prod(shape)
        values = numpy.frombuffer(data, dtype=">f4", count=n, offset=at).astype(numpy.float32)
        at += 4 * n
        out.append((strings[0], strings[1], torch.from_numpy(values).view(shape)))
    return out


def write_tensor_file(path, tensors):
    """tensors: [(name, tensor class, tensor of rank 1 or 2)], written as TensorFile.read expects."""
    with open(path, "wb") as f:
        f.write(struct.pack(">iii", TENSOR_MAGIC, TENSOR_VERSION, len(tensors)))
        for name, tensor_class, t in tensors:
            for s in (name, tensor_class):
                b = s.encode("utf-8")
                f.write(struct.pack(">H", len(b)) + b)
            f.write(struct.pack(f">i{t.dim()}i", t.dim(), *t.shape))
            f.write(t.detach().contiguous().float().numpy().astype(">f4").tobytes())


def parity(directory):
    """One training step of the DJL model replayed here, for training's TorchParityTest (llm.c's test_gpt2).

    Reads model.json and weights.bin (ModelFiles), adam_m.bin and adam_v.bin (the AdamW moments before the
    step) and step.json (the batch and the optimizer settings); runs forward, mean cross-entropy, backward,
    global-norm clip and one torch.optim.AdamW step; writes torch_logits.bin (B*T, V), torch_grads.bin and
    torch_updated.bin (one tensor per parameter, same names) and torch_step.json (loss, grad norm, version).
    """
    torch.set_num_threads(1)
    with open(os.path.join(directory, "model.json")) as f:
        config = json.load(f)
    with open(os.path.join(directory, "step.json")) as f:
        step = json.load(f)
    model = LmModel(config)
    weights = read_tensor_file(os.path.join(directory, "weights.bin"))
    model.load_state_dict({name: t for name, _, t in weights}, strict=True)
    classes = {name: c for name, c, _ in weights}
    params = dict(model.named_parameters())

    b, t = step["batch"], step["seqLen"]
    x = torch.tensor(step["inputs"], dtype=torch.int64).view(b, t)                  # (B, T)
    y = torch.tensor(step["targets"], dtype=torch.int64).view(b, t)                 # (B, T)
    logits = model(x)                                                               # (B, T, V)
    loss = mean_loss(logits, y)
    loss.backward()
    grads = [(name, classes[name], p.grad.clone()) for name, p in params.items()]
    grad_norm = torch.nn.utils.clip_grad_norm_(model.parameters(), step["gradClip"])

    # decoupled weight decay on matrices only: the tensor class says which (Parameter.decays)
    decays = [p for name, p in params.items() if classes[name] != "NORM_CONDITIONING"]
    keeps = [p for name, p in params.items() if classes[name] == "NORM_CONDITIONING"]
    optimizer = torch.optim.AdamW([{"params": decays, "weight_decay": step["weightDecay"]}, {"params": keeps, "weight_decay": 0.0}],
                                  lr=step["lr"], betas=(step["beta1"], step["beta2"]), eps=step["eps"])
    first = {name: m for name, _, m in read_tensor_file(os.path.join(directory, "adam_m.bin"))}
    second = {name: v for name, _, v in read_tensor_file(os.path.join(directory, "adam_v.bin"))}
    for name, p in params.items():  # the moments after step["updates"] earlier updates, as AdamW.restore sets them
        optimizer.state[p] = {"step": torch.tensor(float(step["updates"])), "exp_avg": first[name].clone(),
                              "exp_avg_sq": second[name].clone()}
    optimizer.step()

    write_tensor_file(os.path.join(directory, "torch_logits.bin"), [("logits", "EMBEDDING_HEAD", logits.reshape(b * t, -1))])
    write_tensor_file(os.path.join(directory, "torch_grads.bin"), grads)
    write_tensor_file(os.path.join(directory, "torch_updated.bin"), [(name, classes[name], p) for name, p in params.items()])
    with open(os.path.join(directory, "torch_step.json"), "w") as f:
        json.dump({"loss": loss.item(), "gradNorm": grad_norm.item(), "torch": torch.__version__}, f)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "parity":
        parity(sys.argv[2])
    else:
        bench()
