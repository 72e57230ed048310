#!/usr/bin/env bash
# External side of the tokenizer benchmark (issue 3, "Benchmark"): trains the two reference BPE trainers on
# the same corpus with the same thread count, and measures them the way the sweep measures ours.
#
#   hf   HuggingFace tokenizers (npm `tokenizers`, Rust library, Node binding), byte-level BPE with the same
#        GPT-4-style Split + ByteLevel pre-tokenizer our Java trainer exports (bench/hf_train.js). The binding's
#        train() accepts no trainer, so it always trains to its default 30,000 ids; the smaller sizes are
#        prefixes of that one run's merge list (256 byte tokens + first merges; exact for BPE), so every hf
#        row carries the time and memory of that single run.
#   spm  Debian's spm_train --model_type=bpe, one training per size (it has no prefix property to exploit):
#        byte_fallback, identity normalization, no dummy prefix, whitespace kept as is, so that it is
#        lossless on raw UTF-8 like a byte-level BPE (checked: spm_decode(spm_encode(heldout)) == heldout).
#
# Inputs: --corpus (training text) and --heldout (out-of-domain text), UTF-8, one document per line.
#         Defaults are what bench/prepare-data.sh writes: /tmp/bench-data/dev_20m.txt (first 20,000,002 bytes,
#         130,179 lines, of ../shared/data/dev.txt.xz) and /tmp/bench-data/heldout_brown.txt.
# Output: one TSV table on stdout (also $WORK/results.tsv):
#           tool  V  train_seconds  peak_rss_mb  heldout_tokens_per_byte  note
#         train_seconds / peak_rss_mb: wall clock and maximum RSS of the training process (/usr/bin/time -v);
#         heldout_tokens_per_byte: tokens over UTF-8 bytes of the held-out documents, each line encoded on its
#         own, newlines not counted, no special tokens. The note gives the CPU share (/usr/bin/time's
#         "Percent of CPU") so the thread count can be checked. Logs go to stderr and $WORK.
# Artefacts under --work (default /tmp/bench-external): hf/tokenizer.json (as trained), hf/v{V}/tokenizer.json,
#         spm/v{V}.model|.vocab, *.time (raw /usr/bin/time -v output), *.log, versions.txt.
#
# Reproduce (tools are never installed by this script; it checks and prints the commands):
#   apt-get update && apt-get install -y sentencepiece time nodejs npm xz-utils
#   npm install --prefix /opt/bench-node tokenizers@0.23.2
#   bench/prepare-data.sh
#   bench/external-tokenizers.sh --threads 2 > external.tsv
#
# Options: --corpus FILE --heldout FILE --threads N (default 2) --work DIR --node-prefix DIR (default /opt/bench-node)
#          --tools hf,spm  --hf-sizes 1024,...,30000  --spm-sizes 1024,...,32768
#          --spm-coverage X (default 0.9995: rarer chars go through byte fallback instead of taking ids)
#          --spm-extra "FLAGS" (appended to every spm_train call, e.g. "--split_digits=true")
set -euo pipefail

corpus=/tmp/bench-data/dev_20m.txt
heldout=/tmp/bench-data/heldout_brown.txt
threads=2
work=/tmp/bench-external
node_prefix=/opt/bench-node
tools=hf,spm
hf_sizes=1024,2048,4096,8192,16384,30000
spm_sizes=1024,2048,4096,8192,16384,32768
spm_coverage=0.9995
spm_extra=""

while (($#)); do
  case "$1" in
    --corpus) corpus=$2; shift 2 ;;
    --heldout) heldout=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --node-prefix) node_prefix=$2; shift 2 ;;
    --tools) tools=$2; shift 2 ;;
    --hf-sizes) hf_sizes=$2; shift 2 ;;
    --spm-sizes) spm_sizes=$2; shift 2 ;;
    --spm-coverage) spm_coverage=$2; shift 2 ;;
    --spm-extra) spm_extra=$2; shift 2 ;;
    -h|--help) sed -n '2,35p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "external-tokenizers.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
log() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }
die() { echo "external-tokenizers.sh: $*" >&2; exit 1; }

