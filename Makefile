# One target per task. Every target creates .venv and installs the project on first use,
# so `make serve` and `make test` work on a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: serve build test lint format validate coverage bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

serve: $(STAMP) ## Build the site and serve it at http://127.0.0.1:8000, reloading on changes
	$(BIN)/kb serve

build: $(STAMP) ## Validate, build the site into site/, index it for search and check the counts
	$(BIN)/kb build

test: $(STAMP) ## Run every test, browser tests included
	$(BIN)/python -m pytest

lint: $(STAMP) ## Check code style and lint
	$(BIN)/ruff check scripts tests
	$(BIN)/ruff format --check scripts tests

format: $(STAMP)
	$(BIN)/ruff format scripts tests
	$(BIN)/ruff check --fix scripts tests

validate: $(STAMP) ## Check every case study
	$(BIN)/kb validate

coverage: $(STAMP) ## Show which categories, regions and commissioner types need case studies
	$(BIN)/kb coverage

bench: $(STAMP) ## Time kb build against bare mkdocs-material + Pagefind (BENCH_ARGS="--sizes 1000,3000,10000")
	$(BIN)/python benchmarks/bench.py $(BENCH_ARGS)

clean:
	rm -rf site .pytest_cache .ruff_cache
