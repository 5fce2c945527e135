#!/usr/bin/env bash
# Installs every Debian package vigil's build, tests and benchmarks need.
# Idempotent and non-interactive: does nothing when everything is already installed.
set -euo pipefail

PACKAGES=(
  # toolchain
  build-essential cmake ninja-build pkg-config clang libclang-rt-14-dev
  # libraries (README, "Dependencies", says why each one)
  libabsl-dev libsimdjson-dev libyaml-cpp-dev nlohmann-json3-dev libspdlog-dev libfmt-dev
  libcli11-dev zlib1g-dev tzdata
  # the server: HTTP, store backends, delivery, Kafka, secrets
  libcpp-httplib-dev libsqlite3-dev libpq-dev libcurl4-openssl-dev librdkafka-dev libsodium-dev
  # the demo waits for the server with curl
  curl
  # tests start a real PostgreSQL 15 server in a temporary directory
  postgresql-15
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev time python3
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "installing: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
