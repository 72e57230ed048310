#!/usr/bin/env bash
# The n-gram floor on the demo corpus (issue 19, BENCHMARKS.md): prep with conf/demo.conf, then the texts the score
# stage reads (train and val in doc_id order, the out-of-domain set), then the floor as the stage measures it, alone in a
# one-core JVM under /usr/bin/time -v (wall time, peak memory), then the table of every order's holdout, val and
# out-of-domain bits per byte.
#
#   bench/ngram-floor.sh [CONF]      default conf/demo.conf
set -euo pipefail
cd "$(dirname "$0")/.."
conf=${1:-conf/demo.conf}
work=/tmp/bench-ngram-floor
mkdir -p "$work"
bin/headroom prep --conf "$conf" --run-dir "$work/run" >&2
mvn -B -q -o -pl pipelines -am test-compile >&2
cp="pipelines/target/test-classes:$(ls pipelines/target/headroom-pipelines-*.jar | grep -v -e shaded -e spark | head -n 1):$(cat pipelines/target/launcher/classpath)"
flags=$(cat pipelines/target/launcher/jvm-flags)
# shellcheck disable=SC2086
java $flags -cp "$cp" -Dlog4j2.configurationFile=conf/log4j2.properties headroom.pipelines.score.NgramFloorBench export "$work/run" "$conf" "$work/texts" >&2
uptime
# shellcheck disable=SC2086
/usr/bin/time -f "measure: %e s wall, %U s user, peak RSS %M KB" java -XX:ActiveProcessorCount=1 -Xmx1g $flags -cp "$cp" \
  -Dlog4j2.configurationFile=conf/log4j2.properties headroom.pipelines.score.NgramFloorBench measure "$work/texts"
# shellcheck disable=SC2086
java -XX:ActiveProcessorCount=1 $flags -cp "$cp" -Dlog4j2.configurationFile=conf/log4j2.properties \
  headroom.pipelines.score.NgramFloorBench orders "$work/texts"
