# Two commands do all the set-up on a fresh clone: `make serve` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: install deps assets serve test lint typecheck check clean bench

# Front-end libraries: pinned in package.json + package-lock.json, installed by `npm ci` and
# copied into the package's static files (git-ignored, never committed). A new library: its
# exact version in package.json (`npm install --save-exact`), then one `cp` line here for its
# built file and its licence; pages load them from static/vendor/<file name>.
VENDOR_DIR   := pillars/server/static/vendor
VENDOR_STAMP := $(VENDOR_DIR)/.installed

$(VENDOR_STAMP): package.json package-lock.json Makefile
	npm ci --no-audit --no-fund --loglevel=error
	mkdir -p $(VENDOR_DIR)
	cp node_modules/elkjs/lib/elk.bundled.js $(VENDOR_DIR)/elk.bundled.js
	cp node_modules/elkjs/LICENSE.md $(VENDOR_DIR)/elkjs.LICENSE.md
	touch $(VENDOR_STAMP)

assets: $(VENDOR_STAMP)

# `assets` is order-only: new front-end files do not reinstall the venv, but every target that
# needs the venv (serve, test, lint ...) brings the vendor folder up to date first.
$(STAMP): pyproject.toml | assets
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# The system packages the tests need: Chromium (browser tests), a JDK (HermiT and the OWL 2 DL
# profile check), Graphviz (the ontology diagram) and Node.js with npm (the front-end libraries,
# `make assets`). Installed with apt-get when run as root; otherwise the missing ones are named,
# and the tests that need them skip (fail with CI=true); without npm `make assets` stops.
deps:
	@need=""; \
	command -v chromium >/dev/null 2>&1 || need="$$need chromium"; \
	command -v java >/dev/null 2>&1 || need="$$need default-jre-headless"; \
	command -v javac >/dev/null 2>&1 || need="$$need default-jdk-headless"; \
	command -v dot >/dev/null 2>&1 || need="$$need graphviz"; \
	command -v npm >/dev/null 2>&1 || need="$$need nodejs npm"; \
	if [ -z "$$need" ]; then echo "deps: chromium, java, javac, dot and npm are installed"; \
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
	rm -rf $(VENV) var build .pytest_cache .mypy_cache .ruff_cache node_modules $(VENDOR_DIR)
