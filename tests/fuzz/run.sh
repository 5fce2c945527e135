#!/usr/bin/env bash
# Builds vigil's libFuzzer targets with clang (ASan + UBSan) in build-fuzz and runs each for
# ${FUZZ_SECONDS:-60} seconds, starting from its seed corpus in tests/fuzz/corpus/<target>.
# With FUZZ_RUNS=N each target instead runs N inputs from a fixed seed: the same inputs every
# time, which is what `make test` uses so that a CI result cannot change by chance.
# Exits non-zero when a target crashes; the crashing input is kept in build-fuzz/artifacts.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${FUZZ_BUILD_DIR:-$root/build-fuzz}
seconds=${FUZZ_SECONDS:-60}
targets=(json_line_fuzz csv_line_fuzz buffer_fuzz)

CC=clang CXX=clang++ cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DVIGIL_BUILD_FUZZ=ON -DVIGIL_BUILD_TESTS=OFF -DVIGIL_BUILD_BENCH=OFF >/dev/null
cmake --build "$build" --target "${targets[@]}"

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
failed=()
for target in "${targets[@]}"; do
  corpus=$build/corpus/$target  # grows as the fuzzer finds new paths; the seeds stay clean
  artifacts=$build/artifacts/$target
  mkdir -p "$corpus" "$artifacts"
  if [ -n "${FUZZ_RUNS:-}" ]; then
    corpus=$build/corpus-fixed/$target  # starts empty each time: only the seeds count
    rm -rf "$corpus" && mkdir -p "$corpus"
    budget=(-runs="$FUZZ_RUNS" -seed=1)
    echo "== $target: $FUZZ_RUNS runs"
  else
    budget=(-max_total_time="$seconds")
    echo "== $target: ${seconds}s"
  fi
  log=$build/$target.log  # libFuzzer reports every new input: kept out of the console
  if ! "$build/tests/fuzz/$target" "${budget[@]}" -max_len=4096 -timeout=10 \
      -print_final_stats=1 -artifact_prefix="$artifacts/" \
      "$corpus" "$root/tests/fuzz/corpus/$target" >"$log" 2>&1; then
    tail -n 60 "$log" >&2
    echo "== $target FAILED: see $artifacts and $log" >&2
    failed+=("$target")
  else
    grep -E '^(Done|stat::number_of_executed_units)' "$log" || true
  fi
done
if ((${#failed[@]})); then
  echo "fuzzing found crashes in: ${failed[*]}" >&2
  exit 1
fi
if [ -n "${FUZZ_RUNS:-}" ]; then each="$FUZZ_RUNS runs"; else each="${seconds}s"; fi
echo "fuzzing: no crashes in ${targets[*]} ($each each)"
