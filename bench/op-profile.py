#!/usr/bin/env python3
"""Sums a libtorch profiler Chrome trace (StepProfile --trace) into self time per op, per step.

  bench/op-profile.py TRACE STEPS [TOP]

Self time = an event's duration minus that of the events nested directly in it on the same thread, so
each microsecond counts once. Prints ms per step, share, calls per step and the mean shapes' first entry.
"""
import json
import sys
from collections import defaultdict

path, steps = sys.argv[1], int(sys.argv[2])
top = int(sys.argv[3]) if len(sys.argv) > 3 else 40
data = json.load(open(path))
events = data["traceEvents"] if isinstance(data, dict) else data
events = [e for e in events if e.get("ph") == "X"]
by_tid = defaultdict(list)
for e in events:
    by_tid[e["tid"]].append(e)
self_us = defaultdict(float)
calls = defaultdict(int)
top_level = 0.0
top_calls = 0
for tid, evs in by_tid.items():
    evs.sort(key=lambda e: (e["ts"], -e["dur"]))
    stack = []
    for e in evs:
        end = e["ts"] + e["dur"]
        while stack and stack[-1]["ts"] + stack[-1]["dur"] <= e["ts"] + 1e-6:
            stack.pop()
        if stack:
            stack[-1]["_child"] = stack[-1].get("_child", 0.0) + e["dur"]
        else:
            top_level += e["dur"]
            top_calls += 1
        stack.append(e)
    for e in evs:
        self_us[e["name"]] += e["dur"] - e.get("_child", 0.0)
        calls[e["name"]] += 1
total = sum(self_us.values())
print(f"{total / 1000 / steps:.2f} ms/step of op self time, {top_calls / steps:.0f} top-level op calls per step "
      f"(each a JNI crossing or an autograd node)")
print(f"{'op':<40}{'ms/step':>9}{'share':>8}{'calls/step':>12}")
for name, us in sorted(self_us.items(), key=lambda kv: -kv[1])[:top]:
    print(f"{name:<40}{us / 1000 / steps:>9.2f}{100 * us / total:>7.1f}%{calls[name] / steps:>12.0f}")
