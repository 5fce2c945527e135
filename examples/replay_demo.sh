#!/usr/bin/env bash
# `make demo-replay`: simulate a week of a bank's traffic with a fault of every rule kind, replay it
# through the engine, and show the alerts as a table with a per-rule summary.
set -euo pipefail
VIGIL=${1:-build/vigil}
DATA=${VIGIL_DATA:-./vigil-data}
mkdir -p "$DATA/demo"
out="$DATA/demo"

echo "== 1. simulate: 6 days (with a weekend), 300 transaction codes, faults of every rule kind"
"$VIGIL" simulate --start 2026-11-16 --days 6 --codes 300 --records 1500000 --seed 7 --faults all \
  --out "$out/records.jsonl.gz" --config-out "$out/vigil.yaml" --manifest-out "$out/faults.jsonl"

echo
echo "== 2. check the generated configuration"
"$VIGIL" check-config "$out/vigil.yaml"

echo
echo "== 3. replay the records through the engine (event time, exactly as live)"
"$VIGIL" replay --config "$out/vigil.yaml" "$out/records.jsonl.gz" > "$out/alerts.jsonl"
"$VIGIL" replay --quiet --config "$out/vigil.yaml" --format table "$out/records.jsonl.gz" 2>/dev/null

echo
echo "== files in $out:"
echo "   records.jsonl.gz  the simulated transactions"
echo "   vigil.yaml        the configuration simulate wrote for them"
echo "   faults.jsonl      what was injected, and when each alert is expected"
echo "   alerts.jsonl      the alert events (the contract's JSON Lines)"
