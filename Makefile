# Two commands do everything on a fresh machine:
#   make app    install, train the domain embedder and build the index if missing or stale, start the app
#   make test   the same set-up, then run the whole test suite
# (build-index trains the domain embedder, assistant/indexing/tuning.py, only when its data changed)
PY ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PORT ?= 8501

.PHONY: app test install index eval bench browser clean-index

$(BIN)/python:
	$(PY) -m venv $(VENV)

# torch first, from the CPU build on this machine: any other torch pulls several GB of CUDA packages.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --disable-pip-version-check -q torch==2.13.0
	$(BIN)/pip install --disable-pip-version-check -q -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

index: install
	$(BIN)/python -m assistant build-index --if-needed

app: index
	$(BIN)/streamlit run app.py --server.headless true --server.port $(PORT) \
		--browser.gatherUsageStats false

# Debian's Chromium for the real-browser test (never a downloaded browser).
browser:
	@command -v chromium >/dev/null 2>&1 || (apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null)

test: index browser
	$(BIN)/python -m pytest -q

eval: index
	$(BIN)/python -m eval

bench: index
	$(BIN)/python -m bench

clean-index:
	rm -rf index/builds index/CURRENT index/.build.lock
