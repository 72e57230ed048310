#!/usr/bin/env bash
# Prepares the tokenizer-benchmark corpora (issue 3, "Benchmark") outside the repository.
#
# Inputs (read-only, never bundled): ../shared/data/dev.txt.xz and ../shared/data/heldout_brown.txt.xz,
# one UTF-8 document per line; their sha256 (of the decompressed text) are listed in ../shared/data/README.md.
#
# Outputs, in --out (default /tmp/bench-data):
#   dev_20m.txt         the first 20,000,002 bytes of dev.txt = its first 130,179 lines ("dev_20m"; dev.txt
#                       mixes its 17 sources in blocks of 100 lines, so this prefix holds every source)
#   heldout_brown.txt   the whole Brown corpus, the out-of-domain set
#
# Usage: bench/prepare-data.sh [--data DIR] [--out DIR] [--no-verify]
#   --data DIR     where the .xz files are (default: ../shared/data next to the checkout, i.e. /work/shared/data)
#   --no-verify    skip the sha256 checks of the full decompressed files (they cost one extra pass over dev.txt.xz)
# Needs: xz, sha256sum, head, wc (Debian: apt-get install -y xz-utils coreutils).
set -euo pipefail

readonly DEV_PREFIX_BYTES=20000002
readonly DEV_PREFIX_LINES=130179
readonly DEV_SHA256=5756301be955207083002e90b11cc6b3dddf525718c91a068fc5f06f171d0f14
readonly BROWN_SHA256=8eb3c06dece642f59d4772da80ab99c249d7adada922ed093a2e079ac69d349f

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
data_dir=$(cd "$script_dir/../.." && pwd)/shared/data
out_dir=/tmp/bench-data
verify=true

while (($#)); do
  case "$1" in
    --data) data_dir=$2; shift 2 ;;
    --out) out_dir=$2; shift 2 ;;
    --no-verify) verify=false; shift ;;
    -h|--help) sed -n '2,15p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "prepare-data.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done

for tool in xz sha256sum head wc; do
  command -v "$tool" >/dev/null || { echo "prepare-data.sh: '$tool' is missing; install: apt-get install -y xz-utils coreutils" >&2; exit 1; }
done
for f in dev.txt.xz heldout_brown.txt.xz; do
  [[ -r "$data_dir/$f" ]] || { echo "prepare-data.sh: cannot read $data_dir/$f (use --data DIR)" >&2; exit 1; }
done
mkdir -p "$out_dir"

check_sha256() { # file.xz expected-sha256
  local actual
  actual=$(xz -dc "$1" | sha256sum | cut -d' ' -f1)
  if [[ "$actual" != "$2" ]]; then
    echo "prepare-data.sh: sha256 of decompressed $1 is $actual, README says $2" >&2
    exit 1
  fi
  echo "sha256 ok: $1" >&2
}

if $verify; then
  check_sha256 "$data_dir/dev.txt.xz" "$DEV_SHA256"
  check_sha256 "$data_dir/heldout_brown.txt.xz" "$BROWN_SHA256"
fi

# head closes the pipe early on purpose; xz's SIGPIPE is expected, so only head's status counts.
{ xz -dc "$data_dir/dev.txt.xz" || true; } | head -c "$DEV_PREFIX_BYTES" > "$out_dir/dev_20m.txt"
lines=$(wc -l < "$out_dir/dev_20m.txt")
bytes=$(wc -c < "$out_dir/dev_20m.txt")
if [[ "$bytes" != "$DEV_PREFIX_BYTES" || "$lines" != "$DEV_PREFIX_LINES" || "$(tail -c 1 "$out_dir/dev_20m.txt" | od -An -c | tr -d ' ')" != '\n' ]]; then
  echo "prepare-data.sh: dev_20m.txt has $bytes bytes and $lines lines; expected $DEV_PREFIX_BYTES bytes," \
       "$DEV_PREFIX_LINES whole lines" >&2
  exit 1
fi
xz -dc "$data_dir/heldout_brown.txt.xz" > "$out_dir/heldout_brown.txt"

echo "$out_dir/dev_20m.txt: $bytes bytes, $lines lines" >&2
echo "$out_dir/heldout_brown.txt: $(wc -c < "$out_dir/heldout_brown.txt") bytes, $(wc -l < "$out_dir/heldout_brown.txt") lines" >&2
