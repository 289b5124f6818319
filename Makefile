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

# Figures, not verdicts: BENCHMARKS.md records what these print.
bench: tools browser-tools build
	bench/run.sh
	CHROMEDRIVER=/usr/bin/chromedriver cargo test --release --target wasm32-unknown-unknown --test wasm_speed -- --nocapture
	cargo test --test e2e_latency -- --ignored --nocapture
