#!/usr/bin/env bash
# `make bench`, the incident desk (bench/desk_bench.cc): seeds 200,000 incidents and 2,000,000
# messages into SQLite through the store (reused on later runs), then against the real
# `vigil serve` on that data directory: p50/p95 of the queue listing with each filter and of the
# incident page (target < 50 ms p95); then HTTP ingest with 0 and with 200 SSE listeners on
# /api/v1/incidents/stream (target: no degradation). SUMMARY lines as bench/serve_bench.sh.
#   bench/desk_bench.sh [BUILD_DIR]     (default build)
# Environment: DESK_BENCH_INCIDENTS (200000), DESK_BENCH_PER_INCIDENT (10),
# DESK_BENCH_SAMPLES (200), DESK_BENCH_LISTENERS (200), DESK_BENCH_RECORDS (1000000),
# DESK_BENCH_ONLY (seed|reads|ingest), BENCH_CODES (2000, as bench/run.sh).
set -euo pipefail
BUILD=${1:-build}
VIGIL=$BUILD/vigil
BENCH=$BUILD/bench/desk_bench
OUT=bench/out
CODES=${BENCH_CODES:-2000}
if [ ! -x "$BENCH" ]; then
  echo "# desk benchmark skipped: $BENCH is not built (needs src/http and src/desk)"
  exit 0
fi
mkdir -p "$OUT"

# The same simulated traffic as bench/serve_bench.sh (shared file).
source "$(dirname "$0")/bench5m.sh"
ensure_bench5m

echo "# the incident desk on vigil serve (loopback, $(nproc) cores shared by server and benchmark;" \
  "bench/desk_bench.cc)"
"$BENCH" --vigil "$VIGIL" --traffic "$OUT/bench5m.jsonl" --config "$OUT/bench5m.yaml" \
  --work "$OUT/desk" --incidents "${DESK_BENCH_INCIDENTS:-200000}" \
  --per-incident "${DESK_BENCH_PER_INCIDENT:-10}" --samples "${DESK_BENCH_SAMPLES:-200}" \
  --listeners "${DESK_BENCH_LISTENERS:-200}" --records "${DESK_BENCH_RECORDS:-1000000}" \
  ${DESK_BENCH_ONLY:+--only "$DESK_BENCH_ONLY"}
