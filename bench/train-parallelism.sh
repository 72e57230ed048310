#!/usr/bin/env bash
# Issue 15's measurement: the demo's train stage with parallelism 1 and 2 torch threads (one training after another in
# the driver) against parallelism 2 with 1 thread each (one Spark task per training, two at once), on the same cores.
#
#   bench/train-parallelism.sh [--rounds 1] [--run-dir /tmp/bench-train-parallelism] [key=value ...]
#
# Prep, sweep and tokenize run once; then each round trains the whole work list both ways, A then B, with --force.
# The stage's wall time is read from manifest.json (first train start to last train end: no JVM or Spark start-up).
# Extra key=value arguments override the demo conf for both (e.g. a shorter budget). Prints one row per run and the
# ratio B/A of each round.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=1
run=/tmp/bench-train-parallelism
overrides=()
while (($#)); do
  case "$1" in
    --rounds) rounds=$2; shift 2 ;;
    --run-dir) run=$2; shift 2 ;;
    *=*) overrides+=("$1"); shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
for stage in prep sweep tokenize; do
  bin/headroom "$stage" --conf conf/demo.conf --run-dir "$run" "${overrides[@]}" >"$run.$stage.log" 2>&1 \
    || { tail -20 "$run.$stage.log" >&2; exit 1; }
done

stage_seconds() {
  python3 - "$run/manifest.json" <<'PY'
import json, sys
from datetime import datetime
stages = [s for n, s in json.load(open(sys.argv[1]))["stages"].items() if n.startswith("train/")]
t = lambda s: datetime.fromisoformat(s.replace("Z", "+00:00"))
print(len(stages), "%.1f" % (max(t(s["endedAt"]) for s in stages) - min(t(s["startedAt"]) for s in stages)).total_seconds())
PY
}

printf 'round\tsetting\ttrainings\ttrain_stage_s\n'
for ((r = 1; r <= rounds; r++)); do
  for setting in "train.parallelism=1 train.threads=2" "train.parallelism=2 train.threads=1"; do
    # shellcheck disable=SC2086
    bin/headroom train --conf conf/demo.conf --run-dir "$run" --force "${overrides[@]}" $setting >"$run.train.log" 2>&1 \
      || { tail -20 "$run.train.log" >&2; exit 1; }
    read -r n s < <(stage_seconds)
    printf '%d\t%s\t%d\t%s\n' "$r" "$setting" "$n" "$s"
    if [[ $setting == *parallelism=1* ]]; then a=$s; else echo -e "$r\tratio p2t1/p1t2\t\t$(python3 -c "print('%.3f' % ($s / $a))")"; fi
  done
done
