# Koers: `make run` starts the demo, `make test` runs the whole suite. See README.md.
SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
UV_VERSION := 0.13.9
STAMP := $(VENV)/.installed
# Tests that need no database: they run once; the database tests run on SQLite and PostgreSQL.
PURE_TESTS := tests/stats tests/hrfile tests/instruments tests/cli
PG_URL_DEFAULT := postgres://postgres@127.0.0.1:5432/koers_test
# Test processes: both cores by default (pytest-xdist); PYTEST_WORKERS=0 runs in one process.
PYTEST_WORKERS ?= 2
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: help setup run demo test test-fast test-sqlite test-postgres e2e lint typecheck lock messages worker bench clean

help:
	@echo "make run    - set up, load the demo and serve Koers on http://127.0.0.1:$(PORT)"
	@echo "make test   - set up and run the whole test suite (SQLite, and PostgreSQL when reachable)"
	@echo "make test-fast - the quick part on SQLite: no fuzzers, Celery worker, backups or browser"
	@echo "make e2e    - browser tests in headless Chromium"
	@echo "make lint / typecheck / lock / messages / worker / bench / clean"

setup: $(STAMP)
	@scripts/ensure-pdf-libs

$(STAMP): pyproject.toml requirements.lock
	@py=$$(scripts/find-python) || exit 1; \
	if [ ! -x $(BIN)/python ]; then echo "Creating $(VENV) with $$py"; "$$py" -m venv $(VENV) || exit 1; fi
	$(BIN)/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"
	$(BIN)/uv pip install --quiet --python $(BIN)/python -r requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	@touch $(STAMP)
	@echo "Koers is installed: $(BIN)/koers"

messages: setup
	@if command -v msgfmt >/dev/null; then cd src/koers && DEBUG=1 ../../$(BIN)/koers manage compilemessages --ignore=.venv >/dev/null; \
	else echo "msgfmt not found: using the committed .mo files"; fi

demo: setup
	DEBUG=1 $(BIN)/koers manage migrate --noinput
	DEBUG=1 SITE_URL=http://127.0.0.1:$(PORT) $(BIN)/koers manage load_demo

run: demo
	DEBUG=1 SITE_URL=http://127.0.0.1:$(PORT) $(BIN)/koers manage runserver 127.0.0.1:$(PORT)

worker: setup
	$(BIN)/celery -A koers.celery worker --loglevel=INFO

lint: setup
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: setup
	KOERS_TESTING=1 $(BIN)/mypy src/koers

test: setup lint typecheck
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres

test-sqlite: setup
	env -u DATABASE_URL $(BIN)/pytest -m "not e2e" -p no:cacheprovider -n $(PYTEST_WORKERS)

# The quick part while working (tests marked slow or e2e left out); `make test` runs them all.
test-fast: setup
	env -u DATABASE_URL $(BIN)/pytest -m "not slow and not e2e" -p no:cacheprovider -n $(PYTEST_WORKERS)

# PostgreSQL run: required under CI=true, otherwise run when reachable.
test-postgres: setup
	@url="$${DATABASE_URL:-$(PG_URL_DEFAULT)}"; \
	if $(BIN)/python scripts/db-reachable "$$url"; then \
	  echo "== database tests on PostgreSQL ($$url) =="; \
	  DATABASE_URL="$$url" $(BIN)/pytest -m "not e2e" -p no:cacheprovider -n $(PYTEST_WORKERS) $(addprefix --ignore=,$(PURE_TESTS)); \
	elif [ "$${CI:-}" = "true" ]; then \
	  echo "PostgreSQL is not reachable at $$url, and CI requires it." >&2; exit 1; \
	else \
	  echo "PostgreSQL not reachable at $$url: skipped the PostgreSQL run (set DATABASE_URL to run it)."; \
	fi

e2e: setup
	@scripts/ensure-chromium
	env -u DATABASE_URL $(BIN)/pytest -m e2e -p no:cacheprovider tests/e2e

bench: setup
	@for b in bench/*_bench.py; do echo "== $$b"; $(BIN)/python $$b --quick || exit 1; done

lock: $(BIN)/uv
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 -o requirements.lock

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
