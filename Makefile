# Tessera: `make demo` runs the main job, `make test` runs every test.
# Every tool a target needs is installed by the target itself (rustup
# components and targets, pinned `cargo install`s, Debian packages).

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := test

CBINDGEN_VERSION := 0.29.4
CARGO_FUZZ_VERSION := 0.13.2
# The nightly for cargo-fuzz and Miri, pinned: a plain `nightly` is whatever
# the mirror published last, so CI could break on a day nothing of ours
# changed. Raise it on purpose (and run `make miri fuzz-smoke`).
NIGHTLY := nightly-2026-10-30
FUZZ_TARGETS := verify_bytes verify_signed differential sign_roundtrip http_helpers keyset_kid revocation claims_access c_abi signatures jwks rsa simd_differential
FUZZ_SMOKE_SECONDS ?= 12
FUZZ_SECONDS ?= 1800
VERSION := $(shell sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
PREFIX ?= /usr/local
RELEASE := target/release
CBUILD := target/c
CLIBS := -lpthread -ldl -lm -lrt
CWARN := -Wall -Wextra -Werror -g -Iinclude
SAN := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
VALGRIND := valgrind -q --error-exitcode=1 --leak-check=full --show-leak-kinds=all --errors-for-leak-kinds=all
APT_PACKAGES := libjwt-dev libssl-dev libjansson-dev valgrind pkg-config cmake chromium apache2-bin apache2-dev libcurl4-openssl-dev curl \
  qemu-user gcc-aarch64-linux-gnu libc6-dev-arm64-cross
WASM_BINDGEN_VERSION := $(shell awk '/^name = "wasm-bindgen"$$/ {getline; gsub(/"/, "", $$3); print $$3}' Cargo.lock)
WASM_OUT := target/wasm32-unknown-unknown/wasm-release/tessera_wasm.wasm
PKG := wasm/pkg
NODE_BIN := wasm/node_modules/.bin

.PHONY: test demo setup-rust test-rust vectors-check lint python-deps deps-apt cbindgen lib header header-check install test-c \
	wasm-tools npm-deps wasm edge-auth test-aarch64 test-js httpd-module test-httpd example-c demo-lifecycle test-python package-check \
	setup-nightly fuzz-corpus fuzz-smoke fuzz miri bench bench-rust bench-c bench-js

# --- set-up -------------------------------------------------------------

setup-rust:
	rustup component add clippy rustfmt
	rustup target add thumbv7em-none-eabihf wasm32-unknown-unknown wasm32-wasip1 aarch64-unknown-linux-gnu

deps-apt:
	@if ! dpkg -s $(APT_PACKAGES) >/dev/null 2>&1; then \
	  echo "installing $(APT_PACKAGES)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(APT_PACKAGES); \
	fi

cbindgen:
	@if ! cbindgen --version 2>/dev/null | grep -qx "cbindgen $(CBINDGEN_VERSION)"; then \
	  cargo install --locked cbindgen --version $(CBINDGEN_VERSION); \
	fi

# --- Rust -----------------------------------------------------------------

lint: setup-rust
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings
	# The bindings as shipped: no_std, with their own panic handler; the
	# core with its WebAssembly SIMD code.
	cargo clippy -p tessera-core -p tessera-wasm --target wasm32-unknown-unknown -- -D warnings
	# The core with its NEON code (its tests run under qemu in test-aarch64).
	cargo clippy -p tessera-core --target aarch64-unknown-linux-gnu -- -D warnings
	cargo clippy -p tessera-wasm --target wasm32-unknown-unknown --features full -- -D warnings
	cargo clippy -p tessera-wasm --target wasm32-unknown-unknown --features issuer -- -D warnings
	# Each public-key family alone, and none (the HMAC-only build).
	for f in "" ed25519 ecdsa rsa; do cargo clippy -p tessera-core --no-default-features --features "$$f" -- -D warnings || exit 1; done
	# The crate's documentation (its README and SPEC included) without a warning.
	RUSTDOCFLAGS="-D warnings" cargo doc -p tessera-core --no-deps

vectors-check: python-deps
	python3 tests/vectors/generate.py --check
	python3 tests/vectors/public.py --check

test-rust: setup-rust
	cargo test --workspace
	# The stack bounds hold optimized too (public-key verification: 16 KiB there).
	cargo test --release -p tessera-tests --test stack
	# The core's unit tests again as WebAssembly (SIMD paths), in Node's WASI.
	# (--nocapture: a panic aborts there, and the message must not be lost.)
	cargo test -p tessera-core --lib --target wasm32-wasip1 -- --nocapture
	cargo build -p tessera-core --target thumbv7em-none-eabihf --release

# The core's unit tests built for aarch64 (NEON paths) and run under
# qemu-user: the vector code against the scalar code there too.
AARCH64_ENV := CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER=aarch64-linux-gnu-gcc \
  CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_RUNNER="qemu-aarch64 -L /usr/aarch64-linux-gnu"
test-aarch64: setup-rust deps-apt
	$(AARCH64_ENV) cargo test -p tessera-core --lib --target aarch64-unknown-linux-gnu

# --- C --------------------------------------------------------------------

lib:
	cargo build --release -p tessera-ffi

header: cbindgen
	cbindgen -q --config ffi/cbindgen.toml --crate tessera-ffi --output include/tessera.h ffi

header-check: cbindgen
	@mkdir -p $(CBUILD)
	cbindgen -q --config ffi/cbindgen.toml --crate tessera-ffi --output $(CBUILD)/tessera.h ffi
	@diff -u include/tessera.h $(CBUILD)/tessera.h || { echo "include/tessera.h is stale: run make header"; exit 1; }
	@echo "include/tessera.h is up to date"

# `make install [PREFIX=/usr/local] [DESTDIR=staging]`: the shared library as
# libtessera.so.$(VERSION) with its SONAME link libtessera.so.$(MAJOR) and the
# development link libtessera.so, the static archive, headers, pkg-config and
# CMake packages. Installed libraries are stripped (target/release keeps
# its line tables for debugging and profiling).
MAJOR := $(word 1,$(subst ., ,$(VERSION)))
MINOR := $(word 2,$(subst ., ,$(VERSION)))
LIBDIR = $(DESTDIR)$(PREFIX)/lib
install: lib
	install -d $(LIBDIR)/pkgconfig $(LIBDIR)/cmake/Tessera $(DESTDIR)$(PREFIX)/include
	install -m 644 $(RELEASE)/libtessera.a $(LIBDIR)/
	@# Debug sections, and the LLVM bitcode Rust embeds in each object (70% of the archive).
	strip --strip-debug --remove-section=.llvmbc --remove-section=.llvmcmd $(LIBDIR)/libtessera.a
	install -m 755 $(RELEASE)/libtessera.so $(LIBDIR)/libtessera.so.$(VERSION)
	strip --strip-unneeded $(LIBDIR)/libtessera.so.$(VERSION)
	ln -sf libtessera.so.$(VERSION) $(LIBDIR)/libtessera.so.$(MAJOR)
	ln -sf libtessera.so.$(MAJOR) $(LIBDIR)/libtessera.so
	install -m 644 include/tessera.h include/tessera.hpp $(DESTDIR)$(PREFIX)/include/
	sed -e 's|@PREFIX@|$(abspath $(PREFIX))|' -e 's|@VERSION@|$(VERSION)|' ffi/tessera.pc.in > $(LIBDIR)/pkgconfig/tessera.pc
	for f in TesseraConfig TesseraConfigVersion; do \
	  sed -e 's|@VERSION@|$(VERSION)|g' -e 's|@MAJOR@|$(MAJOR)|g' -e 's|@MINOR@|$(MINOR)|g' \
	    ffi/cmake/$$f.cmake.in > $(LIBDIR)/cmake/Tessera/$$f.cmake; \
	done

test-c: deps-apt lib header-check
	@mkdir -p $(CBUILD)
	gcc -std=c11 $(CWARN) $(SAN) tests/c/test_api.c $(RELEASE)/libtessera.a $(CLIBS) -o $(CBUILD)/test_api-san
	gcc -std=c11 $(CWARN) $(SAN) tests/c/conformance.c $(RELEASE)/libtessera.a -ljansson $(CLIBS) -o $(CBUILD)/conformance-san
	gcc -std=c11 $(CWARN) $(SAN) tests/c/interop_libjwt.c $(RELEASE)/libtessera.a -ljwt -lcrypto $(CLIBS) -o $(CBUILD)/interop-san
	g++ -std=c++17 $(CWARN) $(SAN) tests/cpp/test_wrapper.cpp $(RELEASE)/libtessera.a $(CLIBS) -o $(CBUILD)/cpp-san
	$(CBUILD)/test_api-san
	$(CBUILD)/conformance-san tests/vectors
	$(CBUILD)/interop-san
	$(CBUILD)/cpp-san
	gcc -std=c11 $(CWARN) -O1 tests/c/test_api.c $(RELEASE)/libtessera.a $(CLIBS) -o $(CBUILD)/test_api
	gcc -std=c11 $(CWARN) -O1 tests/c/conformance.c $(RELEASE)/libtessera.a -ljansson $(CLIBS) -o $(CBUILD)/conformance
	gcc -std=c11 $(CWARN) -O1 tests/c/interop_libjwt.c $(RELEASE)/libtessera.a -ljwt -lcrypto $(CLIBS) -o $(CBUILD)/interop
	g++ -std=c++17 $(CWARN) -O1 tests/cpp/test_wrapper.cpp $(RELEASE)/libtessera.a $(CLIBS) -o $(CBUILD)/cpp
	$(VALGRIND) $(CBUILD)/test_api
	$(VALGRIND) $(CBUILD)/conformance tests/vectors
	$(VALGRIND) $(CBUILD)/interop
	$(VALGRIND) $(CBUILD)/cpp
	@# A C user's build lines, through the installed pkg-config file and the CMake package.
	bash tests/c/install.sh $(CBUILD) $(VERSION)
	@echo "c: all suites passed"

# What crates.io and npm would receive, packaged and checked; nothing is
# uploaded (the crate is built from its package alone).
package-check: wasm
	cargo publish --dry-run --allow-dirty -p tessera-core
	cd wasm/pkg && npm publish --dry-run --ignore-scripts
	node tests/js/package-check.mjs

# PyJWT, an independent peer, reads what the C library signs (and vice versa).
# PyJWT and cryptography, pinned (public.py signs the public-key vectors with cryptography).
python-deps:
	@python3 -c 'import jwt, cryptography, sys; sys.exit(jwt.__version__ != "2.15.1" or cryptography.__version__ != "48.0.0")' 2>/dev/null || \
	  python3 -m pip install -q --disable-pip-version-check -r tests/python/requirements.txt

test-python: lib python-deps
	python3 tests/python/test_pyjwt.py $(RELEASE)/libtessera.so

# --- WebAssembly ------------------------------------------------------------

wasm-tools:
	rustup target add wasm32-unknown-unknown
	@if ! wasm-bindgen --version 2>/dev/null | grep -qx "wasm-bindgen $(WASM_BINDGEN_VERSION)"; then \
	  cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION); \
	fi

