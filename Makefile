# Everything runs from a local virtual environment that `make` creates and
# keeps in step with pyproject.toml, so a fresh machine needs only python3.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export PATH := $(abspath $(BIN)):$(PATH)

.PHONY: all install browser generate check-generated lint docs docs-serve test test-httpx-lowest demo bench soak fuzz compat clean

all: lint test

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## browser: Debian's chromium, for the emulator web page's test (apt-get, when root)
# Never a browser download of a driver's own: the test drives the system chromium.
XPANDER_CHROMIUM ?= /usr/bin/chromium
browser:
	@if [ -x "$(XPANDER_CHROMIUM)" ]; then exit 0; fi; \
	if [ "$$(id -u)" != 0 ]; then \
	  echo "make browser: $(XPANDER_CHROMIUM) is missing and installing it needs root (apt-get install chromium); the web page's test will skip (and fail under CI=true)"; \
	elif ! command -v apt-get >/dev/null; then \
	  echo "make browser: $(XPANDER_CHROMIUM) is missing and this machine has no apt-get to install Debian's chromium; the web page's test will skip (and fail under CI=true)"; \
	else \
	  echo "make browser: installing Debian's chromium for the web page's test"; \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } \
	    || echo "make browser: apt-get could not install chromium (see above); the web page's test will skip (and fail under CI=true)"; \
	fi

## generate: rewrite generated/ from openapi.yaml and generator-config.yaml
generate: $(STAMP)
	scripts/generate.sh

## check-generated: fail, with a diff, when generated/ is stale
check-generated: $(STAMP)
	scripts/generate.sh --check

lint: $(STAMP)
	ruff check xpander_sdk tests scripts examples bench docs_src
	ruff format --check xpander_sdk tests scripts examples bench docs_src
	mypy

## docs: build the documentation site into build/site, strictly (a warning is an error)
# The stamp tells tests/docs the site is fresh (it rebuilds when anything it is made of is newer).
# NO_MKDOCS_2_WARNING: Material's notice about MkDocs 2 and Zensical (see mkdocs.yml), once is enough.
docs: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/python -m mkdocs build --strict --quiet
	touch build/site/.built

## docs-serve: serve the documentation at http://127.0.0.1:8000, rebuilt as you edit
docs-serve: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/python -m mkdocs serve --strict

## test: the whole suite, against the emulator on loopback; then its ten slowest tests, its
## wall time and CPU time
# pytest-xdist: one worker per core plus one, which runs while the others wait on sockets,
# processes and sleeps (on this 2-core machine 3 workers beat 2 and 4); each worker has its
# own session emulator, on a free port. The slow tests come first, the longest last run first
# (tests/conftest.py), and an idle worker takes over half of a busy one's queue (worksteal),
# so the workers end together.
# WORKERS=1 runs the suite in one process, without xdist.
WORKERS ?= $(shell $(PYTHON) -c "import os; print((os.cpu_count() or 1) + 1)")
# Bytecode, and pytest's rewritten test modules, are kept under the venv even when
# PYTHONDONTWRITEBYTECODE is set (the working tree still gets no __pycache__): otherwise
# every run, and every process a test starts, compiles the sources again.
# tests/docs builds the site itself when it is older than what it is made of (one worker
# builds, under a lock), so an unchanged site costs nothing here.
test: export PYTHONPYCACHEPREFIX := $(abspath $(VENV))/pycache
test: export PYTHONDONTWRITEBYTECODE :=
test: $(STAMP) browser
	@$(BIN)/python scripts/timed.py "make test" -- \
	  $(BIN)/python -m pytest $(if $(filter 1,$(WORKERS)),,-n $(WORKERS) --dist worksteal) \
	  --durations=10 $(PYTEST_ARGS)

## test-httpx-lowest: the facade's tests on the lowest httpx that pyproject.toml admits
# Only httpx differs from .venv: that one wheel (its own dependencies are the same in the
# whole range) goes into a folder put first on PYTHONPATH, which takes a few seconds where a
# second virtual environment would take a minute.
HTTPX_LOWEST_DIR := .httpx-lowest
HTTPX_LOWEST := $(shell sed -n 's/^ *"httpx>=\([0-9.]*\),.*/\1/p' pyproject.toml)
$(HTTPX_LOWEST_DIR)/.installed: pyproject.toml $(STAMP)
	rm -rf $(HTTPX_LOWEST_DIR)
	$(BIN)/python -m pip install --quiet --no-deps --target $(HTTPX_LOWEST_DIR) 'httpx==$(HTTPX_LOWEST).*'
	touch $@

test-httpx-lowest: $(HTTPX_LOWEST_DIR)/.installed
	PYTHONPATH=$(HTTPX_LOWEST_DIR) $(BIN)/python -c 'import httpx, sys; print("httpx", httpx.__version__); sys.exit(not httpx.__version__.startswith("$(HTTPX_LOWEST)."))'
	PYTHONPATH=$(HTTPX_LOWEST_DIR) $(BIN)/python -m pytest tests/facade $(PYTEST_ARGS)

## demo: start the emulator, walk the guide's flows through the SDK, stop it
demo: $(STAMP)
	$(BIN)/python examples/demo.py

## bench: the benchmarks of the SDK and the emulator (not part of test)
bench: $(STAMP)
	$(BIN)/python -m bench

## soak: the long fault-injection run
soak: $(STAMP)
	XPANDER_SOAK=1 $(BIN)/python -m pytest tests/test_fault_injection.py -s $(PYTEST_ARGS)

## fuzz: the long schemathesis and hypothesis runs
fuzz: $(STAMP)
	XPANDER_FUZZ=1 $(BIN)/python -m pytest tests -m fuzz -s $(PYTEST_ARGS)

## compat: the platform's published SDK, unchanged, against the emulator (not part of test)
compat: $(STAMP)
	scripts/published-sdk-check.sh

clean:
	rm -rf $(VENV) .venv-published-sdk $(HTTPX_LOWEST_DIR) build *.egg-info .pytest_cache .mypy_cache .ruff_cache
