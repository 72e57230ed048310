#!/usr/bin/env bash
# Issue 13's check that remains: the training benchmark's configuration, run again and again in fresh
# processes, never goes NaN and always gives the same result. Each run is a fresh JVM running
# ReproducibilityProbe (model/src/test/.../bench): the real Trainer on TrainingBench's random-token
# data (V=1024, d=128, 2x2, head size 32, T=128, B=16, 40 steps after 3 warmup steps, seed 1337),
# printing every step's loss, the final weights' sha256 and the val bpb.
#
#   bench/determinism.sh [--runs 30] [--threads 1,2] [--work /tmp/bench-determinism]
#
# Prints one row per thread count: runs, runs that diverged (NaN/inf), distinct outputs (1 = every run
# identical to the last bit), the val bpb and the weights' sha256 prefix, and the seconds per run.
# Works right after the README's two commands on a fresh clone (the reactor builds what it needs).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=30
threads_list=1,2
work=/tmp/bench-determinism
while (($#)); do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --threads) threads_list=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
mkdir -p "$work/out"
mvn -B -q -o -pl model -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$work/cp.txt" >&2
cp="model/target/classes:model/target/test-classes:$(cat "$work/cp.txt")"
read -r -a jvm_flags <<< "$(sed -n 's:.*<headroom.jvm.flags>\(.*\)</headroom.jvm.flags>.*:\1:p' pom.xml)"
export PYTORCH_VERSION=2.7.1 PYTORCH_FLAVOR=cpu OMP_WAIT_POLICY=PASSIVE

printf 'threads\truns\tdiverged\tdistinct_outputs\tval_bpb\tweights_sha256\ts_per_run\n'
IFS=, read -r -a thread_counts <<< "$threads_list"
for threads in "${thread_counts[@]}"; do
  diverged=0
  start=$(date +%s)
  for ((i = 1; i <= runs; i++)); do
    out="$work/out/t$threads-run$i.txt"
    if ! OMP_NUM_THREADS=$threads java -Xmx2g "${jvm_flags[@]}" -Dai.djl.offline=true \
        -Dlog4j2.configurationFile=conf/log4j2.properties -cp "$cp" headroom.model.bench.ReproducibilityProbe \
        --vocab 1024 --d 128 --unique 2 --loops 2 --head-size 32 --seq 128 --batch 16 --steps 40 --warmup 3 \
        --threads "$threads" > "$out" 2> "$work/out/t$threads-run$i.log"; then
      if grep -q 'training diverged' "$work/out/t$threads-run$i.log"; then
        diverged=$((diverged + 1))
      else
        cat "$work/out/t$threads-run$i.log" >&2; exit 1
      fi
    fi
    echo "threads $threads run $i/$runs: $(grep '^val_bpb' "$out" || echo diverged)" >&2
  done
  seconds=$(( $(date +%s) - start ))
  distinct=$(for f in "$work"/out/t$threads-run*.txt; do sha256sum < "$f"; done | sort -u | wc -l)
  last="$work/out/t$threads-run$runs.txt"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%.1f\n' "$threads" "$runs" "$diverged" "$distinct" \
    "$(awk '/^val_bpb/ {print $2}' "$last")" "$(awk '/^weights/ {print substr($2, 1, 16)}' "$last")" \
    "$(echo "$seconds / $runs" | bc -l)"
done
