# The two commands: `make run` starts the gateway, `make test` passes the tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FRONTEND_SOURCES := $(shell find frontend/src frontend/index.html frontend/package.json frontend/vite.config.ts -type f 2>/dev/null)

.PHONY: run test test-python test-frontend lint check frontend clean bench test-faults

run: $(VENV)/.installed frontend
	$(BIN)/python scripts/run.py

# TEST_FRONTEND=0 leaves the dashboard's checks out (.ci/run runs them beside this).
test: $(VENV)/.dev-installed frontend
	$(BIN)/ruff check .
	$(BIN)/python manage.py makemigrations --check --dry-run > /dev/null
	$(BIN)/pytest
	@if [ -f frontend/package.json ] && [ "$(TEST_FRONTEND)" != 0 ]; then $(MAKE) test-frontend; fi

test-python: $(VENV)/.dev-installed frontend
	$(BIN)/pytest

test-frontend: frontend/node_modules/.installed
	cd frontend && npm run typecheck && npm run lint && npm test

# Fault tests: real gunicorn + Celery against a PostgreSQL and a Redis of their own,
# stopped and restarted under load (tests/faults/conftest.py). A few minutes.
test-faults: $(VENV)/.dev-installed
	RELAYCORE_VAR_DIR=$${RELAYCORE_VAR_DIR:-var/test-faults} \
	EMBEDDED_REDIS_PORT=$${EMBEDDED_REDIS_PORT:-6393} $(BIN)/pytest tests/faults

# Benchmarks of issue 5 on this machine's PostgreSQL and Redis; writes docs/benchmarks.md.
# BENCH_ARGS=--quick for a smoke run (report in var/benchmarks-quick.md).
# The measured services run from var/bench-venv, requirements.txt alone, as `make run`
# and the image install them (bench/services.py SERVICE_PYTHON).
BENCH_VENV := var/bench-venv
bench: $(VENV)/.dev-installed $(BENCH_VENV)/.installed
	BENCH_SERVICE_PYTHON=$(CURDIR)/$(BENCH_VENV)/bin/python $(BIN)/python -m bench $(BENCH_ARGS)

$(BENCH_VENV)/.installed: requirements.txt
	test -d $(BENCH_VENV) || $(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/pip install --quiet --upgrade pip
	$(BENCH_VENV)/bin/pip install --quiet -r requirements.txt
	touch $@

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

$(VENV)/.installed: requirements.txt
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.installed $@

# The dashboard is rebuilt only when its sources changed.
frontend: $(if $(wildcard frontend/package.json),frontend/dist/index.html)

frontend/node_modules/.installed: frontend/package.json frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund
	touch $@

frontend/dist/index.html: frontend/node_modules/.installed $(FRONTEND_SOURCES)
	cd frontend && npm run build

clean:
	rm -rf $(VENV) frontend/node_modules frontend/dist var/test var/test-embedded var/ci $(BENCH_VENV)
