# Congress Prep: `make run` serves the embedded demo, `make test` runs the whole suite.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
HOST   ?= 127.0.0.1

.PHONY: run test install migrate demo lint format bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed

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

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf var/congress.sqlite3 var/static
