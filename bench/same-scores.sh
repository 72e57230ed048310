#!/usr/bin/env bash
# Do two score runs report the same numbers? Compares two artifacts/ folders (a run before and after a change to the
# score stage, or the same models scored at two settings): every table the stage writes as CSV, bytes-per-param.json,
# summary.json and the sha256 of every artifact file. Exit status 0 and "same" when all are equal to the byte; otherwise
# the files that differ, and their diff.
#
#   bench/same-scores.sh BEFORE/artifacts AFTER/artifacts
set -euo pipefail
(($# == 2)) || { echo "usage: bench/same-scores.sh BEFORE/artifacts AFTER/artifacts" >&2; exit 2; }
before=$1 after=$2
status=0
for f in leaderboard.csv leaderboard-by-candidate.csv refinement.csv verdicts.csv bytes-per-param.json summary.json; do
  if [[ ! -f "$before/$f" || ! -f "$after/$f" ]]; then
    echo "missing: $f"; status=1
  elif ! cmp -s "$before/$f" "$after/$f"; then
    echo "differs: $f"; diff "$before/$f" "$after/$f" | head -20 || true; status=1
  fi
done
hashes() { (cd "$1" && find . -maxdepth 1 -name '*.hra' -print0 | sort -z | xargs -0 -r sha256sum); }
if [[ -z "$(hashes "$before")" ]]; then
  echo "no artifacts (*.hra) in $before"; status=1
elif ! diff <(hashes "$before") <(hashes "$after"); then
  echo "differs: artifact sha256 (above)"; status=1
fi
((status == 0)) && echo "same: $(hashes "$before" | wc -l) artifacts, their sha256 and every table"
exit $status
