# One task runner. `make test` (the default) lints, type-checks and runs every test;
# `make test-quick` lints and runs the tests not marked slow (pytest -m "not slow": no crash
# trials, killed commands, fuzzing, property runs, big rosters or populations, real servers,
# nginx or browsers; the list is SLOW in tests/conftest.py), on two processes (pytest-xdist;
# an idle worker takes tests from the busy one), for the working loop;
# `make run` starts the web application on SQLite with invented cases and demo logins;
# `make explain` checks an example volunteer and prints the explained answer;
# `make docs` regenerates the CLI reference (docs/cli.md) from the commands' --help;
# `make mutations` breaks each security property once and shows that its tests fail.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.DEFAULT_GOAL := test
# Only the folders that exist: a fresh clone has no empty bench/.
LINTED := $(wildcard src tests bench devtools)
# pytest keeps each test module's rewritten asserts, and Python each module's bytecode, in
# __pycache__ (ignored by git), unless PYTHONDONTWRITEBYTECODE is set: then every run and every
# xdist worker parses and rewrites every module again, about 6 s of CPU each. The tests turn
# it off for their own run.
KEEP_BYTECODE := PYTHONDONTWRITEBYTECODE=
.PHONY: test test-quick pytest-quick run explain lint typecheck pytest docs bench mutations clean

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

run: $(STAMP)
	GUARDPATH_DATA_DIR=$${GUARDPATH_DATA_DIR:-data/demo} $(BIN)/guardpath serve --demo

explain: $(STAMP)
	$(BIN)/guardpath check enlistment examples/american-volunteer.json --on 2024-03-01
	$(BIN)/guardpath timeline examples/american-volunteer.json --question enlistment

lint: $(STAMP)
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(KEEP_BYTECODE) $(BIN)/pytest

test: lint typecheck pytest

pytest-quick: $(STAMP)
	$(KEEP_BYTECODE) $(BIN)/pytest -m "not slow" -n 2 --dist worksteal

test-quick: lint pytest-quick

docs: $(STAMP)
	$(BIN)/python -m guardpath.cli.reference > docs/cli.md

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-bench.lock
	$(BIN)/python bench/run.py

mutations: $(STAMP)
	$(BIN)/python devtools/broken_properties.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
