# Two commands on a fresh machine: `make plan` (offline plan) and `make test`.
.DEFAULT_GOAL := help
PYTHON ?= python3
VENV := venv
PY := $(VENV)/bin/python
# Everything installs from the lock, with hashes; `make lock` regenerates it from requirements*.txt.
LOCK := requirements.lock
# uv installs the same hashed lock in seconds (it honours --require-hashes); uv itself comes from a
# hashed lock of its own. `make setup INSTALLER=pip` installs with pip alone.
UV_LOCK := requirements-uv.lock
INSTALLER ?= uv
STAMP := $(VENV)/.installed-$(shell cat $(LOCK) $(UV_LOCK) | cksum | cut -d' ' -f1)
# The policy pack runs in its own virtual environment (policies/PulumiPolicy.yaml: virtualenv venv),
# which `pulumi up --policy-pack policies` uses as it finds it.
POLICY_VENV := policies/venv
POLICY_LOCK := policies/requirements.lock
POLICY_STAMP := $(POLICY_VENV)/.installed-$(shell cksum < $(POLICY_LOCK) | cut -d' ' -f1)
COMPILE := $(PY) -m piptools compile --quiet --generate-hashes --allow-unsafe --strip-extras \
	--no-emit-find-links --no-emit-index-url

.PHONY: help setup plan deploy preview destroy test test-slow test-unit lint lock bench docs snapshots mutation clean

help:  ## this list
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/^([a-z-]+):.*## /  make \1\t/' | expand -t 22

$(STAMP):
	$(PYTHON) -m venv $(VENV)
ifeq ($(INSTALLER),uv)
	$(PY) -m pip install --quiet --require-hashes -r $(UV_LOCK)
	$(VENV)/bin/uv pip install --quiet --require-hashes --compile-bytecode --python $(PY) -r $(LOCK)
else
	$(PY) -m pip install --quiet --require-hashes -r $(LOCK)
endif
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

$(POLICY_STAMP): $(STAMP)
	$(PYTHON) -m venv $(POLICY_VENV)
ifeq ($(INSTALLER),uv)
	$(VENV)/bin/uv pip install --quiet --require-hashes --python $(POLICY_VENV)/bin/python -r $(POLICY_LOCK)
else
	$(POLICY_VENV)/bin/python -m pip install --quiet --require-hashes -r $(POLICY_LOCK)
endif
	rm -f $(POLICY_VENV)/.installed-*
	touch $(POLICY_STAMP)

setup: $(STAMP) $(POLICY_STAMP)  ## both venvs from their hashed locks: the program's and the policy pack's

plan: $(STAMP)  ## the offline plan of every stack -> build/ (PLAN_ARGS="--diff DIR": changes against an earlier plan)
	$(PY) -m synth --all $(PLAN_ARGS)

deploy: $(STAMP) $(POLICY_STAMP)  ## preflight, every stack in priority order with the policy pack, verify
	$(PY) -m deploy $(if $(STATE_BUCKET),--state-bucket $(STATE_BUCKET),)

preview: $(STAMP) $(POLICY_STAMP)  ## the same, with previews and no verify
	$(PY) -m deploy --preview

destroy: $(STAMP)  ## tear a dev estate down, stacks in reverse priority order (refused outside dev)
	$(PY) -m deploy --destroy

lint: $(STAMP)  ## ruff, mypy, import contracts, workflow audit
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/zizmor --offline --persona auditor --quiet .github/workflows

# The project's own bytecode, compiled once: every test process (workers, warm evaluators, the
# command lines the tests run) reads it instead of compiling ~250 modules again, which it would
# under PYTHONDONTWRITEBYTECODE (set on the build machines). __pycache__ is ignored by git.
BYTECODE := $(PY) -m compileall -q components inferadb synth preflight policies/*.py deploy docgen tests __main__.py

test: lint  ## lint, then the suite with coverage (CI also runs test-slow)
	@$(BYTECODE) >/dev/null
	$(PY) -m pytest -q -m "not slow" --cov --cov-report=term

# Real processes that wait: network namespaces (root, ip, nft), grpcurl, unreachable endpoints.
test-slow: $(STAMP)  ## the slow tier: real processes that wait
	@$(BYTECODE) >/dev/null
	$(PY) -m pytest -q -m slow

# The unit tier alone, in one process: model, analysis, plan functions, policies on fixtures.
test-unit: $(STAMP)  ## the unit tier alone, in one process
	$(PY) -m pytest -q -n 0 tests/unit

# Pin every dependency (and its hashes) again after editing requirements*.txt; commit the locks.
lock: $(STAMP)  ## re-pin every dependency with hashes
	$(COMPILE) --output-file $(LOCK) requirements.txt requirements-dev.txt policies/requirements.txt
	$(COMPILE) --output-file policies/requirements.lock policies/requirements.txt
	$(COMPILE) --output-file $(UV_LOCK) requirements-uv.txt

# Regenerate the tables in docs/ that come from the code (a unit test fails when they drift).
docs: $(STAMP)  ## regenerate the tables in docs/
	$(PY) -m docgen

# Rewrite the URN and replacing-input snapshots (tests/snapshots/) after a change that is meant to
# rename or replace something; review the diff, and give a renamed resource an `aliases` entry.
snapshots: $(STAMP)  ## rewrite the URN and replacing-input snapshots
	$(PY) -m tests.snapshots

# Sampled, seeded mutation testing of the domain and the policy pack: prints survivors and the score.
mutation: $(STAMP)  ## mutation score of the domain and the pack (sampled, seeded; minutes)
	$(PY) -m tests.mutate --sample $(or $(SAMPLE),60) --seed $(or $(SEED),20261207)

bench: $(STAMP)  ## time the offline plan
	$(PY) -m synth --bench

clean:  ## remove build output and caches
	rm -rf build .mypy_cache .ruff_cache .pytest_cache
