#!/usr/bin/env bash
# Training against evaluation throughput of one model in one process, and model FLOPs utilization (issue 14,
# items 11-12): `ThroughputBench` (model/src/test/.../bench) measures the peak (a 2048 x 2048 fp32 matmul
# through DJL with the same threads), then timed training steps, then the Evaluator over random windows with
# the trained weights. R rounds, each its own process; the table keeps every round, so the spread shows.
#
#   bench/throughput.sh [--rounds 3] [--threads 2] [--eval-batch 16]
#
# Defaults: issue 4's "medium" model (V 2048, d 256, U x L 2 x 3, head size 32), T = 128, B = 16, 12 timed
# training steps after 3, 192 evaluation windows. Columns: tokens/s of training (forward + backward + AdamW) and of
# evaluation (forward only), their ratio (3 is the ratio at equal efficiency: a forward is a third of the FLOPs),
# the peak in GFLOP/s and both MFUs (model FLOPs per second over the peak), per wall second.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=3
threads=2
eval_batch=16
work=/tmp/bench-throughput
while (($#)); do
  case "$1" in
    --rounds) rounds=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --eval-batch) eval_batch=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
mkdir -p "$work"
# -am: the reactor builds core too, so this works right after a fresh clone's `mvn verify` (nothing installed).
mvn -B -q -o -pl model -am test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$work/cp.txt" >&2
cp="model/target/classes:model/target/test-classes:core/target/classes:$(cat "$work/cp.txt")"
read -r -a jvm_flags <<< "$(sed -n 's:.*<headroom.jvm.flags>\(.*\)</headroom.jvm.flags>.*:\1:p' pom.xml)"
((${#jvm_flags[@]})) || { echo "no headroom.jvm.flags in pom.xml" >&2; exit 1; }
export PYTORCH_VERSION=2.7.1 PYTORCH_FLAVOR=cpu OMP_WAIT_POLICY=PASSIVE

printf 'round\ttrain_tok_s\teval_tok_s\teval/train\tpeak_gflops\ttrain_mfu\teval_mfu\n'
for ((round = 1; round <= rounds; round++)); do
  out=$(java -Xmx2g "${jvm_flags[@]}" -Dai.djl.offline=true -Dlog4j2.configurationFile=conf/log4j2.properties -cp "$cp" \
    headroom.model.bench.ThroughputBench --vocab 2048 --d 256 --unique 2 --loops 3 --head-size 32 --seq 128 --batch 16 \
    --steps 12 --warmup 3 --threads "$threads" --eval-windows 192 --eval-batch "$eval_batch" 2> "$work/round-$round.log") \
    || { cat "$work/round-$round.log" >&2; exit 1; }
  # the first block of figures is per wall second
  awk -v r="$round" '/^per CPU second/ { exit } $1 ~ /^(peak_gflops|train_tokens_per_s|eval_tokens_per_s|eval_over_train|train_mfu|eval_mfu)$/ { v[$1] = $2 }
    END { printf "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", r, v["train_tokens_per_s"], v["eval_tokens_per_s"], v["eval_over_train"], v["peak_gflops"], v["train_mfu"], v["eval_mfu"] }' <<< "$out"
done
echo "# V 2048 d 256 U x L 2 x 3, T 128, B 16 (eval B $eval_batch), $threads threads; per wall second; logs in $work"
