# Sourced by bench/serve_bench.sh and bench/desk_bench.sh: the same simulated traffic as
# bench/run.sh (5M records, $CODES codes, 5 days, every fault kind), generated once into
# $OUT/bench5m.{jsonl,yaml} with $VIGIL when it is not there yet.
ensure_bench5m() {
  if [ ! -s "$OUT/bench5m.jsonl" ]; then
    echo "generating $OUT/bench5m.jsonl (5000000 records, $CODES codes, 5 days)..." >&2
    "$VIGIL" simulate --start 2026-11-16 --days 5 --codes "$CODES" --records 5000000 --seed 42 \
      --faults all --out "$OUT/bench5m.jsonl" --config-out "$OUT/bench5m.yaml" \
      --manifest-out "$OUT/bench5m.faults.jsonl" >/dev/null 2>&1
  fi
}