# npm ci only when the lockfile changed since the last install.
npm-deps: wasm/node_modules/.ci-stamp
wasm/node_modules/.ci-stamp: wasm/package-lock.json
	cd wasm && npm ci --no-fund --no-audit
	touch $@

# Three modules: HMAC only (the package root), full (public keys, JWK
# Sets: tessera-jwt/full) and issuer (full plus private-key signing:
# tessera-jwt/issuer). Each is one cargo build of the same crate.
# Rebuilt only when an input changed (make demo and every suite reuse it):
# the stamp is written last, so a failed build is redone.
WASM_INPUTS := $(shell find core/src wasm/src wasm/js -type f) Cargo.toml Cargo.lock core/Cargo.toml wasm/Cargo.toml \
  LICENSE-MIT LICENSE-APACHE
WASM_STAMP := $(PKG)/.built-from-inputs
wasm: $(WASM_STAMP)
# `--strip-producers` drops the toolchain-version section (metadata no
# runtime reads; ~100 bytes gzip).
$(WASM_STAMP): $(WASM_INPUTS) Makefile | wasm-tools npm-deps
	rm -rf $(PKG)
	cargo build -p tessera-wasm --target wasm32-unknown-unknown --profile wasm-release
	wasm-bindgen --target web --out-dir $(PKG) --out-name tessera_wasm $(WASM_OUT)
	$(NODE_BIN)/wasm-opt -O3 --strip-producers $(PKG)/tessera_wasm_bg.wasm -o $(PKG)/tessera_wasm_bg.wasm
	cargo build -p tessera-wasm --target wasm32-unknown-unknown --profile wasm-release --features full
	wasm-bindgen --target web --out-dir $(PKG)/full --out-name tessera_wasm $(WASM_OUT)
	$(NODE_BIN)/wasm-opt -O3 --strip-producers $(PKG)/full/tessera_wasm_bg.wasm -o $(PKG)/full/tessera_wasm_bg.wasm
	cargo build -p tessera-wasm --target wasm32-unknown-unknown --profile wasm-release --features issuer
	wasm-bindgen --target web --out-dir $(PKG)/issuer --out-name tessera_wasm $(WASM_OUT)
	$(NODE_BIN)/wasm-opt -O3 --strip-producers $(PKG)/issuer/tessera_wasm_bg.wasm -o $(PKG)/issuer/tessera_wasm_bg.wasm
	node wasm/js/assemble.mjs $(PKG) $(VERSION)
	@echo "wasm (HMAC): $$(stat -c %s $(PKG)/tessera_wasm_bg.wasm) bytes raw, $$(gzip -9c $(PKG)/tessera_wasm_bg.wasm | wc -c) gzip"
	@echo "wasm (full): $$(stat -c %s $(PKG)/full/tessera_wasm_bg.wasm) bytes raw, $$(gzip -9c $(PKG)/full/tessera_wasm_bg.wasm | wc -c) gzip"
	@echo "wasm (issuer): $$(stat -c %s $(PKG)/issuer/tessera_wasm_bg.wasm) bytes raw, $$(gzip -9c $(PKG)/issuer/tessera_wasm_bg.wasm | wc -c) gzip"
	touch $@

