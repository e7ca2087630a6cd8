# dropsync — build, run the example, test, benchmark.
# `make run` and `make test` install the Debian packages they need when they are missing.

SWIFT ?= swift
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
BUILD_DEPS := pkg-config zlib1g-dev libsqlite3-dev libjemalloc-dev librnp-dev
RUN_DEPS := gzip gnupg
TEST_DEPS := $(BUILD_DEPS) $(RUN_DEPS) sqlite3 python3
BIN := .build/debug/dropsync
RUN_STATE := .run/state
RUN_FLAGS := --config conf.d --state-dir $(RUN_STATE)

.PHONY: deps deps-test build run test bench clean

# Installs each Debian package that is not installed yet (apt-get update once, only if needed).
define install_missing
	@missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		$(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi
endef

deps:
	$(call install_missing,$(BUILD_DEPS) $(RUN_DEPS))

deps-test:
	$(call install_missing,$(TEST_DEPS))

build: deps
	$(SWIFT) build --product dropsync

## Runs the example conf.d under the daemon, in the foreground: makes a demo key, encrypts the sample
## partner file to it (as the partner would, with GnuPG), starts `dropsync serve` and drops the file
## into its drop zone (.run/inbound). Ctrl-C stops it.
run: build
	@rm -rf .run && mkdir -p .run/rejected
	./examples/prepare-demo.sh
	$(BIN) check --config conf.d
	@echo "== dropsync serve on conf.d; Ctrl-C stops it. Meanwhile, in another terminal:"
	@echo "   $(BIN) files $(RUN_FLAGS)            # the ledger: every file and what became of it"
	@echo "   $(BIN) accounts get fan-0003 $(RUN_FLAGS)"
	@echo "   cp .run/partner/fans-2026-11-29.csv.gz.pgp .run/inbound/again.csv.gz.pgp   # drop another file"
	@( sleep 1; for file in .run/partner/*; do \
		cp "$$file" ".run/inbound/.$$(basename "$$file").part" && mv ".run/inbound/.$$(basename "$$file").part" .run/inbound/$$(basename "$$file"); \
	done ) &
	$(BIN) serve $(RUN_FLAGS)

test: deps-test
	$(SWIFT) build
	$(SWIFT) test

bench: deps-test
	$(SWIFT) build -c release --product dropsync
	$(SWIFT) build -c release --product dropsync-bench
	python3 bench/run.py

clean:
	rm -rf .build .run bench-work
