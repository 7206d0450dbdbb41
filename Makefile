# tipwatch — two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DB     ?= var/tipwatch.duckdb

.PHONY: install run build test lint bench clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $@

build: install
	$(BIN)/tipwatch build --db $(DB)

run: build
	$(BIN)/tipwatch tiers --db $(DB) --year latest

lint: install
	$(BIN)/ruff check src tests benchmarks

# pytest exits 5 when it collected no test: that is not a pass.
test: install lint
	@$(BIN)/python -m pytest -q; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests: failing"; exit 1; fi; exit $$rc

bench: build
	@for f in benchmarks/*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

clean:
	rm -rf $(VENV) var build *.egg-info
