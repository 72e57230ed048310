#!/usr/bin/env bash
# The tokenizer benchmark of issue 3, side by side in one run: Headroom's Java BPE trainer (the whole
# sweep comes out of one run to the largest size), HuggingFace tokenizers (one run to 30,000) and
# sentencepiece BPE (one run per size), same corpus, same threads; then held-out tokens per byte of each.
#
#   bench/prepare-data.sh                          # dev_20m + heldout_brown under /tmp/bench-data
#   bench/tokenizer-bench.sh --threads 2 | tee tokenizer-bench.tsv
#
# Ours: `TrainerBench train` (read + count pre-tokens on N threads + train) timed by /usr/bin/time -v
# to 32768 ids and, separately, to 30000 ids (HF's default); held-out tokens per byte at each size
# come from prefixes of the 32768 run, encoded through DJL with the exported tokenizer.json.
# Our sizes count 256 bytes + 1 special (BOS) + merges; HF's count 256 bytes + merges; spm's count its
# pieces incl. <unk>, <s> and 256 byte-fallback pieces. External tools: see bench/external-tokenizers.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=/tmp/bench-data/dev_20m.txt
heldout=/tmp/bench-data/heldout_brown.txt
threads=2
work=/tmp/bench-tokenizer
sizes=1024,2048,4096,8192,16384,30000,32768
while (($#)); do
  case "$1" in
    --corpus) corpus=$2; shift 2 ;;
    --heldout) heldout=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
for f in "$corpus" "$heldout"; do [[ -f $f ]] || { echo "missing $f: run bench/prepare-data.sh" >&2; exit 1; }; done
mkdir -p "$work"

# -am: the reactor builds the core module too, so this works right after a fresh clone's `mvn verify`.
mvn -B -q -o -pl tokenizer -am test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$work/cp.txt" >&2
cp="tokenizer/target/classes:tokenizer/target/test-classes:$(cat "$work/cp.txt")"
java_run=(java -Xmx8g -XX:ActiveProcessorCount="$threads" -Dai.djl.offline=true -cp "$cp" headroom.tokenizer.bench.TrainerBench)
timed() { # file, command...: wall seconds and max RSS (MB) from /usr/bin/time -v
  local out=$1; shift
  /usr/bin/time -v "$@" 2> "$out" >&2 || { cat "$out" >&2; exit 1; }
  awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = (n == 3) ? t[1]*3600 + t[2]*60 + t[3] : t[1]*60 + t[2] }
              /Maximum resident set size/ { rss = $2 / 1024 }
              /Percent of CPU/ { cpu = $2 }
              END { printf "%.1f\t%.0f\t%s\n", s, rss, cpu }' "$out"
}

read -r s32 r32 c32 < <(timed "$work/ours-32768.time" "${java_run[@]}" train "$corpus" 32768 "$work/ours/tokenizer.json" "$threads")
read -r s30 r30 c30 < <(timed "$work/ours-30000.time" "${java_run[@]}" train "$corpus" 30000 "$work/ours30k/tokenizer.json" "$threads")
{
  printf 'tool\tV\ttrain_seconds\tpeak_rss_mb\theldout_tokens_per_byte\tnote\n'
  "${java_run[@]}" eval "$work/ours/tokenizer.json" "$heldout" "$sizes" 2>/dev/null | while IFS=$'\t' read -r v _tokens _bytes tpb; do
    if [[ $v == 30000 ]]; then t=$s30; m=$r30; note="own run to 30000, cpu $c30"
    else t=$s32; m=$r32; note="one run to 32768 (every size a prefix), cpu $c32"; fi
    printf 'headroom\t%s\t%s\t%s\t%s\t%s\n' "$v" "$t" "$m" "$tpb" "$note"
  done
  bench/external-tokenizers.sh --corpus "$corpus" --heldout "$heldout" --threads "$threads" | tail -n +2
} | tee "$work/results.tsv"