# The edge worker needs hash-wasm's binaries as precompiled modules, and
# serves the browser package to its page.
edge-auth: wasm
	node wasm/examples/edge-auth/extract-wasm.mjs
	node wasm/examples/edge-auth/browser-assets.mjs

test-js: deps-apt wasm edge-auth
	node --test tests/js/
	@# The published declarations under tsc --strict: README snippets and a typed program (compiled, then run).
	node tests/js/ts/check.mjs
	@# The Deno binary comes from its Linux x64 package: the registry mirror here lacks the other platforms.
	wasm/node_modules/@deno/linux-x64-glibc/deno run --allow-read tests/js/runtime-vectors.mjs deno
	$(NODE_BIN)/bun tests/js/runtime-vectors.mjs bun
	@echo "js: all suites passed"

# --- the image service: Apache httpd with mod_tessera -----------------------

# Built with apxs in target/apache (apxs writes its objects beside the source).
HTTPD_MODULE := target/apache/.libs/mod_tessera.so
httpd-module: deps-apt lib
	@mkdir -p target/apache
	cp ffi/apache/mod_tessera.c ffi/apache/cache_control.h target/apache/
	cd target/apache && apxs -c -I ../../include -Wc,-Wall -Wc,-Wextra -Wc,-Werror -Wc,-std=gnu11 \
	  mod_tessera.c ../release/libtessera.a -lcurl > build.log 2>&1 || { cat build.log; exit 1; }
	@echo "httpd-module: $(HTTPD_MODULE)"

