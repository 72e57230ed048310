#!/usr/bin/env bash
# The compression work of writing artifacts (issue 14, item 11): the codec race followed by the byte attribution's
# per-class compressions one after another (before) against both in one parallel batch (Compression.smallestWithParts),
# in turn in one process, on real artifact files (their tensors repacked). Prints wall and CPU seconds per round.
#
#   bench/artifact-write.sh [--rounds 5] FILE.hra ...      e.g. runs/demo/artifacts/*.hra
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=5
if [[ "${1:-}" == --rounds ]]; then rounds=$2; shift 2; fi
(($#)) || { echo "usage: bench/artifact-write.sh [--rounds N] FILE.hra ..." >&2; exit 2; }
files=()
for f in "$@"; do files+=("$(realpath "$f")"); done
work=/tmp/bench-artifact-write
mkdir -p "$work"
mvn -B -q -o -pl artifact -am test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$work/cp.txt" >&2
java -cp "artifact/target/classes:artifact/target/test-classes:core/target/classes:$(cat "$work/cp.txt")" \
  headroom.artifact.ArtifactWriteBench "$rounds" "${files[@]}"
