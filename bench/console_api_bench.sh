#!/usr/bin/env bash
# `make bench`, third part: how fast `vigil serve` answers the web console's pages with 5,000
# codes and a day of data (bench/console_api_bench.cc). The target: p95 under 100 ms per
# endpoint. Prints one line per endpoint: p50, p95, max latency and the answer's size.
#   bench/console_api_bench.sh [BUILD_DIR]     (default build)
# Environment: CONSOLE_BENCH_CODES (5000), CONSOLE_BENCH_RECORDS (4000000 over 5 workdays:
# about 800,000 on the day fed live), CONSOLE_BENCH_REQUESTS (60 per endpoint).
set -euo pipefail
BUILD=${1:-build}
VIGIL=$BUILD/vigil
BENCH=$BUILD/bench/console_api_bench
OUT=bench/out
CODES=${CONSOLE_BENCH_CODES:-5000}
RECORDS=${CONSOLE_BENCH_RECORDS:-4000000}
NAME=console${CODES}
if [ ! -x "$BENCH" ]; then
  echo "# console API benchmark skipped: $BENCH is not built (needs src/http)"
  exit 0
fi
mkdir -p "$OUT"

# Monday 2026-11-16 to Friday 2026-11-20: four days of history, the fifth (with every kind of
# fault, so alerts fire) fed live.
if [ ! -s "$OUT/$NAME.jsonl" ]; then
  echo "generating $OUT/$NAME.jsonl ($RECORDS records, $CODES codes, 5 days)..." >&2
  "$VIGIL" simulate --start 2026-11-16 --days 5 --codes "$CODES" --records "$RECORDS" --seed 42 \
    --faults all --out "$OUT/$NAME.jsonl" --config-out "$OUT/$NAME.yaml" \
    --manifest-out "$OUT/$NAME.faults.jsonl" >/dev/null 2>&1
fi

echo "# the console's API on loopback, $CODES codes, one request at a time (bench/console_api_bench.cc);" \
  "load average $(cut -d' ' -f1-3 /proc/loadavg)"
"$BENCH" --vigil "$VIGIL" --traffic "$OUT/$NAME.jsonl" --config "$OUT/$NAME.yaml" \
  --work "$OUT/console" --requests "${CONSOLE_BENCH_REQUESTS:-60}"
