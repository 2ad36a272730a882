# Two commands do all the set-up on a fresh clone: `make serve` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: install serve test lint typecheck check clean bench

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

serve: $(STAMP)
	$(BIN)/pillars serve --host $(HOST) --port $(PORT)

lint: $(STAMP)
	$(BIN)/ruff check pillars tests bench
	$(BIN)/ruff format --check pillars tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

test: lint typecheck
	$(BIN)/pytest

check: $(STAMP)
	$(BIN)/pillars check

# Benchmarks beside Oxigraph, Virtuoso, rdflib-endpoint (needs wrk, bench/.venv: docs/benchmarks.md).
bench: $(STAMP)
	$(BIN)/python -m bench all

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
