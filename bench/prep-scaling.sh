#!/usr/bin/env bash
# prep throughput on ../shared/data/dev.txt.xz (95 MB, 629,363 lines) under local[1] and local[2], in one
# run, so the ratio shows how prep scales with cores on the same (possibly busy) machine.
#   bench/prep-scaling.sh | tee prep-scaling.tsv
# Each run is forced (--force) into its own run directory under /tmp/bench-prep; MB/s are decompressed
# input bytes over the stage's wall time, from corpus/stats.json.
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-/tmp/bench-prep}
mkdir -p "$work"
printf 'master\tseconds\tmb_per_s\tdocuments\tduplicates_removed\tquarantined\n'
declare -A secs
for m in 'local[1]' 'local[2]'; do
  dir="$work/${m//[^a-z0-9]/}"
  bin/headroom prep --conf conf/bench-dev.conf --run-dir "$dir" --master "$m" --force 2> "$dir.log" || { cat "$dir.log" >&2; exit 1; }
  python3 - "$m" "$dir/corpus/stats.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[2]))
print("\t".join(map(str, [sys.argv[1], s["seconds"], s["mb_per_second"], s["documents"], s["duplicates_removed"], s["quarantined_total"]])))
PY
done | tee "$work/results.tsv"
awk -F'\t' 'NR==1 { a = $3 } NR==2 { printf "speed-up local[2] / local[1]: %.2fx\n", $3 / a }' "$work/results.tsv"
