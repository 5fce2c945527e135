#!/usr/bin/env bash
# `make bench`: replay throughput and peak memory of the engine on simulated traffic.
# Prints one line per figure. Inputs are generated once into bench/out/ and reused.
#   bench/run.sh [BUILD_DIR]      (default build)
set -euo pipefail
BUILD=${1:-build}
VIGIL=$BUILD/vigil
OUT=bench/out
DAYS=${BENCH_DAYS:-5}
CODES=${BENCH_CODES:-2000}
mkdir -p "$OUT"

gen() {  # gen NAME RECORDS FORMAT
  local file="$OUT/$1.$3"
  if [ ! -s "$file" ]; then
    echo "generating $file ($2 records, $CODES codes, $DAYS days)..." >&2
    "$VIGIL" simulate --start 2026-11-16 --days "$DAYS" --codes "$CODES" --records "$2" --seed 42 \
      --faults all --out "$file" --config-out "$OUT/$1.yaml" --manifest-out "$OUT/$1.faults.jsonl" >/dev/null
  fi
}

# One core, as the target says: the engine is single-threaded, the other core stays idle.
replay() {  # replay LABEL NAME FORMAT RECORDS
  local file="$OUT/$2.$3" stats
  /usr/bin/time -o "$OUT/time.txt" -f '%e %M' taskset -c 0 "$VIGIL" replay --quiet \
    --config "$OUT/$2.yaml" "$file" >/dev/null 2>"$OUT/replay.err"
  stats=$(tail -1 "$OUT/time.txt")
  local secs=${stats% *} kb=${stats#* }
  awk -v l="$1" -v n="$4" -v s="$secs" -v kb="$kb" 'BEGIN {
    printf "%-28s %9d records  %6.2f s  %10.0f records/s  peak RSS %6.1f MB\n", l, n, s, n / s, kb / 1024 }'
}

gen bench5m 5000000 jsonl
gen bench1m 1000000 jsonl
if [ ! -s "$OUT/bench5m.csv" ]; then
  "$VIGIL" simulate --start 2026-11-16 --days "$DAYS" --codes "$CODES" --records 5000000 --seed 42 \
    --faults all --out "$OUT/bench5m.csv" --config-out "$OUT/bench5m.yaml" \
    --manifest-out "$OUT/bench5m.faults.jsonl" >/dev/null 2>&1
fi

echo "# vigil replay, one core ($(nproc) on this machine), $CODES codes, $DAYS days, all rules on"
replay "replay jsonl 5M" bench5m jsonl 5000000
replay "replay csv 5M" bench5m csv 5000000
replay "replay jsonl 1M (memory)" bench1m jsonl 1000000
if [ -x "$BUILD/bench/parse_bench" ]; then
  echo "# parser micro-benchmark"
  "$BUILD/bench/parse_bench" --benchmark_min_time=1 2>/dev/null | grep -E '^(BM_|Benchmark)' || true
fi