# Real httpd and curl against the edge-auth worker; then once more with
# httpd under valgrind.
test-httpd: httpd-module wasm edge-auth
	@mkdir -p $(CBUILD)
	@# The module's Cache-Control reader on hostile header lines, under ASan and UBSan.
	gcc -std=gnu11 $(CWARN) $(SAN) tests/httpd/test_cache_control.c -o $(CBUILD)/test_cache_control-san
	$(CBUILD)/test_cache_control-san tests/vectors/cache-control.txt
	node --test tests/httpd/
	TESSERA_HTTPD_VALGRIND=1 node --test tests/httpd/
	@echo "httpd: all suites passed (and clean under valgrind)"

# --- fuzzing and Miri ---------------------------------------------------------

setup-nightly:
	rustup toolchain install $(NIGHTLY) --profile minimal --component miri,rust-src
	@if ! cargo fuzz --version 2>/dev/null | grep -q "$(CARGO_FUZZ_VERSION)"; then \
	  cargo install --locked cargo-fuzz --version $(CARGO_FUZZ_VERSION); \
	fi

fuzz-corpus:
	python3 fuzz/seeds.py

# Every target for a bounded time; any crash, timeout or OOM fails the build.
fuzz-smoke: setup-nightly fuzz-corpus
	cd fuzz && cargo +$(NIGHTLY) fuzz build
	@mkdir -p target/fuzz-logs
	@for t in $(FUZZ_TARGETS); do \
	  log=target/fuzz-logs/$$t.log; \
	  if ! (cd fuzz && cargo +$(NIGHTLY) fuzz run $$t corpus/$$t -- -max_total_time=$(FUZZ_SMOKE_SECONDS) -max_len=9000 \
	      -dict=tokens.dict -timeout=10 -rss_limit_mb=2048 -print_final_stats=1) > $$log 2>&1; then \
	    tail -40 $$log; echo "fuzz $$t: FAILED"; exit 1; \
	  fi; \
	  echo "fuzz $$t: clean, $$(grep -oP 'stat::number_of_executed_units: \K[0-9]+' $$log) executions in $(FUZZ_SMOKE_SECONDS) s"; \
	done
	@echo "fuzz-smoke: all targets clean"

