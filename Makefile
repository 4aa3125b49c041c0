# One runner for everything; .ci/run calls `make test`, exactly as the README shows.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# Use the local mirror of the boundary files when it sits beside the checkout (no internet here).
MIRROR := $(wildcard ../shared/geo/wilayah_boundaries)
ifneq ($(MIRROR),)
export CAKUPAN_GEO_MIRROR ?= $(abspath $(MIRROR))
endif

.PHONY: setup run serve test lint bench geo clean

$(BIN)/activate: requirements.txt requirements-dev.txt
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $(BIN)/activate

setup: $(BIN)/activate

run: setup
	$(BIN)/streamlit run app.py

# The production topology on this machine (README, "Hosting"): REPLICAS behind nginx on PORT.
REPLICAS ?= 2
PORT ?= 8080
serve: setup
	$(BIN)/python -m cakupan serve --replicas $(REPLICAS) --port $(PORT)

test: setup
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/python -m pytest

lint: setup
	$(BIN)/ruff check .
	$(BIN)/lint-imports

bench: setup
	$(BIN)/python -m cakupan bench

geo: setup
	$(BIN)/python -m cakupan geo build

clean:
	rm -rf geo/cache data/cakupan.sqlite* artifacts .pytest_cache run
