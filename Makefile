# plotwatch: `make demo` and `make test` do all set-up on a fresh machine.
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin
PIP = $(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt

.PHONY: demo test lint typecheck pytest dev-score clean

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

lint: $(VENV)/.test-installed
	$(BIN)/ruff check plotwatch tests

typecheck: $(VENV)/.test-installed
	$(BIN)/mypy

pytest: $(VENV)/.test-installed
	$(BIN)/pytest -q

test: lint typecheck pytest

# Score the development set (../shared/eval/dev) with the reference scorer.
DEV ?= ../shared/eval/dev
dev-score: $(VENV)/.demo-installed
	rm -f dev.db
	$(BIN)/plotwatch run $(DEV)/articles.jsonl --db dev.db
	$(BIN)/plotwatch export --db dev.db --format jsonl --what events -o dev-events.jsonl
	$(BIN)/python $(DEV)/../score.py --gold $(DEV)/gold.jsonl --articles $(DEV)/articles.jsonl --pred dev-events.jsonl

clean:
	rm -rf $(VENV) plotwatch.db dev.db dev-events.jsonl .mypy_cache .pytest_cache .ruff_cache
