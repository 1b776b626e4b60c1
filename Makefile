# pdz-site: one entry point for editors, developers and CI.
#   make serve   set up (first time) and serve the site on http://127.0.0.1:8000
#   make test    run every test
# Other targets: check, site, coverage, nuovo, bench.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PDZ    := PYTHONPATH=macros $(BIN)/python -m
AMBITO ?=
ADDR   ?= 127.0.0.1:8000

.PHONY: serve site check test coverage nuovo bench permalinks clean

$(STAMP): requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $(STAMP)

serve: $(STAMP)
	PDZ_AMBITO=$(AMBITO) $(if $(AMBITO),PDZ_SEARCH=false,) $(BIN)/mkdocs serve --dev-addr $(ADDR)

site: $(STAMP)
	$(BIN)/mkdocs build --strict --site-dir site

check: $(STAMP)
	@$(PDZ) pdz.check $(if $(AMBITO),--ambito $(AMBITO),)

coverage: $(STAMP)
	@$(PDZ) pdz.coverage

# Outside checkers for the tests (Nu HTML Checker), pinned in package-lock.json.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

test: $(STAMP) node_modules/.package-lock.json
	$(BIN)/python -m pytest -q tests

nuovo: $(STAMP)
	@$(PDZ) pdz.scaffold $(TIPO) $(AMBITO) $(NOME) $(if $(PIANO),--piano $(PIANO),)

permalinks: site
	@$(PDZ) pdz.permalinks --site site

# Two interleaved builds per measurement, best wall time kept: this machine's speed varies by
# about 10 % from one minute to the next.
BENCH_ARGS ?= --repeat 2
bench: $(STAMP)
	$(BIN)/python benchmarks/build_bench.py $(BENCH_ARGS)

clean:
	rm -rf site build .pytest_cache
