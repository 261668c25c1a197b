# One-command entry points; see README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test check lint install system-deps refresh demo bench clean

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

# Debian's chromium for the browser tests (playwright cannot download a browser here).
system-deps:
	bash tools/install-system-deps.sh

# Builds the database on first start (StatLine, else the demo data), then serves the app.
run: install
	$(BIN)/python -m vtdata ensure
	$(BIN)/streamlit run streamlit_app.py

lint: install
	$(BIN)/ruff check .

# Tests run in two pytest-xdist workers (one per core of the 2-core development machine); how
# they are spread is in tests/conftest.py. `TEST_WORKERS=0` runs them in one process.
TEST_WORKERS ?= 2
PYTEST := $(BIN)/python -m pytest -q -n $(TEST_WORKERS)

# Everything: lint, unit, AppTest and the browser tests (these last).
test: lint system-deps
	$(PYTEST)

# The inner loop: lint and the unit tests, without AppTest, subprocesses or the browser.
check: lint
	$(PYTEST) -m "not e2e and not slow"

refresh: install
	$(BIN)/python -m vtdata refresh

demo: install
	$(BIN)/python -m vtdata refresh --source demo

bench: install
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) data