# Long runs: make fuzz FUZZ_SECONDS=1800 (per target).
fuzz: setup-nightly fuzz-corpus
	cd fuzz && cargo +$(NIGHTLY) fuzz build
	cd fuzz && for t in $(FUZZ_TARGETS); do \
	  cargo +$(NIGHTLY) fuzz run $$t corpus/$$t -- -max_total_time=$(FUZZ_SECONDS) -max_len=9000 -dict=tokens.dict \
	    -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 -jobs=1 || exit 1; \
	done

# Miri: undefined behaviour on the core's paths (its one unsafe module,
# native_simd, and what its dependencies do for it). Interpreted ~1000x slower,
# the whole suite took 13+ minutes of the 30-minute budget (lib tests 663 s,
# then the doctests), so: the lib tests only; the public-key arithmetic
# modules skipped here (covered natively by Wycheproof and under ASan by
# fuzz-smoke) except our own Montgomery arithmetic's tests
# (key::rsa::modulus, in the second half); the exhaustive loops stride
# under cfg(miri); and the two halves run side by side on the two cores.
MIRI_PUBLIC_KEY := --skip key::ecdsa --skip key::eddsa --skip key::rsa --skip signing:: --skip spki \
  --skip jwk::tests --skip publish::tests --skip key::tests
# Miri reports no CPU features at run time, so the vector decoders run only
# when the build assumes them (SSE2 is always on for x86-64): the suite runs
# with SSSE3 on, and native_simd's own test (every decoder against the
# scalar one) once more with AVX2 on, in its own target directory, beside
# the two halves. (The whole suite with AVX2 on took 330 s, not 100.)
MIRI_ENV := RUSTFLAGS="-C target-feature=+ssse3"
MIRI_AVX2 := RUSTFLAGS="-C target-feature=+avx2" CARGO_TARGET_DIR=target/miri-avx2
miri: setup-nightly
	@mkdir -p target
	$(MIRI_ENV) cargo +$(NIGHTLY) miri test -p tessera-core --lib --no-run
	$(MIRI_AVX2) cargo +$(NIGHTLY) miri test -q -p tessera-core --lib -- native_simd > target/miri-c.log 2>&1 & c=$$!; \
	  $(MIRI_ENV) cargo +$(NIGHTLY) miri test -q -p tessera-core --lib -- $(MIRI_PUBLIC_KEY) --skip verify:: --skip sign:: > target/miri-a.log 2>&1 & a=$$!; \
	  $(MIRI_ENV) cargo +$(NIGHTLY) miri test -q -p tessera-core --lib -- verify:: sign:: key::rsa::modulus:: > target/miri-b.log 2>&1; b=$$?; \
	  wait $$a; a=$$?; wait $$c; c=$$?; cat target/miri-a.log target/miri-b.log target/miri-c.log | grep -E "^test result|panicked|error" ; \
	  [ $$a -eq 0 ] && [ $$b -eq 0 ] && [ $$c -eq 0 ] || { cat target/miri-a.log target/miri-b.log target/miri-c.log; exit 1; }

