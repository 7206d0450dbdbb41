# tipwatch — two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DB     ?= var/tipwatch.duckdb

.PHONY: install system-packages run build test lint bench clean

# Everything `make run` and `make test` need: system packages (apt-get, when root or with sudo)
# and the Python environment.
install: system-packages $(VENV)/.installed

system-packages:
	@bash scripts/system-packages.sh

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $@

build: install
	$(BIN)/tipwatch build --db $(DB)

HOST   ?= 127.0.0.1
PORT   ?= 8000
REPORT ?= var/report

# Build the store (kept when code and data did not change), serve the explorer at once, and
# write the latest complete year's report in the background: HTML first, then the PDF; the
# console says where each is when it is ready, and an up-to-date report is kept. Ctrl-C stops.
run: install
	@TIPWATCH_PROGRESS=1 $(BIN)/tipwatch build --db $(DB) --if-changed
	@TIPWATCH_PROGRESS=1 $(BIN)/tipwatch serve --db $(DB) --host $(HOST) --port $(PORT) --report-dir $(REPORT) \
		--write-report latest

lint: install
	$(BIN)/ruff check src tests benchmarks

# The suite runs on TEST_JOBS processes (pytest-xdist), one test file per process at a time, so
# that a file's fixtures are built once; pytest exits 5 when it collected no test: not a pass.
TEST_JOBS ?= 2
test: install lint
	@$(BIN)/python -m pytest -q -n $(TEST_JOBS) --dist loadfile; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests: failing"; exit 1; fi; exit $$rc

# Every benchmark runs and prints its figures; the ones that missed a target are named at the end.
bench: build
	@missed=""; for f in benchmarks/*.py; do echo "== $$f"; \
	  $(BIN)/python $$f || missed="$$missed $$f"; done; \
	if [ -n "$$missed" ]; then echo "targets missed by:$$missed"; exit 1; fi; \
	echo "every benchmark met its targets"

clean:
	rm -rf $(VENV) var build *.egg-info
