# dropsync — build, run the example, test, benchmark.
# `make run` and `make test` install the Debian packages they need when they are missing.

SWIFT ?= swift
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
BUILD_DEPS := pkg-config zlib1g-dev libsqlite3-dev libjemalloc-dev librnp-dev
RUN_DEPS := gzip gnupg
TEST_DEPS := $(BUILD_DEPS) $(RUN_DEPS) sqlite3 python3
BIN := .build/debug/dropsync
RUN_STATE := .run/state

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

## Runs the example conf.d: makes a demo key, encrypts the sample partner file to it (as the partner
## would, with GnuPG), imports it into a fresh local state and shows the result.
run: build
	@rm -rf .run && mkdir -p .run/rejected
	./examples/prepare-demo.sh
	$(BIN) check --config conf.d
	$(BIN) run import-partner-fans --config conf.d --state-dir $(RUN_STATE)
	@echo; echo "== accounts in the store:"; $(BIN) accounts count --config conf.d --state-dir $(RUN_STATE)
	@echo; echo "== dropsync accounts get fan-0003:"; $(BIN) accounts get fan-0003 --config conf.d --state-dir $(RUN_STATE)
	@echo; echo "== rejected rows (.run/rejected):"; cat .run/rejected/*.csv
	@echo; echo "== dropsync jobs:"; $(BIN) jobs --config conf.d --state-dir $(RUN_STATE)

test: deps-test
	$(SWIFT) build
	$(SWIFT) test

bench: deps-test
	$(SWIFT) build -c release --product dropsync
	$(SWIFT) build -c release --product dropsync-bench
	python3 bench/run.py

clean:
	rm -rf .build .run bench-work
