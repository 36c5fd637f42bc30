# Congress Prep: `make run` serves the embedded demo, `make test` runs the whole suite.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
HOST   ?= 127.0.0.1

# pip-compile runs from its own throwaway venv, never from the project's.
LOCK_VENV ?= /tmp/congress-pip-tools

.PHONY: run test install lock migrate demo lint typecheck format bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# The exact versions CI tests, each with its hashes; the project itself on top, with no resolving.
$(VENV)/.installed: requirements.lock pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

install: $(VENV)/.installed

# Regenerates requirements.lock from pyproject.toml (dependencies + [dev]), keeping the pins that
# still fit; LOCK_ARGS=--upgrade (or "--upgrade-package django") to move versions.
lock:
	test -x $(LOCK_VENV)/bin/pip-compile || { $(PYTHON) -m venv $(LOCK_VENV) && \
		$(LOCK_VENV)/bin/pip install --quiet "pip-tools>=7.5,<8"; }
	CUSTOM_COMPILE_COMMAND="make lock" $(LOCK_VENV)/bin/pip-compile --quiet --extra dev \
		--generate-hashes --strip-extras --no-emit-index-url --no-emit-trusted-host \
		--no-emit-find-links --output-file requirements.lock $(LOCK_ARGS) pyproject.toml

migrate: install
	mkdir -p var
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_demo --if-empty

run: demo
	@echo "Congress Prep on http://$(HOST):$(PORT)/  (API: /api/v1/, docs: /api/v1/docs/, admin: /admin/)"
	HOST=$(HOST) PORT=$(PORT) $(BIN)/python -m uvicorn config.asgi:application --host $(HOST) --port $(PORT) --ws websockets-sansio --ws-max-size 65536

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Scale benchmarks (not tests): seeds PostgreSQL database congress_bench on 127.0.0.1:5432
# (BENCH_PG_* to change), starts its own redis-server on 6390, servers and a worker, prints the
# figures and writes benchmarks/RESULTS.md. BENCH_ARGS="--scale 0.05" for a small data set.
# psycopg-pool only serves a "what if" row (Django's connection pool); it is not a dependency.
bench: install
	$(BIN)/python -m pip install --quiet "psycopg-pool>=3.2,<4"
	$(BIN)/python benchmarks/run.py $(BENCH_ARGS)

lint: install typecheck
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run

# mypy on the rules, selectors and services ([tool.mypy] in pyproject.toml says which are strict).
typecheck: install
	$(BIN)/python -m mypy

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf var/congress.sqlite3 var/static
