# Tessera: `make demo` runs the main job, `make test` runs every test.
# Every tool a target needs is installed by the target itself.

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := test

.PHONY: test demo setup-rust test-rust vectors-check lint

setup-rust:
	rustup component add clippy rustfmt
	rustup target add thumbv7em-none-eabihf

lint: setup-rust
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings

vectors-check:
	python3 tests/vectors/generate.py --check

test-rust: setup-rust
	cargo test --workspace
	cargo build -p tessera-core --target thumbv7em-none-eabihf --release

test: lint vectors-check test-rust
	@echo "make test: all suites passed"

demo:
	cargo run --release -q -p tessera-core --example demo
