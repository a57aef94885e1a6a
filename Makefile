# CPEC Atlas: every command the project has. `make run` and `make test` are the two that matter.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
CHROMIUM ?= /usr/bin/chromium
export CHROMIUM

.PHONY: setup run test test-unit test-app test-browser bench lint format assets basemap fonts chromium haproxy cluster cluster-stop clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Runtime dependencies (the same pinned file Streamlit Community Cloud installs).
$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

# Test, lint and benchmark tools.
$(VENV)/.dev: requirements-dev.txt $(VENV)/.runtime
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

## setup: local virtual environment, pinned requirements, the map's Leaflet/plugin files and the fonts
setup: $(VENV)/.runtime fonts
	$(BIN)/python -m components.assets --optional

## fonts: Debian's fonts for Urdu (Amiri, Naskh) and Chinese (WenQuanYi Micro Hei) snapshots and pages,
## the packages listed in packages.txt for Streamlit Community Cloud (installed when missing and running as root)
FONT_PACKAGES := $(shell cat packages.txt)
fonts:
	@if ! fc-list 2>/dev/null | grep -q "Amiri-Regular" || ! fc-list 2>/dev/null | grep -q "wqy-microhei"; then \
		if [ "$$(id -u)" = "0" ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(FONT_PACKAGES) >/dev/null; \
		else \
			echo "Urdu/Chinese fonts missing: install Debian's $(FONT_PACKAGES) (snapshots in ur/zh need them)" >&2; \
		fi; \
	fi

## assets: fetch the map's JS/CSS from the npm registry into static/vendor (fails if it cannot)
assets: $(VENV)/.runtime
	$(BIN)/python -m components.assets

## basemap: rebuild data/basemap/ and static/atlas/outline-basemap-data.js from the pinned sources
## (npm, PyPI and a Natural Earth mirror; files already in .cache/basemap-sources/ are reused)
basemap: $(VENV)/.dev
	$(BIN)/python scripts/build_basemap.py

## run: set up, then start the app
run: setup
	$(BIN)/streamlit run app.py

## chromium: Debian's Chromium for the browser tests (installed when missing and running as root)
chromium:
	@if [ ! -x "$(CHROMIUM)" ]; then \
		if [ "$$(id -u)" = "0" ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
		else \
			echo "Chromium not found at $(CHROMIUM); install Debian's chromium package or set CHROMIUM=/path" >&2; exit 1; \
		fi; \
	fi

## haproxy: Debian's HAProxy for the local cluster (installed when missing and running as root)
haproxy:
	@if ! command -v haproxy >/dev/null 2>&1 && [ ! -x /usr/sbin/haproxy ]; then \
		if [ "$$(id -u)" = "0" ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq haproxy >/dev/null; \
		else \
			echo "haproxy not found; install Debian's haproxy package" >&2; exit 1; \
		fi; \
	fi

## cluster: REPLICAS (3) copies of the app behind HAProxy on http://127.0.0.1:$(CLUSTER_PORT), loopback only
REPLICAS ?= 3
CLUSTER_PORT ?= 8500
cluster: $(VENV)/.runtime assets haproxy
	$(BIN)/python -m deploy.cluster start --replicas $(REPLICAS) --port $(CLUSTER_PORT)

## cluster-stop: stop what `make cluster` started
cluster-stop:
	$(BIN)/python -m deploy.cluster stop

## test: set up, install test tools, Chromium and HAProxy, then run all three tiers
test: $(VENV)/.dev assets fonts chromium haproxy
	$(BIN)/python -m pytest tests

test-unit: $(VENV)/.dev fonts
	$(BIN)/python -m pytest tests/unit

test-app: $(VENV)/.dev
	$(BIN)/python -m pytest tests/app

test-browser: $(VENV)/.dev assets fonts chromium haproxy
	$(BIN)/python -m pytest tests/browser

## bench: speed, size and memory of the map and big imports against GeoDataFrame.explore(), and concurrent sessions
bench: $(VENV)/.dev assets chromium haproxy
	$(BIN)/python -m bench

## lint: ruff
lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) static/vendor .pytest_cache .ruff_cache .cluster
