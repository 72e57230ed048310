#!/usr/bin/env bash
# prep throughput on ../shared/data/dev.txt.xz (95 MB, 629,363 lines) under local[1] and local[2], in one
# run, so the ratio shows how prep scales with cores on the same (possibly busy) machine.
#   bench/prep-scaling.sh | tee prep-scaling.tsv
# Each run is forced (--force) into its own run directory under /tmp/bench-prep; MB/s are decompressed
# input bytes over the stage's wall time, from corpus/stats.json. A single .xz stream can only be read by
# one task, so the same corpus is also measured cut into 8 .txt.gz files (same lines, same bytes).
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-/tmp/bench-prep}
mkdir -p "$work"
parts="$work/dev-8-parts"
if [[ ! -f $parts/part-7.txt.gz ]]; then
  mkdir -p "$parts"
  xz -dc ../shared/data/dev.txt.xz > "$work/dev.txt"
  split -n l/8 -d -a 1 --additional-suffix=.txt "$work/dev.txt" "$parts/part-"
  rm "$work/dev.txt"
  gzip -6 "$parts"/part-*.txt
fi
printf 'input\tmaster\tseconds\tmb_per_s\tdocuments\tduplicates_removed\tquarantined\n'
for input in dev.txt.xz dev-8-parts; do
  if [[ $input == dev.txt.xz ]]; then inputs='prep.inputs=["../shared/data/dev.txt.xz"]'; else inputs="prep.inputs=[\"$parts\"]"; fi
  for m in 'local[1]' 'local[2]'; do
    dir="$work/$input-${m//[^a-z0-9]/}"
    bin/headroom prep --conf conf/bench-dev.conf --run-dir "$dir" --master "$m" --force "$inputs" 2> "$dir.log" || { cat "$dir.log" >&2; exit 1; }
    python3 - "$input" "$m" "$dir/corpus/stats.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[3]))
print("\t".join(map(str, [sys.argv[1], sys.argv[2], s["seconds"], s["mb_per_second"], s["documents"], s["duplicates_removed"], s["quarantined_total"]])))
PY
  done
done | tee "$work/results.tsv"
awk -F'\t' '{ r[NR] = $4; n[NR] = $1 } END { for (i = 1; i < NR; i += 2) printf "%s: speed-up local[2] / local[1]: %.2fx\n", n[i], r[i+1] / r[i] }' "$work/results.tsv"
