# Two commands do all the set-up on a fresh clone: `make serve` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: install deps serve test lint typecheck check clean bench

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# The system packages the tests need: Chromium (browser tests), a JDK (HermiT and the OWL 2 DL
# profile check) and Graphviz (the ontology diagram). Installed with apt-get when run as root;
# otherwise the missing ones are named, and the tests that need them skip (fail with CI=true).
deps:
	@need=""; \
	command -v chromium >/dev/null 2>&1 || need="$$need chromium"; \
	command -v java >/dev/null 2>&1 || need="$$need default-jre-headless"; \
	command -v javac >/dev/null 2>&1 || need="$$need default-jdk-headless"; \
	command -v dot >/dev/null 2>&1 || need="$$need graphviz"; \
	if [ -z "$$need" ]; then echo "deps: chromium, java, javac and dot are installed"; \
	elif [ "$$(id -u)" = 0 ]; then \
	  echo "deps: installing$$need"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$need >/dev/null; \
	else echo "deps: missing$$need; install them with: sudo apt-get install$$need"; fi

serve: $(STAMP)
	$(BIN)/pillars serve --host $(HOST) --port $(PORT)

lint: $(STAMP)
	$(BIN)/ruff check pillars tests bench
	$(BIN)/ruff format --check pillars tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

test: deps lint typecheck
	$(BIN)/pytest

check: $(STAMP)
	$(BIN)/pillars check

# Benchmarks beside Oxigraph, Virtuoso, rdflib-endpoint (needs wrk, bench/.venv: docs/benchmarks.md).
bench: $(STAMP)
	$(BIN)/python -m bench all

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
