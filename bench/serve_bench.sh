#!/usr/bin/env bash
# `make bench`, second part: `vigil serve` over HTTP on loopback (bench/serve_bench.cc).
# Prints one line per figure (and a SUMMARY line per journal mode: records/s, CPU-s per million
# records and the load average): ingest records/s and server CPU per million records with the
# journal synced (the default) and with --no-fsync, then the notification latency.
#   bench/serve_bench.sh [BUILD_DIR]     (default build)
# Environment: SERVE_BENCH_RUNS (3), SERVE_BENCH_RECORDS (records per ingest run),
# SERVE_BENCH_ALERTS (alerts per latency run), BENCH_CODES (2000, as bench/run.sh).
set -euo pipefail
BUILD=${1:-build}
VIGIL=$BUILD/vigil
BENCH=$BUILD/bench/serve_bench
OUT=bench/out
CODES=${BENCH_CODES:-2000}
if [ ! -x "$BENCH" ]; then
  echo "# serve benchmark skipped: $BENCH is not built (needs src/http)"
  exit 0
fi
mkdir -p "$OUT"

# The same simulated traffic as bench/run.sh (5M records, 2,000 codes, every fault kind).
source "$(dirname "$0")/bench5m.sh"
ensure_bench5m

echo "# vigil serve on loopback, $(nproc) cores shared by the server and the benchmark's senders;" \
  "$CODES codes, all rules on; test clock moved by the benchmark (bench/serve_bench.cc)"
"$BENCH" --vigil "$VIGIL" --traffic "$OUT/bench5m.jsonl" --config "$OUT/bench5m.yaml" \
  --work "$OUT/serve" --runs "${SERVE_BENCH_RUNS:-3}" --records "${SERVE_BENCH_RECORDS:-3000000}" \
  --alerts "${SERVE_BENCH_ALERTS:-20}"
