#!/usr/bin/env bash
# `make demo`: the live server. Simulates a bank's configuration and a week of history for the
# baselines, starts `vigil serve` on the embedded SQLite store under ./vigil-data, and feeds it
# in real time with `vigil simulate --live`, a fault every few minutes. Delivered alerts are
# printed by a local webhook receiver, mails to reporters by a local mailbox; the API and
# metrics URLs are printed at the start.
# Ctrl-C stops everything.
set -euo pipefail
VIGIL=${1:-build/vigil}
DATA=${VIGIL_DATA:-./vigil-data}
PORT=${VIGIL_PORT:-8080}
HOOK_PORT=${VIGIL_HOOK_PORT:-9099}
MAIL_PORT=${VIGIL_MAIL_PORT:-9025}
CODES=${VIGIL_DEMO_CODES:-300}
SEED=7
out="$DATA/demo"
mkdir -p "$out"

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

echo "== 1. the bank: $CODES transaction codes, its configuration, and 7 days of history for baselines"
"$VIGIL" simulate --live --codes "$CODES" --seed "$SEED" --config-out "$out/vigil.yaml"
# Alerts go to a local webhook receiver that prints them (any Alertmanager-style receiver works).
cat >> "$out/vigil.yaml" <<YAML

alerting:
  receivers:
    console: {webhook: {url: "http://127.0.0.1:$HOOK_PORT/alerts"}}
    mailbox: {email: {from: desk@vigil.demo, smarthost: "127.0.0.1:$MAIL_PORT", tls: none}}
  route:
    receiver: console
    group_by: [rule, txn, svc_sys, step, check]
    group_wait: 10s
    group_interval: 1m
    repeat_interval: 4h

# The incident desk tells the console about new incidents, transfers and resolutions, and mails
# replies and resolutions to the reporter's own address (li's, below) through the local mailbox.
desk:
  notify:
    new_incident: [console]
    transfer: [console]
    resolution: [console]
    reporter_email: mailbox
  incident_url: "http://127.0.0.1:$PORT/desk/incidents/{id}"
  reporter_url: "http://127.0.0.1:$PORT/m/incidents/{id}"
YAML
"$VIGIL" check-config "$out/vigil.yaml"
# The week of records goes straight from the simulator into replay, which keeps only the
# per-minute counts the baselines need (a pipe: 20 s here, against 2.5 minutes through a
# 5 GB gzip file).
rm -rf "$out/history" && mkdir -p "$out/history"
"$VIGIL" simulate --live --codes "$CODES" --seed "$SEED" --backfill-days 7 --backfill-out - |
  "$VIGIL" replay --quiet --config "$out/vigil.yaml" --write-history "$out/history" - > /dev/null

echo
echo "== 2. the incident desk's demo users (fixed demo passwords; set again when they exist)"
# Created before the server starts, so it creates no first admin of its own: the demo's admin is
# one of these. `vigil user add` reads the password from stdin (never from the command line).
DEMO_USERS=(
  "admin admin - demo-admin-2026 -"
  "zhang handler - demo-zhang-2026 -"
  "wang member ops demo-wang-2026 -"
  "li reporter - demo-li-2026 li@branch1.vigil.demo"
)
for entry in "${DEMO_USERS[@]}"; do
  read -r name role group password mail <<< "$entry"
  groups=(); [ "$group" != - ] && groups=(--group "$group")
  if ! "$VIGIL" user list --data "$DATA" 2>/dev/null | awk '{print $1}' | grep -qx "$name"; then
    echo "$password" | "$VIGIL" user add "$name" --role "$role" "${groups[@]}" --data "$DATA" > /dev/null
  else
    echo "$password" | "$VIGIL" user passwd "$name" --data "$DATA" > /dev/null
  fi
  [ "$mail" != - ] && "$VIGIL" user set "$name" --email "$mail" --data "$DATA" > /dev/null
done

echo
echo "== 3. vigil serve on http://127.0.0.1:$PORT (data in $DATA)"
# The bank's clock (the simulator's time zone), so delivery times line up with the fault lines.
TZ=Asia/Shanghai python3 examples/demo_receiver.py "$HOOK_PORT" &
pids+=($!)
TZ=Asia/Shanghai python3 examples/demo_mailbox.py "$MAIL_PORT" &
pids+=($!)
"$VIGIL" serve --config "$out/vigil.yaml" --data "$DATA" --listen "127.0.0.1:$PORT" \
  --history "$out/history" > "$out/serve.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$PORT/readyz" > /dev/null 2>&1 && break
  sleep 0.2
done
curl -sf "http://127.0.0.1:$PORT/readyz" > /dev/null || { cat "$out/serve.log"; exit 1; }
# The server logs the console's address with the API token (for silences and acknowledgements).
console=$(grep -o "console: http[^ ]*" "$out/serve.log" | head -1 | cut -d' ' -f2)
cat <<TEXT
   console     ${console:-http://127.0.0.1:$PORT/}
   alerts      http://127.0.0.1:$PORT/api/v1/alerts
   codes       http://127.0.0.1:$PORT/api/v1/codes
   records     http://127.0.0.1:$PORT/api/v1/records/recent
   OpenAPI     http://127.0.0.1:$PORT/api/v1/openapi.json
   metrics     http://127.0.0.1:$PORT/metrics
   server log  $out/serve.log

   incident desk (back office)  http://127.0.0.1:$PORT/desk     (log in at /login)
   MSS mobile pages             http://127.0.0.1:$PORT/m/       (open on a phone-sized window)
   demo users (user / password / role):
TEXT
for entry in "${DEMO_USERS[@]}"; do
  read -r name role group password mail <<< "$entry"
  printf '     %-7s %-16s %s%s%s\n' "$name" "$password" "$role" "$([ "$group" != - ] && echo " ($group)")" \
    "$([ "$mail" != - ] && echo ", replies mailed to $mail")"
done
cat <<TEXT

== 4. live traffic, the first fault in a minute, then one every 5 minutes; delivered alerts, desk notifications and mails appear below (Ctrl-C stops)
TEXT
VIGIL_INGEST_TOKEN=$(cat "$DATA/ingest-token") "$VIGIL" simulate --live --codes "$CODES" \
  --seed "$SEED" --backfill-days 7 --target "http://127.0.0.1:$PORT" --faults all --first-fault 1m --fault-every 5m
