# Everything installs from the project's own files: uv (bootstrapped here when missing),
# pyproject.toml and uv.lock.
SHELL := /bin/bash
PYTHON ?= python3
UV_VERSION := 0.13.9
# the MLflow UI runs in its own tool environment (full MLflow caps pyarrow below the project's);
# the same version as the `tracking` extra's mlflow-skinny in uv.lock (a test checks)
MLFLOW_VERSION := 3.17.2
MLFLOW_PORT ?= 5000
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

.PHONY: setup setup-spark setup-tracking run build demo-notice eda test lint format typecheck \
	bench clean mlflow-ui

.tools/uv/bin/uv:
	$(PYTHON) -m venv .tools/uv
	.tools/uv/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(BIN)/cinerec: pyproject.toml uv.lock | $(if $(findstring .tools,$(UV)),.tools/uv/bin/uv)
	$(UV) sync --frozen --python $(PYTHON)
	@touch $@

# the text encoder is distilled into the user's cache once per machine (a no-op after that),
# as installing a model downloads it: a machine's first `cinerec build` then does not wait for it
setup: $(BIN)/cinerec
	@$(BIN)/python -m cinerec.recommend.encoder

# the default environment plus an install extra (--inexact keeps the other extras)
setup-spark: setup
	@v=$$(java -version 2>&1 | sed -n 's/.*version "\(1\.\)\{0,1\}\([0-9]*\).*/\2/p' | head -1); \
	if [ -z "$$v" ] || [ "$$v" -lt 17 ]; then \
	  echo "setup-spark: Spark needs Java 17+ (found: $${v:-none}); install it: apt-get install openjdk-17-jre-headless (or put a JDK 17+ on PATH / in JAVA_HOME)" >&2; \
	  exit 1; \
	fi
	$(UV) sync --frozen --inexact --extra spark --python $(PYTHON)

setup-tracking: setup
	$(UV) sync --frozen --inexact --extra tracking --python $(PYTHON)

# the runs of `cinerec train/evaluate --track` (the catalogue's SQLite store), on loopback
mlflow-ui: $(if $(findstring .tools,$(UV)),.tools/uv/bin/uv)
	@if [ -n "$$MLFLOW_TRACKING_URI" ]; then \
	  echo "mlflow-ui: MLFLOW_TRACKING_URI=$$MLFLOW_TRACKING_URI: open that server's own UI"; exit 0; \
	fi; \
	if [ ! -f "$(DATA_DIR)/mlflow.db" ]; then \
	  echo "mlflow-ui: no tracked runs in '$(DATA_DIR)' (DATA_DIR): run cinerec train --data DIR --track first" >&2; exit 1; \
	fi; \
	echo "MLflow UI on http://127.0.0.1:$(MLFLOW_PORT) (store $(abspath $(DATA_DIR))/mlflow.db)"; \
	$(UV) tool run --from mlflow==$(MLFLOW_VERSION) mlflow ui \
	  --backend-store-uri sqlite:///$(abspath $(DATA_DIR))/mlflow.db \
	  --host 127.0.0.1 --port $(MLFLOW_PORT)

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