# --- demo -------------------------------------------------------------------

example-c: lib
	@mkdir -p $(CBUILD)
	cc -std=c11 -O2 -Iinclude ffi/examples/verify_bearer.c $(RELEASE)/libtessera.a $(CLIBS) -o $(CBUILD)/verify_bearer_static

# The terminal walk-through of the token lifecycle (also run by `make test`).
demo-lifecycle: wasm example-c
	node wasm/examples/lifecycle.mjs $(CBUILD)/verify_bearer_static

# --- benchmarks (not part of make test) ---------------------------------------

bench-rust:
	cargo bench -p tessera-benches --bench verify
	cargo bench -p tessera-benches --bench stages
	cargo bench -p tessera-benches --bench abi | tee target/abi.txt
	cargo bench -p tessera-benches --bench public_key
	cargo bench -p tessera-benches --bench timing | tee target/timing.txt
	cargo bench -p tessera-benches --bench threads | tee target/threads.txt

bench-c: lib deps-apt
	@dpkg -s libssl-dev >/dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libssl-dev)
	cargo run --release -q -p tessera-benches --bin bench-tokens -- target/bench-tokens
	@mkdir -p $(CBUILD)
	gcc -std=c11 -O2 -Iinclude benches/c/bench.c $(RELEASE)/libtessera.a -ljwt -lcrypto $(CLIBS) -o $(CBUILD)/bench
	$(CBUILD)/bench target/bench-tokens/small.jwt target/bench-tokens/access.jwt target/bench-tokens/large.jwt | tee target/bench-c.txt

bench-js: wasm
	node benches/js/bench.mjs | tee target/bench-js.txt
	node benches/js/paired.mjs | tee -a target/bench-js.txt
	node benches/js/public-key.mjs | tee -a target/bench-js.txt
	wasm/node_modules/@deno/linux-x64-glibc/deno run --allow-read benches/js/runtimes.mjs | tee -a target/bench-js.txt
	$(NODE_BIN)/bun benches/js/runtimes.mjs | tee -a target/bench-js.txt
	node benches/js/workerd.mjs | tee -a target/bench-js.txt
	node benches/js/workerd-public-key.mjs | tee -a target/bench-js.txt

# All three, then one Markdown table: benches/RESULTS.md.
bench: bench-rust bench-c bench-js
	python3 benches/report.py > /dev/null
	@echo "wrote benches/RESULTS.md"

# --- all ------------------------------------------------------------------

# Every suite in turn, each timed (the fresh-machine budget is 30 minutes:
# the times show where it goes).
TEST_SUITES := lint vectors-check test-rust test-aarch64 test-c test-python test-js test-httpd package-check demo-lifecycle miri fuzz-smoke
test:
	@for s in $(TEST_SUITES); do \
	  start=$$(date +%s); $(MAKE) --no-print-directory $$s || { echo "make test: $$s FAILED"; exit 1; }; \
	  echo "== make test: $$s took $$(( $$(date +%s) - start )) s"; \
	done
	@echo "make test: all suites passed"

# The terminal demos, then the edge-auth app in workerd and the image
# service (httpd + mod_tessera) until Ctrl-C.
demo: demo-lifecycle edge-auth httpd-module
	cargo run --release -q -p tessera-core --example demo
	node wasm/examples/edge-auth/server.mjs
