# The two commands of the README: `make run` and `make test`. Both set up whatever is missing.
SHELL := /bin/bash
.DEFAULT_GOAL := help

UV := $(shell command -v uv 2>/dev/null)
ifeq ($(UV),)
UV := python3 -m uv
endif

PG_URL := postgresql+asyncpg://postgres@127.0.0.1:5432/postgres
DEBIAN_PACKAGES := fonts-noto-cjk libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0
# The browser tests (tests/browser) drive Debian's chromium: `make test` installs it too, `make run` does not.
test: DEBIAN_PACKAGES += chromium

.PHONY: help run test test-sqlite test-postgres lint setup uv system-packages postgres messages

help:
	@echo "make run    set up, upgrade the SQLite database, load the demo city, serve on http://127.0.0.1:8000"
	@echo "make test   set up and run the whole suite on SQLite and on PostgreSQL"
	@echo "make lint   ruff and mypy"

# The demo city's history ends in 2017; it is shown as of this day (AS_OF in src/incubator/demo/city.py).
DEMO_TODAY := 2018-01-15

run: setup
	@mkdir -p var
	$(UV) run incubator database upgrade --no-prompt
	$(UV) run incubator demo load
	@$(UV) run incubator demo accounts
	INCUBATOR_DEMO_TODAY=$(DEMO_TODAY) $(UV) run incubator run

test: setup postgres test-sqlite test-postgres

test-sqlite:
	INCUBATOR_TEST_DATABASE_URL= $(UV) run pytest

test-postgres: postgres
	INCUBATOR_TEST_DATABASE_URL=$(PG_URL) $(UV) run pytest

lint: setup
	$(UV) run ruff check src tests migrations bench
	$(UV) run ruff format --check src tests migrations bench
	$(UV) run mypy

setup: uv system-packages
	$(UV) sync --locked --compile-bytecode

# uv from PyPI; on a Debian Python (PEP 668, maybe without pip) as root, pip comes from apt first.
uv:
	@$(UV) --version >/dev/null 2>&1 || { \
	  python3 -m pip --version >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && apt-get update -qq && apt-get install -y -qq python3-pip >/dev/null; }; \
	  python3 -m pip install --quiet --user uv 2>/dev/null || python3 -m pip install --quiet --user --break-system-packages uv; }

# Pango and a CJK font for the Chinese PDFs (and chromium under `make test`); installed when missing and we may (root).
system-packages:
	@missing=$$(for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing $$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	  else echo "warning: missing Debian packages (run as root to install): $$missing"; fi; \
	fi

postgres:
	@pg_isready -q -h 127.0.0.1 -p 5432 || pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start
	@for i in $$(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && exit 0; sleep 1; done; echo "PostgreSQL did not start"; exit 1

# Re-extract the messages and merge them into the catalogs (then translate the new zh_CN entries).
messages: setup
	$(UV) run pybabel extract -F babel.cfg -k _ -k N_ -k lazy_gettext -o var/messages.pot --no-location --sort-output .
	$(UV) run pybabel update -i var/messages.pot -d src/incubator/locale --no-fuzzy-matching --ignore-obsolete
