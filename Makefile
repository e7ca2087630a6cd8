# dropsync — build, run the example, test, benchmark.
# `make run` and `make test` install the Debian packages they need when they are missing.

SWIFT ?= swift
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
BUILD_DEPS := pkg-config zlib1g-dev libsqlite3-dev libjemalloc-dev librnp-dev libssh2-1-dev libssl-dev libcurl4-openssl-dev
RUN_DEPS := gzip gnupg
TEST_DEPS := $(BUILD_DEPS) $(RUN_DEPS) sqlite3 python3 python3-pip systemd openssh-server openssh-client openssl
# The test peers from PyPI: an FTP/FTPS server, moto's S3 server, and boto3 to check what reached it.
PYTHON_TEST_DEPS := pyftpdlib pyopenssl "moto[server]" boto3
PYTHON_TEST_MODULES := pyftpdlib,OpenSSL,moto,flask_cors,boto3
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
	@python3 -c "import $(PYTHON_TEST_MODULES)" 2>/dev/null || python3 -m pip install --quiet $(PYTHON_TEST_DEPS) \
		|| python3 -m pip install --quiet --break-system-packages $(PYTHON_TEST_DEPS)

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

# The end-to-end tests (dropsync processes and servers, waited on in blocking loops) run in a test
# process of their own: on 2 cores they would hold the threads the in-process async tests need.
test: deps-test
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --skip DropsyncCLITests
	$(SWIFT) test --skip-build --filter DropsyncCLITests

bench: deps-test
	$(SWIFT) build -c release --product dropsync
	$(SWIFT) build -c release --product dropsync-bench
	python3 bench/run.py

clean:
	rm -rf .build .run bench-work

## Installing as a systemd service. PREFIX holds the binary and the README; the unit, the
## sysusers.d and tmpfiles.d files go to /etc (systemd reads them there whatever PREFIX is, and the
## unit's paths are rewritten to PREFIX). conf.d/ is installed only where none exists. DESTDIR
## stages everything for packaging; without it, and with systemd running, the user and the drop
## zones are created and systemd reloaded; enabling the service is left to the operator.
PREFIX ?= /usr/local
UNIT_DIR ?= /etc/systemd/system
SYSUSERS_DIR ?= /etc/sysusers.d
TMPFILES_DIR ?= /etc/tmpfiles.d
CONFIG_DIR ?= /etc/dropsync/conf.d
LIVE_SYSTEMD = [ -z "$(DESTDIR)" ] && [ -d /run/systemd/system ]

.PHONY: install uninstall

install: deps
	$(SWIFT) build -c release --product dropsync
	install -D -m 0755 "$$($(SWIFT) build -c release --show-bin-path)/dropsync" "$(DESTDIR)$(PREFIX)/bin/dropsync"
	install -D -m 0644 README.md "$(DESTDIR)$(PREFIX)/share/doc/dropsync/README.md"
	install -d "$(DESTDIR)$(UNIT_DIR)"
	sed 's#/usr/local/#$(PREFIX)/#g' systemd/dropsync.service > "$(DESTDIR)$(UNIT_DIR)/dropsync.service"
	chmod 0644 "$(DESTDIR)$(UNIT_DIR)/dropsync.service"
	install -D -m 0644 systemd/dropsync.sysusers "$(DESTDIR)$(SYSUSERS_DIR)/dropsync.conf"
	install -D -m 0644 systemd/dropsync.tmpfiles "$(DESTDIR)$(TMPFILES_DIR)/dropsync.conf"
	@if [ -e "$(DESTDIR)$(CONFIG_DIR)" ]; then \
		echo "keeping the existing $(DESTDIR)$(CONFIG_DIR)"; \
	else \
		install -d -m 0755 "$(DESTDIR)$(CONFIG_DIR)" && install -m 0644 systemd/conf.d/*.json "$(DESTDIR)$(CONFIG_DIR)/"; \
	fi
	@if $(LIVE_SYSTEMD); then \
		systemd-sysusers "$(SYSUSERS_DIR)/dropsync.conf" && \
		systemd-tmpfiles --create "$(TMPFILES_DIR)/dropsync.conf" && \
		systemctl daemon-reload && \
		echo "installed; start it with: systemctl enable --now dropsync"; \
	fi

## Removes what `install` put in place except the configuration, the state (/var/lib/dropsync),
## the drop zones and the dropsync user, which hold the operator's data.
uninstall:
	@if $(LIVE_SYSTEMD); then systemctl disable --now dropsync.service || true; fi
	rm -f "$(DESTDIR)$(PREFIX)/bin/dropsync" "$(DESTDIR)$(UNIT_DIR)/dropsync.service" \
		"$(DESTDIR)$(SYSUSERS_DIR)/dropsync.conf" "$(DESTDIR)$(TMPFILES_DIR)/dropsync.conf"
	rm -rf "$(DESTDIR)$(PREFIX)/share/doc/dropsync"
	@if $(LIVE_SYSTEMD); then systemctl daemon-reload; fi
