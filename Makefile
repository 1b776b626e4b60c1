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

# First run: say what is happening (it takes about a minute) and what to install when the
# system Python cannot create virtual environments (stock Debian/Ubuntu lack python3-venv).
$(STAMP): requirements.txt
	@echo "Preparazione dell'ambiente Python in $(VENV)/ (solo la prima volta, circa un minuto)..."
	@$(PYTHON) -c 'import ensurepip, venv' 2>/dev/null || { \
	  echo "Manca il modulo venv di Python: su Debian o Ubuntu installalo con" >&2; \
	  echo "    sudo apt-get install python3-venv" >&2; \
	  echo "poi ripeti il comando." >&2; exit 1; }
	@test -x $(BIN)/pip || { rm -rf $(VENV); $(PYTHON) -m venv $(VENV); }
	@echo "Installazione delle dipendenze fissate in requirements.txt..."
	@$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $(STAMP)
	@echo "Ambiente pronto."

serve: $(STAMP)
	@echo "Costruzione del sito e anteprima su http://$(ADDR)/ (la prima costruzione richiede qualche decina di secondi; Ctrl+C per fermare)"
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
