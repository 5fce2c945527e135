# Two commands for a fresh Debian 12 machine:
#   make demo   install what is missing, build, run vigil serve fed live by the simulator
#   make test   install what is missing, build, run every test
#   make screenshots   regenerate docs/screenshots/ (every console page, headless Chromium)
BUILD ?= build
JOBS  ?= $(shell nproc)
FUZZ_RUNS ?= 300000

.PHONY: deps build demo demo-replay test bench fuzz screenshots clean

deps:
	@bash scripts/install-deps.sh

build: deps
	@cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

demo: build
	@bash examples/demo.sh $(BUILD)/vigil

demo-replay: build
	@bash examples/replay_demo.sh $(BUILD)/vigil

# A short fixed fuzz pass over the parsers first (clang, ASan + UBSan), then every test.
test: build
	@FUZZ_RUNS=$(FUZZ_RUNS) bash tests/fuzz/run.sh
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

bench: build
	@bash bench/run.sh $(BUILD)
	@bash bench/serve_bench.sh $(BUILD)
	@bash bench/console_api_bench.sh $(BUILD)
	@bash bench/desk_bench.sh $(BUILD)

# The console's pages at 1440x900 on the e2e tests' simulated bank (tests/e2e/screenshots.js).
screenshots: build
	@VIGIL_BINARY=$(abspath $(BUILD))/vigil VIGIL_WEB_ROOT=$(abspath $(BUILD))/web \
	  node tests/e2e/screenshots.js docs/screenshots
	@VIGIL_BINARY=$(abspath $(BUILD))/vigil VIGIL_WEB_ROOT=$(abspath $(BUILD))/web \
	  node tests/e2e/desk_screenshots.js docs/screenshots

fuzz: deps
	@bash tests/fuzz/run.sh

clean:
	rm -rf $(BUILD) build-fuzz vigil-data
