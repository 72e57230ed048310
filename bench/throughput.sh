#!/usr/bin/env bash
# Training and evaluation throughput of one model shape, before and after: `ThroughputBench` (model test classes)
# from a base commit (default: main) built in a temporary git worktree, and from this checkout, alternating in one
# session, so both meet the same load (issue 24). Nothing is installed into ~/.m2: each tree builds its own classes.
#
#   bench/throughput.sh --vocab 512 --d 96 --unique 1 --loops 2 --head-size 16 --kv-group 1 --seq 128 --batch 16 \
#       [--rounds 3] [--threads 2] [--eval-batch B] [--steps 12] [--base main]
#
# Each round runs base then this checkout, each in its own JVM: the peak (2048 x 2048 fp32 matmul through DJL with
# the same threads), timed training steps (forward, backward, clip, AdamW), then the Evaluator over random windows.
# Columns per wall second (what a user waits for), MFU = model FLOPs per second over the peak measured in the same
# process, and evaluation tokens per CPU second of the process (steadier when other jobs share the cores; the
# bench's training figure per CPU second subtracts two whole runs and is left out: under load it is noise). The
# last line gives the median ratios of this checkout over the base. For training per CPU second, alternate
# StepProfile (model test classes), which times only the steps.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=3 threads=2 steps=12 base=main eval_batch="" shape=()
while (($#)); do
  case "$1" in
    --rounds) rounds=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --steps) steps=$2; shift 2 ;;
    --base) base=$2; shift 2 ;;
    --eval-batch) eval_batch=$2; shift 2 ;;
    --vocab|--d|--unique|--loops|--head-size|--kv-group|--seq|--batch) shape+=("$1" "$2"); shift 2 ;;
    *) echo "unknown option $1 (shape: --vocab --d --unique --loops --head-size --kv-group --seq --batch;" \
         "run: --rounds --threads --steps --eval-batch --base)" >&2; exit 2 ;;
  esac
done
for flag in --vocab --d --unique --loops --head-size --seq --batch; do
  [[ " ${shape[*]} " == *" $flag "* ]] || { echo "missing $flag" >&2; exit 2; }
done
batch=$(awk '{for (i = 1; i < NF; i++) if ($i == "--batch") print $(i + 1)}' <<< "${shape[*]}")
work=$(mktemp -d /tmp/bench-throughput.XXXXXX)
base_sha=$(git rev-parse --verify "$base^{commit}")
base_tree="$work/base"
cleanup() { git worktree remove --force "$base_tree" >/dev/null 2>&1 || true; }
trap cleanup EXIT
git worktree add --detach "$base_tree" "$base_sha" >/dev/null 2>&1

build() { # $1 = tree; prints its classpath
  (cd "$1" && mvn -B -q -o -pl model -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$work/cp-$(basename "$1").txt" >&2)
  echo "$1/model/target/classes:$1/model/target/test-classes:$1/core/target/classes:$(cat "$work/cp-$(basename "$1").txt")"
}
echo "building base $base ($(git rev-parse --short "$base_sha")) and this checkout ($(git rev-parse --short HEAD)$(git diff --quiet HEAD || echo ', with uncommitted changes')) ..." >&2
cp_base=$(build "$base_tree")
cp_this=$(build "$PWD")
read -r -a jvm_flags <<< "$(sed -n 's:.*<headroom.jvm.flags>\(.*\)</headroom.jvm.flags>.*:\1:p' pom.xml)"
export PYTORCH_VERSION=2.7.1 PYTORCH_FLAVOR=cpu OMP_WAIT_POLICY=PASSIVE

# the glibc settings each tree's bin/headroom exports (a launcher's environment is part of its speed)
tree_env() { sed -n 's/^export \(MALLOC_[A-Z_]*\)="\${[A-Z_]*:-\([0-9]*\)}"$/\1=\2/p' "$1/bin/headroom" | tr '\n' ' '; }
env_base=$(tree_env "$base_tree")
env_this=$(tree_env "$PWD")

run() { # $1 = label, $2 = classpath, $3 = round, $4 = environment
  local out
  # shellcheck disable=SC2086
  out=$(env $4 java -Xmx2g "${jvm_flags[@]}" -Dai.djl.offline=true -Dlog4j2.configurationFile=conf/log4j2.properties -cp "$2" \
    headroom.model.bench.ThroughputBench "${shape[@]}" --steps "$steps" --warmup 3 --threads "$threads" --eval-windows 192 \
    --eval-batch "${eval_batch:-$batch}" 2> "$work/$1-$3.log") || { cat "$work/$1-$3.log" >&2; exit 1; }
  awk -v who="$1" -v r="$3" '/^per wall second/ { s = "w" } /^per CPU second/ { s = "c" }
    { v[s $1] = $2 }
    END { printf "%-5s %5d %9s %6s %9s %6s %6s | %9s\n", who, r, v["wtrain_tokens_per_s"], v["wtrain_mfu"],
          v["weval_tokens_per_s"], v["weval_over_train"], v["wpeak_gflops"], v["ceval_tokens"] }' <<< "$out"
}

echo "# ${shape[*]}, $threads threads, eval batch ${eval_batch:-$batch}; base = $base ($(git rev-parse --short "$base_sha")), this = $(git rev-parse --short HEAD)"
echo "# environment: base ${env_base:-(none)}; this ${env_this:-(none)}"
printf '%-5s %5s %9s %6s %9s %6s %6s | %9s\n' "" round "train/s" mfu "eval/s" "e/t" peakGF "eval/cpu"
for ((round = 1; round <= rounds; round++)); do
  run base "$cp_base" "$round" "$env_base" | tee -a "$work/table"
  run this "$cp_this" "$round" "$env_this" | tee -a "$work/table"
done
awk '{ k = $1; tw[k, n[k]] = $3; ew[k, n[k]] = $5; ec[k, n[k]] = $9; n[k]++ }
  function med(a, k, cnt,   i, j, x, t) { for (i = 0; i < cnt; i++) x[i] = a[k, i]
    for (i = 0; i < cnt; i++) for (j = i + 1; j < cnt; j++) if (x[j] < x[i]) { t = x[i]; x[i] = x[j]; x[j] = t }
    return cnt % 2 ? x[int(cnt / 2)] : (x[cnt / 2 - 1] + x[cnt / 2]) / 2 }
  END { printf "median ratio this / base: train %.2fx, eval %.2fx per wall second; eval %.2fx per CPU second\n",
        med(tw, "this", n["this"]) / med(tw, "base", n["base"]), med(ew, "this", n["this"]) / med(ew, "base", n["base"]),
        med(ec, "this", n["this"]) / med(ec, "base", n["base"]) }' "$work/table"
echo "# logs in $work"
