# Two entry points (the README's two commands):
#   make serve  — install what is missing (wasm32 target, pinned trunk and
#                 wasm-bindgen-cli), then serve the app on http://127.0.0.1:8080
#   make test   — also install Debian's chromium + chromium-driver (and python3
#                 if missing), then run
#                 every test: release build, wasm tests in headless Chromium,
#                 native unit/property/CLI tests and the end-to-end tests.
# Installs are idempotent: a tool already at its pinned version is skipped.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
export PATH := $(HOME)/.cargo/bin:$(PATH)

TRUNK_VERSION := 0.21.14
# wasm-bindgen-cli must equal the wasm-bindgen crate in Cargo.lock exactly.
WASM_BINDGEN_VERSION := $(shell awk '/^name = "wasm-bindgen"$$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: serve test tools browser-tools python-tools build wasm-test native-test lint bench

serve: tools
	trunk serve

test: tools browser-tools python-tools lint build wasm-test native-test

# Every tests/web*.rs runs in the browser without being listed here;
# wasm_speed.rs is a benchmark (make bench).
WASM_TESTS := $(patsubst tests/%.rs,--test %,$(sort $(wildcard tests/web*.rs)) tests/wasm_core.rs)

tools:
	@rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
	@trunk --version 2>/dev/null | grep -qx "trunk $(TRUNK_VERSION)" || cargo install trunk --locked --version $(TRUNK_VERSION)
	@# Not --locked: its lockfile pins a webpki-roots the registry no longer has.
	@wasm-bindgen --version 2>/dev/null | grep -qx "wasm-bindgen $(WASM_BINDGEN_VERSION)" || cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION)

browser-tools:
	@if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then \
		$(SUDO) apt-get update && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium chromium-driver; \
	fi

# tests/show_code_python.rs compiles every program "Show code" exports with python3.
python-tools:
	@command -v python3 >/dev/null || { $(SUDO) apt-get update && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y python3; }

build:
	trunk build --release

# --release reuses what `trunk build --release` just compiled.
wasm-test:
	CHROMEDRIVER=/usr/bin/chromedriver cargo test --release --target wasm32-unknown-unknown $(WASM_TESTS)
	@# The core again as the workers' relaxed-SIMD build (fused multiply-adds).
	CHROMEDRIVER=/usr/bin/chromedriver cargo test --release --target wasm32-unknown-unknown --features relaxed-simd --test wasm_core

native-test:
	@# The core must build without any web crate.
	cargo check --no-default-features --lib --bin batchscope
	cargo test

# Format and lints, as CI checks them.
lint:
	@rustup component list --installed | grep -q '^rustfmt' || rustup component add rustfmt
	@rustup component list --installed | grep -q '^clippy' || rustup component add clippy
	cargo fmt --check
	cargo clippy --all-targets -- -D warnings
	@# The page, the workers and the browser tests as the wasm32 build compiles them.
	cargo clippy --target wasm32-unknown-unknown --all-targets -- -D warnings
	cargo clippy --target wasm32-unknown-unknown --all-targets --features relaxed-simd -- -D warnings

# Figures, not verdicts: every table in BENCHMARKS.md, in its order, each
# step headed by the table's name, the date, the CPU and the machine's
# load. Tests that only print figures are #[ignore]d, so `make test` skips
# them and this target runs them with --ignored.
BATCHSCOPE := $${CARGO_TARGET_DIR:-target}/release/batchscope
stamp = @echo "\#\# $(1): $$(date -u '+%Y-%m-%d %H:%M UTC'), $$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load average $$(cut -d' ' -f1-3 /proc/loadavg)"

bench: tools browser-tools build
	cargo build --release --no-default-features --bin batchscope
	$(call stamp,Native training step vs PyTorch)
	bench/run.sh
	$(call stamp,Each product of one step natively)
	$(BATCHSCOPE) bench --gemm --hidden 128
	$(call stamp,Training step in Chromium and each product of one step)
	WASM_BINDGEN_TEST_TIMEOUT=600 CHROMEDRIVER=/usr/bin/chromedriver cargo test --release --target wasm32-unknown-unknown --test wasm_speed -- --include-ignored --nocapture
	WASM_BINDGEN_TEST_TIMEOUT=600 CHROMEDRIVER=/usr/bin/chromedriver cargo test --release --target wasm32-unknown-unknown --features relaxed-simd --test wasm_speed -- --include-ignored --nocapture
	$(call stamp,A race run in Chromium: the step and what surrounds it)
	WASM_BINDGEN_TEST_TIMEOUT=600 CHROMEDRIVER=/usr/bin/chromedriver cargo test --release --target wasm32-unknown-unknown --features relaxed-simd --test wasm_race_speed -- --include-ignored --nocapture
	$(call stamp,The page: slider to frame latency)
	cargo test --test e2e_latency -- --ignored --nocapture
	$(call stamp,The race: several workers at once)
	cargo test --test e2e_race -- --nocapture
	cargo test --test e2e_race_speed -- --include-ignored --nocapture
	$(call stamp,Batch-size sweep in Chromium)
	cargo test --test e2e_sweep -- --ignored --nocapture
	$(call stamp,Batch-size sweep natively)
	time $(BATCHSCOPE) sweep --corpus src/data/corpora/stories/*.txt --bs 1,2,4,8,16,32,64,128 --lrs 0.0025,0.005,0.01,0.02,0.04,0.08 --bptt 35 --hidden 64 --max-tokens 1000000
	$(call stamp,Tab memory in the worst cases)
	cargo test --test e2e_memory -- --include-ignored --nocapture --test-threads=1
