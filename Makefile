# Two entry points, each doing its own set-up on a fresh machine:
#   make run    install the product, build the index from seeds/ if needed, serve the chat
#   make test   install the test dependencies (CPU torch, Chromium) and run every test
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip install --disable-pip-version-check -q

.PHONY: run test lint browser
run: $(VENV)/.installed
	$(BIN)/chatbot serve $(ARGS)

test: $(VENV)/.test-installed browser
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 $(BIN)/python -m pytest $(PYTEST_ARGS)

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) -e .
	touch $@

# torch==2.13.0 first: it resolves to a CPU build on this machine's disk, where a
# plain `torch` requirement would pull a multi-GB CUDA build.
$(VENV)/.test-installed: $(VENV)/.installed
	$(PIP) torch==2.13.0
	$(PIP) -e '.[sentence-transformers,test]'
	touch $@

# Debian's Chromium for the browser tests (Playwright's own download is unavailable).
browser:
	@test -x /usr/bin/chromium || { \
	  echo "Installing Chromium for the browser tests (apt-get) …"; \
	  SUDO=$$(test "$$(id -u)" -eq 0 || echo sudo); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium chromium-driver fonts-noto-core >/dev/null; }
