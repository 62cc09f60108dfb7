# Bord: the two front doors are `make run` and `make test`.
# Installs come from the lock files in requirements/ (every package pinned, with hashes) and are
# stamped on them, so a second run installs nothing. `make lock` writes the lock files again.

PYTHON ?= python3
VENV ?= .venv
UV_VERSION ?= 0.13.8
HOST ?= 127.0.0.1
PORT ?= 8000

BIN := $(VENV)/bin
PY := $(BIN)/python
BORD := $(BIN)/bord
RUNTIME_STAMP := $(VENV)/.stamp-runtime
DEV_STAMP := $(VENV)/.stamp-dev
RUNTIME_LOCK := requirements/runtime.lock
DEV_LOCK := requirements/dev.lock

.DEFAULT_GOAL := help

.PHONY: help run serve test lint format install dev-install lock migrate demo bench bench-http clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)" \
		|| echo "uv could not be installed; falling back to pip"

# $(1): the lock file to install; Bord itself goes in editable, its dependencies all from the lock
define pip_install
	if [ -x $(BIN)/uv ] && $(BIN)/uv pip install --quiet --python $(PY) --require-hashes -r $(1) \
		&& $(BIN)/uv pip install --quiet --python $(PY) --no-deps -e .; then :; \
	else $(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r $(1) \
		&& $(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .; fi
endef

$(RUNTIME_STAMP): pyproject.toml $(RUNTIME_LOCK) | $(PY)
	@$(call pip_install,$(RUNTIME_LOCK))
	@touch $@

$(DEV_STAMP): pyproject.toml $(DEV_LOCK) | $(PY)
	@$(call pip_install,$(DEV_LOCK))
	@touch $@ $(RUNTIME_STAMP)

install: $(RUNTIME_STAMP) ## create .venv and install Bord

dev-install: $(DEV_STAMP) ## create .venv and install Bord with the dev tools

LOCK_ARGS := --quiet --universal --generate-hashes --python-version 3.11 pyproject.toml

lock: | $(PY) ## write requirements/*.lock again from pyproject.toml (after changing a pin)
	$(BIN)/uv pip compile $(LOCK_ARGS) -o $(RUNTIME_LOCK)
	$(BIN)/uv pip compile $(LOCK_ARGS) --extra dev -o $(DEV_LOCK)

run: install ## migrate, seed the demo school, print the logins, serve on http://127.0.0.1:8000
	$(BORD) db upgrade
	$(BORD) demo
	@echo
	@echo "Bord runs on http://$(HOST):$(PORT)  (Ctrl+C stops it)"
	$(BORD) serve --host $(HOST) --port $(PORT) --no-migrate

serve: install ## serve without seeding the demo school
	$(BORD) serve --host $(HOST) --port $(PORT)

migrate: install ## alembic upgrade head on the configured database
	$(BORD) db upgrade

demo: install ## seed the demo school (safe to run twice)
	$(BORD) db upgrade
	$(BORD) demo

lint: dev-install ## ruff check, ruff format --check and mypy (app/)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: dev-install ## ruff format and fix what ruff can
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# both cores; the tests that share Redis's channels run on one of them (tests/conftest.py)
PYTEST_ARGS ?= -n 2 --dist loadgroup --durations=30

# Every test server is a process of its own: let them share compiled bytecode even where the
# environment turns its cache off (PYTHONDONTWRITEBYTECODE), or each start compiles it all again.
test: dev-install lint ## lint, then the whole test suite
	PYTHONDONTWRITEBYTECODE= $(BIN)/pytest $(PYTEST_ARGS)

BENCH_ARGS ?= --screens 1000 --changes 50

bench: dev-install ## fan-out benchmark against a bare websockets baseline (BENCH_ARGS=...)
	$(PY) bench/fanout.py $(BENCH_ARGS)

BENCH_HTTP_ARGS ?= --db both

bench-http: dev-install ## HTTP benchmark (reads, edits, bursts) against a bare Starlette app (BENCH_HTTP_ARGS=...)
	$(PY) bench/http_load.py $(BENCH_HTTP_ARGS)

clean: ## remove caches and build output (keeps .venv and ./data)
	rm -rf .pytest_cache .ruff_cache .mypy_cache .hypothesis .schemathesis build dist *.egg-info test-results
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -exec rm -rf {} +
