# Two commands: `make run` (index seeds/, start the web page) and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 7860

.PHONY: run test lint chromium bench

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(PY) -m bot ingest seeds/
	$(PY) -m bot serve --host $(HOST) --port $(PORT)

lint: $(STAMP)
	$(PY) -m ruff check bot index tests bench
	$(PY) -m ruff format --check bot index tests bench
	$(PY) -m mypy

# Browser tests use Debian's Chromium (Playwright's own download does not work offline).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  SUDO=$$( [ "$$(id -u)" -eq 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

test: lint chromium
	$(PY) -m pytest

# The quality run indexes the development sets once (about an hour, cached under
# ~/.cache/claimbot-bench), then takes about 15 minutes.
bench: $(STAMP) chromium
	$(PY) bench/run.py
	$(PY) bench/quality.py measure --archive
	$(PY) bench/claims.py
	$(PY) bench/furniture.py
	$(PY) bench/flood.py
	$(PY) bench/api.py
