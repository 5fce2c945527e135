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
  # the web console's browser tests and screenshots: Debian's Chromium (/usr/bin/chromium,
  # driven by playwright-core) and CJK fonts so the Chinese UI is not drawn as boxes
  chromium fonts-noto-cjk
)
# The web console is built with Node.js and npm (web/, tests/e2e/). A node already on PATH
# (for example a newer one from NodeSource) is kept; otherwise Debian's packages.
if ! command -v node > /dev/null 2>&1; then
  PACKAGES+=(nodejs npm)
fi

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

# The web build (Vite 8) and the browser tests (playwright-core) need Node 20 or later;
# Debian 12's own nodejs is 18. Said here; the build (cmake/web.cmake) stops on it.
check_node() {
  local major
  major=$(node --version 2>/dev/null | sed -E 's/^v([0-9]+).*/\1/')
  if [ -z "$major" ] || [ "$major" -lt 20 ]; then
    echo "install-deps: node $(node --version 2>/dev/null || echo missing) is too old for the web" \
         "console: install Node.js 20 or later (nodejs.org or NodeSource), or configure with" \
         "-DVIGIL_BUILD_WEB=OFF to build without the console" >&2
  fi
}

if [ ${#missing[@]} -eq 0 ]; then
  check_node
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "installing: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
check_node
