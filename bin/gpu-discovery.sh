#!/usr/bin/env bash
# Spark's GPU discovery script (spark.{executor,worker,driver}.resource.gpu.discoveryScript): prints the GPUs this
# node (or container) shows, as Spark's ResourceInformation JSON, e.g. {"name":"gpu","addresses":["0","1"]}.
# Spark hands each training task one of these addresses; the task trains on that CUDA device (README, spark-submit).
set -euo pipefail
addresses=$(nvidia-smi --query-gpu=index --format=csv,noheader | sed -e 's/[^0-9]//g' -e '/^$/d' -e 's/.*/"&"/' | paste -sd, -)
echo "{\"name\":\"gpu\",\"addresses\":[${addresses}]}"
