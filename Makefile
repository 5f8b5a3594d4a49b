# Two commands on a fresh machine: `make plan` (offline plan) and `make test`.
PYTHON ?= python3
VENV := venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt $(wildcard policies/requirements.txt) | cksum | cut -d' ' -f1)

.PHONY: setup plan test test-unit lint bench docs clean

$(STAMP):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt -r requirements-dev.txt $(if $(wildcard policies/requirements.txt),-r policies/requirements.txt)
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

setup: $(STAMP)

plan: $(STAMP)
	$(PY) -m synth --all

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy
	$(VENV)/bin/lint-imports --no-cache

test: lint
	$(PY) -m pytest -q

# The unit tier alone, in one process: model, analysis, plan functions, policies on fixtures.
test-unit: $(STAMP)
	$(PY) -m pytest -q -n 0 tests/unit

# Regenerate the tables in docs/ that come from the code (a unit test fails when they drift).
docs: $(STAMP)
	$(PY) -m docgen

bench: $(STAMP)
	$(PY) -m synth --bench

clean:
	rm -rf build .mypy_cache .ruff_cache .pytest_cache