[[ "$threads" =~ ^[1-9][0-9]*$ ]] || die "--threads must be a positive integer, got '$threads'"
[[ -r "$corpus" ]] || die "cannot read corpus '$corpus' (run bench/prepare-data.sh or pass --corpus)"
[[ -r "$heldout" ]] || die "cannot read held-out file '$heldout' (run bench/prepare-data.sh or pass --heldout)"
repo_root=$(cd "$script_dir/.." && pwd)
work=$(realpath -m "$work")
[[ "$work" != "$repo_root" && "$work" != "$repo_root"/* ]] || die "--work must be outside the repository, got '$work'"
want() { [[ ",$tools," == *",$1,"* ]]; }

missing=()
[[ -x /usr/bin/time ]] || missing+=("apt-get install -y time")
if want spm; then
  for t in spm_train spm_encode spm_decode; do
    command -v "$t" >/dev/null || { missing+=("apt-get install -y sentencepiece"); break; }
  done
fi
if want hf; then
  if ! command -v node >/dev/null; then
    missing+=("apt-get install -y nodejs npm")
  elif ! NODE_PATH="$node_prefix/node_modules" node -e "require.resolve('tokenizers')" 2>/dev/null; then
    missing+=("npm install --prefix $node_prefix tokenizers@0.23.2")
  fi
fi
if ((${#missing[@]})); then
  echo "external-tokenizers.sh: missing tools; install them with:" >&2
  echo "  apt-get update" >&2
  printf '  %s\n' "${missing[@]}" | sort -u >&2
  exit 1
fi

mkdir -p "$work/hf" "$work/spm"
export NODE_PATH="$node_prefix/node_modules"
{
  echo "date: $(date -u +%FT%TZ)  host cpus: $(nproc)  threads: $threads"
  echo "corpus: $corpus ($(wc -c < "$corpus") bytes, $(wc -l < "$corpus") lines)"
  echo "heldout: $heldout ($(wc -c < "$heldout") bytes, $(wc -l < "$heldout") lines)"
  if want spm; then echo "sentencepiece: $(dpkg-query -W -f='${Version}' sentencepiece 2>/dev/null || echo unknown)"; fi
  if want hf; then echo "node: $(node --version)  tokenizers: $(node -p "require('tokenizers/package.json').version")"; fi
} > "$work/versions.txt"
cat "$work/versions.txt" >&2

# Prints "seconds<TAB>peak_rss_mb<TAB>cpu_percent" from a /usr/bin/time -v report.
time_fields() {
  awk -F': ' '
    /Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i] }
    /Maximum resident set size/ { rss = $2 / 1024 }
    /Percent of CPU/ { cpu = $2 }
    END { printf "%.1f\t%.0f\t%s\n", s, rss, cpu }' "$1"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.6f", a / b }'; }

heldout_bytes=$(( $(wc -c < "$heldout") - $(wc -l < "$heldout") ))
rows=()

if want hf; then
  log "hf: training byte-level BPE (default vocabulary 30,000) on $threads threads"
  # The binding's progress bars go to stdout; keep them out of the table.
  RAYON_NUM_THREADS=$threads TOKENIZERS_PARALLELISM=true /usr/bin/time -v -o "$work/hf/train.time" \
    node "$script_dir/hf_train.js" train "$corpus" "$work/hf/tokenizer.json" > "$work/hf/train.log" 2>&1 \
    || die "hf training failed; see $work/hf/train.log"
  grep '^hf train:' "$work/hf/train.log" >&2 || true
  IFS=$'\t' read -r hf_seconds hf_rss hf_cpu < <(time_fields "$work/hf/train.time")
  log "hf: encoding $heldout at V=$hf_sizes"
  RAYON_NUM_THREADS=$threads node "$script_dir/hf_train.js" eval "$work/hf/tokenizer.json" "$heldout" "$work/hf" "$hf_sizes" \
    > "$work/hf/eval.tsv" 2> "$work/hf/eval.log" || die "hf evaluation failed: $(tail -1 "$work/hf/eval.log")"
  while IFS=$'\t' read -r size merges tokens bytes; do
    [[ "$bytes" == "$heldout_bytes" ]] || die "hf counted $bytes held-out bytes, expected $heldout_bytes"
    rows+=("$(printf 'hf_tokenizers\t%s\t%s\t%s\t%.5f\tone run to 30000, first %s merges, cpu %s' \
      "$size" "$hf_seconds" "$hf_rss" "$(ratio "$tokens" "$bytes")" "$merges" "$hf_cpu")")
  done < "$work/hf/eval.tsv"
fi

if want spm; then
  for size in ${spm_sizes//,/ }; do
    prefix="$work/spm/v$size"
    log "spm: training BPE at V=$size on $threads threads"
    # shellcheck disable=SC2086 # spm_extra is a list of flags on purpose
    if ! /usr/bin/time -v -o "$prefix.time" spm_train --input="$corpus" --model_prefix="$prefix" \
        --model_type=bpe --vocab_size="$size" --num_threads="$threads" \
        --byte_fallback=true --character_coverage="$spm_coverage" \
        --input_sentence_size=0 --max_sentence_length=1000000 \
        --normalization_rule_name=identity --add_dummy_prefix=false --remove_extra_whitespaces=false \
        --allow_whitespace_only_pieces=true --eos_id=-1 $spm_extra > "$prefix.log" 2>&1; then
      rows+=("$(printf 'spm_bpe\t%s\tNA\tNA\tNA\trefused: %s' "$size" "$(grep -m1 -E 'Internal:|Check failed|ERROR' "$prefix.log" | sed 's/.*\] //' || tail -1 "$prefix.log")")")
      continue
    fi
    grep -hE 'Loaded all|too long' "$prefix.log" | sed 's/^/  spm: /' >&2 || true
    IFS=$'\t' read -r seconds rss cpu < <(time_fields "$prefix.time")
    spm_encode --model="$prefix.model" --output_format=id < "$heldout" > "$prefix.heldout.ids"
    spm_decode --model="$prefix.model" --input_format=id < "$prefix.heldout.ids" | cmp -s - "$heldout" \
      || die "spm V=$size is not lossless on $heldout (spm_decode(spm_encode(x)) != x)"
    tokens=$(wc -w < "$prefix.heldout.ids")
    rows+=("$(printf 'spm_bpe\t%s\t%s\t%s\t%.5f\tcpu %s' \
      "$size" "$seconds" "$rss" "$(ratio "$tokens" "$heldout_bytes")" "$cpu")")
  done
fi

{
  printf 'tool\tV\ttrain_seconds\tpeak_rss_mb\theldout_tokens_per_byte\tnote\n'
  printf '%s\n' "${rows[@]}"
} | tee "$work/results.tsv"
