#!/usr/bin/env bash
# The sweep's encoding throughput (issue 3): val of the dev corpus encoded with every exported tokenizer.json
# through DJL on the executors, under local[1] and local[2], in one run. Also the sweep's other phases.
#   bench/prep-scaling.sh            # once: prepares the dev corpus under /tmp/bench-prep/dev.txt.xz-local1
#   bench/sweep-scaling.sh | tee sweep-scaling.tsv
# MB/s = val bytes x vocabulary sizes / encode seconds (each size encodes the whole val split);
# per core = that / the master's cores. Reference tokenizers and the held-out set are off here so the
# encode phase measures our tokenizers only.
set -euo pipefail
cd "$(dirname "$0")/.."
prepared=${1:-/tmp/bench-prep/dev.txt.xz-local1}
work=${2:-/tmp/bench-sweep}
[[ -f $prepared/manifest.json ]] || { echo "no prepared corpus in $prepared: run bench/prep-scaling.sh first" >&2; exit 1; }
mkdir -p "$work"
printf 'master\tcores\tsizes\tval_mb\tcount_s\tbpe_s\tencode_s\tencode_mb_per_s\tencode_mb_per_s_per_core\n'
for m in 'local[1]' 'local[2]'; do
  cores=${m//[^0-9]/}
  dir="$work/${m//[^a-z0-9]/}"
  rm -rf "$dir"; mkdir -p "$dir"; cp -r "$prepared/corpus" "$prepared/manifest.json" "$dir/"
  bin/headroom sweep --conf conf/bench-dev.conf --run-dir "$dir" --master "$m" \
    'sweep.reference-tokenizers=[]' 'sweep.heldout=""' 2> "$dir.log" || { cat "$dir.log" >&2; exit 1; }
  python3 - "$m" "$cores" "$dir/sweep/summary.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[3]))
n = len(s["vocab_sizes"]); mb = s["val_bytes"] / 1e6; enc = s["seconds_encode"]
rate = mb * n / enc
print("\t".join(map(str, [sys.argv[1], sys.argv[2], n, round(mb, 2), s["seconds_count_pretokens"], s["seconds_train_bpe"], enc,
                          round(rate, 2), round(rate / int(sys.argv[2]), 2)])))
PY
done | tee "$work/results.tsv"
awk -F'\t' 'NR==1 { a = $8 } NR==2 { printf "encode speed-up local[2] / local[1]: %.2fx\n", $8 / a }' "$work/results.tsv"
