# Two commands for a newcomer: `make run` and `make test`. Both set everything up first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test test-quick test-journeys lint format messages lock bench-import bench-dashboard clean

# The exact versions (and hashes) every machine installs: made by uv from pyproject.toml
# (`make lock`); requirements/production.lock is the same without the dev extras (Dockerfile).
LOCK := requirements/dev.lock

$(STAMP): pyproject.toml $(LOCK)
	@$(PYTHON) -c 'import sys; sys.exit("Python 3.11 or newer is needed, found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $(STAMP)

install: $(STAMP)

## Set up, migrate, load the demo and start the web server with a background worker.
run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	HOST=$(HOST) PORT=$(PORT) bin/run-dev

# Test processes: one per core (pytest-xdist); `make test PYTEST_WORKERS=0` runs in one process.
PYTEST_WORKERS ?= auto

## Set up and run the whole suite: lint, layering, types, migrations check, tests.
test: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy
	DJANGO_SETTINGS_MODULE=commerce_base.settings.test $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadgroup

## The quick loop while working: the same checks, without the tests marked slow.
test-quick: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadgroup -m "not slow"

## The browser journeys alone (README: Development), on the DATABASE_URL and REDIS_URL set;
## each journey's last page is kept in var/test-artefacts/journeys/.
test-journeys: install
	$(BIN)/python -m pytest tests/browser/test_journeys.py

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## Refresh the lock files after changing the dependencies in pyproject.toml.
lock: install
	$(BIN)/uv pip compile pyproject.toml --universal --python-version 3.11 --generate-hashes \
		--quiet -o requirements/production.lock
	$(BIN)/uv pip compile pyproject.toml --extra dev --universal --python-version 3.11 \
		--generate-hashes --quiet -o requirements/dev.lock

## Refresh the translation catalogues after changing strings (needs GNU gettext).
messages: install
	$(BIN)/python manage.py makemessages --all --no-obsolete --ignore=.venv --ignore=var --ignore=bench
	$(BIN)/python manage.py compilemessages --ignore=.venv

## Benchmarks (README: Benchmarks); the import bench needs PostgreSQL (DATABASE_URL).
bench-import: install
	$(BIN)/python bench/import_bench.py --rows 200000

bench-dashboard: install
	$(BIN)/python bench/dashboard_bench.py

clean:
	rm -rf var/test .pytest_cache
