# Two commands on a fresh machine: `make plan` (offline plan) and `make test`.
PYTHON ?= python3
VENV := venv
PY := $(VENV)/bin/python
# Everything installs from the lock, with hashes; `make lock` regenerates it from requirements*.txt.
LOCK := requirements.lock
STAMP := $(VENV)/.installed-$(shell cksum < $(LOCK) | cut -d' ' -f1)
COMPILE := $(PY) -m piptools compile --quiet --generate-hashes --allow-unsafe --strip-extras \
	--no-emit-find-links --no-emit-index-url

.PHONY: setup plan test test-unit lint lock bench docs snapshots clean

$(STAMP):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes -r $(LOCK)
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
	$(VENV)/bin/zizmor --offline --persona auditor --quiet .github/workflows

test: lint
	$(PY) -m pytest -q

# The unit tier alone, in one process: model, analysis, plan functions, policies on fixtures.
test-unit: $(STAMP)
	$(PY) -m pytest -q -n 0 tests/unit

# Pin every dependency (and its hashes) again after editing requirements*.txt; commit the locks.
lock: $(STAMP)
	$(COMPILE) --output-file $(LOCK) requirements.txt requirements-dev.txt policies/requirements.txt
	$(COMPILE) --output-file policies/requirements.lock policies/requirements.txt

# Regenerate the tables in docs/ that come from the code (a unit test fails when they drift).
docs: $(STAMP)
	$(PY) -m docgen

# Rewrite the URN and replacing-input snapshots (tests/snapshots/) after a change that is meant to
# rename or replace something; review the diff, and give a renamed resource an `aliases` entry.
snapshots: $(STAMP)
	$(PY) -m tests.snapshots

bench: $(STAMP)
	$(PY) -m synth --bench

clean:
	rm -rf build .mypy_cache .ruff_cache .pytest_cache
