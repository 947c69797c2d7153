# Two commands do everything, on a fresh machine too: `make demo` and `make test`.
# Each creates .venv and installs what it needs, and nothing more: `make demo` the engine with
# plotting, progress bars and Graphviz (no PyTorch, Playwright or Chromium); `make test` every
# dev extra, plus Chromium for the browser test. System programs come from apt-get when they
# are missing and we are root (scripts/system-deps.sh).

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DEMO_STAMP := $(VENV)/.demo-installed
DEV_STAMP := $(VENV)/.dev-installed
PIP := $(PY) -m pip install --quiet --disable-pip-version-check

.PHONY: demo demo-pictures test bench notebooks system-deps clean

$(PY):
	$(PYTHON) -m venv $(VENV)

$(DEMO_STAMP): pyproject.toml | $(PY)
	$(PIP) -e ".[demo]"
	touch $@

# dev includes everything the demo needs, so it counts as the demo's install too
$(DEV_STAMP): pyproject.toml | $(PY)
	$(PIP) -e ".[dev]"
	touch $@ $(DEMO_STAMP)

system-deps:
	@bash scripts/system-deps.sh graphviz chromium

demo: $(DEMO_STAMP)
	@bash scripts/system-deps.sh graphviz
	$(PY) -m nn train
	$(PY) -m nn train --dataset digits

# the demo's pictures as committed in docs/ (linked from the README)
demo-pictures: $(DEMO_STAMP)
	@bash scripts/system-deps.sh graphviz
	bash scripts/demo-pictures.sh $(PY)

test: $(DEV_STAMP) system-deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) -m pytest

bench: $(DEV_STAMP)
	$(PY) -m benchmarks.run

notebooks: $(DEV_STAMP) system-deps
	$(VENV)/bin/jupyter lab notebooks/

clean:
	rm -rf $(VENV) runs .pytest_cache .hypothesis
