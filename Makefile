# Samenspel — one command per task.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
PORT ?= 8000

.PHONY: demo test lint bench serve chromium services clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip setuptools wheel

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The optional dense-embedding backend is tested too. torch is pinned to the CPU build, which this
# machine keeps as a local wheel (pip takes it from there; its small dependencies come from PyPI). Only
# where the local wheel is missing are the embedding extras left out, and those tests say they were skipped.
$(TEST_STAMP): $(STAMP)
	@if ls /opt/wheels/torch-2.13.0* >/dev/null 2>&1; then \
		$(BIN)/pip install --quiet --find-links /opt/wheels torch==2.13.0 && \
		$(BIN)/pip install --quiet -e '.[dev,embeddings]' || \
		echo "the embedding extras did not install: the dense-embedding tests will be skipped"; \
	else echo "no local CPU build of torch: the dense-embedding tests will be skipped"; fi
	touch $(TEST_STAMP)

## make demo: install, seed the demo municipality and serve http://127.0.0.1:8000
demo: $(STAMP)
	$(BIN)/samenspel demo --port $(PORT)

serve: $(STAMP)
	$(BIN)/samenspel serve --port $(PORT)

## make test: install what the tests need (Debian's chromium too), lint, and run every test
test: $(TEST_STAMP) chromium
	$(MAKE) lint
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

## make bench: speed figures, printed as tables (never part of the tests' pass/fail)
bench: $(STAMP)
	$(BIN)/python bench/knowledge_latency.py
	$(BIN)/python bench/chat_roundtrip.py

chromium:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "installing Debian's chromium for the browser tests"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

clean:
	rm -rf $(VENV) .samenspel .pytest_cache .mypy_cache .ruff_cache test-artifacts
