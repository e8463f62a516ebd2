# plotwatch: `make demo` and `make test` do all set-up on a fresh machine.
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin
PIP = $(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt

.PHONY: demo test lint typecheck pytest dev-score clean vendor bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.demo-installed: pyproject.toml constraints.txt | $(BIN)/python
	$(PIP) -e .
	touch $@

$(VENV)/.test-installed: pyproject.toml constraints.txt | $(BIN)/python
	$(PIP) -e '.[test]'
	touch $@ $(VENV)/.demo-installed

demo: $(VENV)/.demo-installed
	$(BIN)/plotwatch demo --db plotwatch.db
	@echo ""
	@echo "Browse it in the web app:"
	@echo "  $(BIN)/plotwatch user add admin --role admin --db plotwatch.db   # asks for a password"
	@echo "  $(BIN)/plotwatch serve --db plotwatch.db                         # then open http://127.0.0.1:8000/"

lint: $(VENV)/.test-installed
	$(BIN)/ruff check plotwatch tests

typecheck: $(VENV)/.test-installed
	$(BIN)/mypy

pytest: $(VENV)/.test-installed
	$(BIN)/pytest -q

test: lint typecheck pytest

# Throughput and memory on a generated corpus (benchmarks/run.py; minutes, not part of `make test`).
bench: $(VENV)/.test-installed
	$(BIN)/python -m benchmarks.run $(BENCH_ARGS)

# Score the development set (../shared/eval/dev) with the reference scorer.
DEV ?= ../shared/eval/dev
dev-score: $(VENV)/.demo-installed
	rm -f dev.db
	$(BIN)/plotwatch run $(DEV)/articles.jsonl --db dev.db
	$(BIN)/plotwatch export --db dev.db --format jsonl --what events -o dev-events.jsonl
	$(BIN)/python $(DEV)/../score.py --gold $(DEV)/gold.jsonl --articles $(DEV)/articles.jsonl --pred dev-events.jsonl

clean:
	rm -rf $(VENV) plotwatch.db dev.db dev-events.jsonl .mypy_cache .pytest_cache .ruff_cache .hypothesis

# The map's JavaScript and country outlines, from npm with their licences, into the
# package's static folder. Run by hand to upgrade them; the result is committed, so
# neither CI nor `make demo` needs npm.
VENDOR = plotwatch/web/static/vendor
NPM_VENDOR = world-atlas@2.0.2 d3-array@3.2.5 d3-geo@3.1.2 topojson-client@3.1.0
vendor:
	set -e; tmp=$$(mktemp -d); \
	npm install --no-save --no-package-lock --ignore-scripts --no-audit --no-fund --prefix $$tmp $(NPM_VENDOR); \
	mods=$$tmp/node_modules; \
	rm -rf $(VENDOR)/world-atlas $(VENDOR)/d3-array $(VENDOR)/d3-geo $(VENDOR)/topojson-client; \
	mkdir -p $(VENDOR)/world-atlas; \
	cp $$mods/world-atlas/countries-110m.json $$mods/world-atlas/LICENSE $$mods/world-atlas/package.json $(VENDOR)/world-atlas/; \
	for p in d3-array d3-geo topojson-client; do \
		mkdir -p $(VENDOR)/$$p; \
		cp $$mods/$$p/dist/$$p.min.js $$mods/$$p/LICENSE $$mods/$$p/package.json $(VENDOR)/$$p/; \
	done; \
	rm -rf $$tmp
