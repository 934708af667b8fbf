# Everything installs from the project's own files: uv (bootstrapped here when missing),
# pyproject.toml and uv.lock.
SHELL := /bin/bash
PYTHON ?= python3
UV_VERSION := 0.13.9
UV := $(shell command -v uv 2>/dev/null || echo .tools/uv/bin/uv)
VENV := .venv
BIN := $(VENV)/bin
DATA_DIR ?= data/catalog
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_DIR := src/cinerec/demo_data
# raw input: $CINEREC_RAW_DIR, else data/raw when it holds anything (a zip, CSV files, folders:
# `cinerec build` finds the files or says what is missing), else the bundled demo, said first
RAW_DIR ?= $(or $(CINEREC_RAW_DIR),$(if $(wildcard data/raw/*),data/raw),$(DEMO_DIR))

.PHONY: setup run build demo-notice eda test lint format typecheck bench clean

.tools/uv/bin/uv:
	$(PYTHON) -m venv .tools/uv
	.tools/uv/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(BIN)/cinerec: pyproject.toml uv.lock | $(if $(findstring .tools,$(UV)),.tools/uv/bin/uv)
	$(UV) sync --frozen --python $(PYTHON)
	@touch $@

setup: $(BIN)/cinerec

build: demo-notice setup
	$(BIN)/cinerec build --raw "$(RAW_DIR)" --out "$(DATA_DIR)" --if-changed

eda: build
	$(BIN)/cinerec eda --data "$(DATA_DIR)" --out reports/eda.html

run: build
	$(BIN)/cinerec serve --data "$(DATA_DIR)" --host $(HOST) --port $(PORT)

# before anything else is printed: the demo is never served silently
demo-notice:
ifeq ($(RAW_DIR),$(DEMO_DIR))
	@echo "cinerec: DEMO DATA - no raw files in \$$CINEREC_RAW_DIR (not set) nor in $(CURDIR)/data/raw/ (missing or empty), so the small bundled demo ($(DEMO_DIR)) is built and served. For the real catalogue put Kaggle's zip (or movies_metadata.csv or movies_dataset.csv with credits.csv, at any depth) in data/raw/, or run: make run CINEREC_RAW_DIR=/path/to/the-movies-dataset.zip"
endif

lint: setup
	$(BIN)/ruff check src tests benchmarks tools
	$(BIN)/ruff format --check src tests benchmarks tools
	$(BIN)/mypy

format: setup
	$(BIN)/ruff format src tests benchmarks tools
	$(BIN)/ruff check --fix src tests benchmarks tools

test: setup lint
	$(BIN)/pytest -q

clean:
	rm -rf $(VENV) .tools .pytest_cache .mypy_cache .ruff_cache
