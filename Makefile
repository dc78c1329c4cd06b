# The two commands: `make dataset` (build + validate + summary) and `make test` (the whole suite).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: dataset test bench docs clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "need $(PYTHON) on PATH (or set PYTHON=...)"; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip==26.3"
	$(BIN)/python -m pip install --quiet -e ".[build,test]"
	@touch $(STAMP)

dataset: $(STAMP)
	$(BIN)/depeche build
	$(BIN)/python scripts/generate_docs.py
	$(BIN)/depeche validate

test: $(STAMP)
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python scripts/bench.py

docs: $(STAMP)
	$(BIN)/python scripts/generate_docs.py

clean:
	rm -rf $(VENV) build *.egg-info
