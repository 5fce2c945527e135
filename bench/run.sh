#!/usr/bin/env bash
# `make bench`: replay throughput and peak memory of the engine on simulated traffic.
# Prints one line per figure. Inputs are generated once into bench/out/ and reused.
#   bench/run.sh [BUILD_DIR]      (default build)
#
# The engine's cost has two parts: per record (parse, classify, count) and per evaluated
# code-minute (the rules). So the same 5M records are measured spread over 5 days (a small
# bank: 1M records a day) and
# over 2 days (denser traffic, as at a larger bank).
set -euo pipefail
BUILD=${1:-build}
VIGIL=$BUILD/vigil
OUT=bench/out
CODES=${BENCH_CODES:-2000}
mkdir -p "$OUT"

gen() {  # gen NAME RECORDS DAYS FORMAT
  local file="$OUT/$1.$4"
  if [ ! -s "$file" ]; then
    echo "generating $file ($2 records, $CODES codes, $3 days)..." >&2
    "$VIGIL" simulate --start 2026-11-16 --days "$3" --codes "$CODES" --records "$2" --seed 42 \
      --faults all --out "$file" --config-out "$OUT/$1.yaml" --manifest-out "$OUT/$1.faults.jsonl" \
      >/dev/null 2>&1
  fi
}

RUNS=${BENCH_RUNS:-5}

# One core, as the target says: the engine is single-threaded, the other core stays idle.
# Each figure is the median of RUNS runs (this machine is a shared VM: single runs vary by 30%).
replay() {  # replay LABEL NAME FORMAT
  local file="$OUT/$2.$3" records secs kb times=() peak=0
  for ((run = 0; run < RUNS; run++)); do
    /usr/bin/time -o "$OUT/time.txt" -f '%e %M' taskset -c 0 "$VIGIL" replay --quiet \
      --config "$OUT/$2.yaml" "$file" >"$OUT/$2.$3.alerts.jsonl" 2>"$OUT/replay.err"
    read -r secs kb < <(tail -1 "$OUT/time.txt")
    times+=("$secs")
    ((kb > peak)) && peak=$kb
  done
  secs=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}')
  kb=$peak
  records=$(grep -o '^replay: [0-9,]* records read' "$OUT/replay.err" | tr -dc '0-9')
  awk -v l="$1" -v n="$records" -v s="$secs" -v kb="$kb" 'BEGIN {
    printf "%-30s %9d records  %6.2f s  %10.0f records/s  peak RSS %6.1f MB\n", l, n, s, n / s, kb / 1024 }'
}

gen bench5m 5000000 5 jsonl
gen bench5m 5000000 5 csv
gen bench1m 1000000 5 jsonl
gen dense5m 5000000 2 jsonl

echo "# vigil replay on one core of $(nproc), $CODES codes, all ten rules on; median of $RUNS runs, start-up included"
replay "replay jsonl 5M, 5 days" bench5m jsonl
replay "replay csv 5M, 5 days" bench5m csv
replay "replay jsonl 1M, 5 days" bench1m jsonl
replay "replay jsonl 5M, 2 days" dense5m jsonl
if cmp -s "$OUT/bench5m.jsonl.alerts.jsonl" "$OUT/bench5m.csv.alerts.jsonl"; then
  echo "# jsonl and csv of the same traffic: identical alerts"
else
  echo "# WARNING: jsonl and csv of the same traffic gave different alerts"
fi
if [ -x "$BUILD/bench/parse_bench" ]; then
  echo "# parser micro-benchmark (one line of ~200 bytes at a time)"
  "$BUILD/bench/parse_bench" --benchmark_min_time=1 2>/dev/null | grep -E '^BM_' || true
fi
