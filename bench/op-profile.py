#!/usr/bin/env python3
"""Sums a libtorch profiler Chrome trace (StepProfile --trace) into self time per op, per step.

  bench/op-profile.py TRACE STEPS [TOP]

Self time = an event's duration minus that of the events nested directly in it on the same thread, so each
microsecond counts once. On a machine other jobs share, an op that the scheduler preempts takes 10-50x its
time, at random; so besides the measured sum the table gives a floor: calls x the fastest call of the same op
at the same input shapes, summed over shapes. Columns: floor ms/step, its share, measured ms/step, calls/step.
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
top_calls = 0
for tid, evs in by_tid.items():
    evs.sort(key=lambda e: (e["ts"], -e["dur"]))
    stack = []
    for e in evs:
        while stack and stack[-1]["ts"] + stack[-1]["dur"] <= e["ts"] + 1e-6:
            stack.pop()
        if stack:
            stack[-1]["_child"] = stack[-1].get("_child", 0.0) + e["dur"]
        else:
            top_calls += 1
        stack.append(e)
measured = defaultdict(float)
calls = defaultdict(int)
fastest = {}
per_shape_calls = defaultdict(int)
for e in events:
    own = max(0.0, e["dur"] - e.get("_child", 0.0))
    measured[e["name"]] += own
    calls[e["name"]] += 1
    key = (e["name"], json.dumps(e.get("shape")))
    fastest[key] = min(fastest.get(key, own), own)
    per_shape_calls[key] += 1
floor = defaultdict(float)
for key, n in per_shape_calls.items():
    floor[key[0]] += n * fastest[key]
total_floor = sum(floor.values())
print(f"{total_floor / 1000 / steps:.2f} ms/step floor ({sum(measured.values()) / 1000 / steps:.2f} measured) of op self time, "
      f"{top_calls / steps:.0f} top-level op calls per step (each a JNI crossing or an autograd node)")
print(f"{'op':<44}{'floor ms':>9}{'share':>8}{'measured':>10}{'calls':>7}")
for name, us in sorted(floor.items(), key=lambda kv: -kv[1])[:top]:
    print(f"{name:<44}{us / 1000 / steps:>9.2f}{100 * us / total_floor:>7.1f}%{measured[name] / 1000 / steps:>10.2f}{calls[name] / steps:>7.0f}")
