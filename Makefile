# Consort — the README's commands.
#   make run    serve the app on SQLite at http://127.0.0.1:3000 (installs the build tools first)
#   make test   install what the tests need, build, run every test (Rust on SQLite and
#               PostgreSQL, Playwright on SQLite and PostgreSQL) and print the WASM size

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

CARGO_LEPTOS_VERSION := 0.3.10
WASM_BINDGEN_VERSION := 0.2.130
# wasm-opt from npm's binaryen (Debian's corrupts the release WASM) must come first.
export PATH := $(CURDIR)/end2end/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
export CONSORT_TEST_POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/postgres
# The size budget of the compressed WASM bundle, brotli. Raised from 256,000 to 272,000
# when the switcher listbox, My organizations and Close account took the main bundle
# from 248.7 KB to 267.4 KB (issue 13); issue 12 wants it under 220 KB, so it must come
# down again, not go up.
WASM_BUDGET_BROTLI := 272000

.PHONY: help setup tools npm system-packages build run test test-rust bench bench-load e2e wasm-size lint fmt clean

help:
	@echo "make run    serve Consort on SQLite at http://127.0.0.1:3000"
	@echo "make test   install test dependencies and run every test"
	@echo "make lint   cargo fmt --check and clippy for the server and the browser builds"

## Tools -------------------------------------------------------------------

tools:
	@command -v cargo >/dev/null || { echo "Rust is required: https://rustup.rs"; exit 1; }
	@command -v npm >/dev/null || { echo "Node.js and npm are required"; exit 1; }
	rustup target add wasm32-unknown-unknown >/dev/null
	@if ! cargo leptos --version 2>/dev/null | grep -q "$(CARGO_LEPTOS_VERSION)"; then \
		echo "Installing cargo-leptos $(CARGO_LEPTOS_VERSION) (about 15 minutes, once)"; \
		cargo install cargo-leptos@$(CARGO_LEPTOS_VERSION) --locked; \
	fi
	@if ! wasm-bindgen --version 2>/dev/null | grep -q "$(WASM_BINDGEN_VERSION)"; then \
		echo "Installing wasm-bindgen-cli $(WASM_BINDGEN_VERSION)"; \
		cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION) --force || scripts/install-wasm-bindgen.sh $(WASM_BINDGEN_VERSION); \
	fi

npm: end2end/node_modules/.package-lock.json

end2end/node_modules/.package-lock.json: end2end/package.json end2end/package-lock.json
	cd end2end && npm ci --no-audit --no-fund
	@touch $@

setup: tools npm

# Chromium for Playwright, brotli to measure the bundle, aiosmtpd as a real SMTP server in tests.
system-packages:
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v brotli >/dev/null || missing="$$missing brotli"; \
	/usr/bin/python3 -c "import aiosmtpd" 2>/dev/null || missing="$$missing python3-aiosmtpd"; \
	if [ -n "$$missing" ]; then \
		echo "Installing$$missing"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] && echo "" || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

## Build and run -----------------------------------------------------------

# --split: lazily loaded routes and the invite dialog become separate WASM chunks.
# The split manifest becomes route-chunks.json: Consort sends each lazy route's
# chunks as a Link header (src/pages/preloads.rs); under its old name Leptos
# would also put them in the HTML, on some renders only.
build: setup
	cargo leptos build --release --split
	@if [ -f target/site/pkg/__wasm_split_manifest.json ]; then \
		mv -f target/site/pkg/__wasm_split_manifest.json target/site/pkg/route-chunks.json; fi

run: build
	@echo "Consort on SQLite (data/consort.db): http://127.0.0.1:3000 — mail goes to http://127.0.0.1:3000/dev/mailbox"
	LEPTOS_SITE_ROOT=target/site ./target/release/consort --dev-mailbox

## Tests -------------------------------------------------------------------

test: setup system-packages build wasm-size test-rust bench e2e
	@echo "All tests passed."

# The Rust tests share the release build's dependencies (no second compile): same
# profile, features, RUSTFLAGS and LEPTOS_* variables as `cargo leptos build --release`.
# The benchmarks (ten_thousand_* and benchmark_*) run after, alone, in `make bench`.
LEPTOS_ENV := LEPTOS_OUTPUT_NAME=consort LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg \
	LEPTOS_SITE_ADDR=127.0.0.1:3000 LEPTOS_RELOAD_PORT=3001 LEPTOS_LIB_DIR=. LEPTOS_BIN_DIR=. \
	LEPTOS_JS_MINIFY=true LEPTOS_HASH_FILES=false RUSTFLAGS="--cfg erase_components"
# One test at a time: tests that render pages on their own tokio runtimes at
# the same moment can leave a render waiting forever (about one web-test run in
# ten with four threads, none in forty with one; a test-harness effect, the
# server has one runtime). See the note of issue 13's session.
test-rust:
	$(LEPTOS_ENV) cargo test --release --no-default-features --features ssr -- --test-threads 1 --skip ten_thousand --skip benchmark_

# Benchmarks in the release build, with their figures printed (never compared with
# a wall-clock limit): 10,000 CSV rows checked and stored on SQLite; the Members list of
# 10,000 people on SQLite and PostgreSQL (median of its server function and page). One
# at a time, so the figures do not disturb each other.
bench:
	@$(LEPTOS_ENV) cargo test --release --no-default-features --features ssr --test integration \
		-- ten_thousand benchmark_ --nocapture --test-threads 1 2>&1 | grep -oE "benchmark:.*|test result.*|panicked.*|FAILED.*"

# The load benchmark (not part of `make test`): a release server on a seeded
# organization of 10,001 members driven by wrk; prints the README's table.
bench-load: build
	@command -v wrk >/dev/null || { SUDO=$$( [ "$$(id -u)" = 0 ] && echo "" || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq wrk >/dev/null; }
	$(LEPTOS_ENV) cargo test --release --no-default-features --features ssr --no-run
	$(LEPTOS_ENV) scripts/bench-load.sh

e2e:
	end2end/run.sh sqlite
	end2end/run.sh postgres

wasm-size:
	@wasm=target/site/pkg/consort.wasm; \
	raw=$$(stat -c %s $$wasm); gz=$$(gzip -9c $$wasm | wc -c); br=$$(brotli -c -q 11 $$wasm | wc -c); \
	printf "WASM bundle: %d bytes raw, %d gzip, %d brotli (budget %d brotli)\n" $$raw $$gz $$br $(WASM_BUDGET_BROTLI); \
	if [ $$br -gt $(WASM_BUDGET_BROTLI) ]; then echo "WASM bundle over budget"; exit 1; fi; \
	n=0; total=0; largest=0; for chunk in target/site/pkg/split_*.wasm target/site/pkg/chunk_*.wasm; do \
		[ -f "$$chunk" ] || continue; size=$$(brotli -c -q 11 "$$chunk" | wc -c); n=$$((n + 1)); total=$$((total + size)); \
		[ $$size -gt $$largest ] && largest=$$size; done; \
	printf "Lazy chunks: %d files, %d brotli in all, the largest %d\n" $$n $$total $$largest
	@python3 scripts/wasm-first-load.py

lint: tools
	cargo fmt --check
	cargo clippy --features ssr --all-targets -- -D warnings
	cargo clippy --lib --features hydrate --target wasm32-unknown-unknown -- -D warnings

fmt:
	cargo fmt

clean:
	cargo clean
	rm -rf end2end/node_modules end2end/test-results end2end/playwright-report
