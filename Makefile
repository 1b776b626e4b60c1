# pdz-site: one entry point for editors, developers and CI.
#   make serve   set up (first time) and serve the site on http://127.0.0.1:8000
#   make test    run every test
# Other targets: test-fast, lint, check, site, coverage, nuovo, bench, redazione (web editor on the working copy).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
CHECK_STAMP := $(VENV)/.installed-check
# -P: the working directory is never on sys.path, so only installed code runs (pdz, editable)
PDZ    := $(BIN)/python -P -m
# Exported too, so that every Python started from here (and the subprocesses of mkdocs and
# pytest) never looks for modules in the working directory: a stray yaml.py at the root of a pull
# request must not run instead of the library (macros/pdz/content/rootguard.py).
export PYTHONSAFEPATH := 1
# pytest reads conftest.py files from tests/ only (never a conftest.py at the root).
PYTEST := $(BIN)/python -P -m pytest --confcutdir=tests
TESTS  ?= tests
AMBITO ?=
# make check BASE=<commit> also checks the commits after it (in CI: a pull request's own)
BASE   ?=
ADDR   ?= 127.0.0.1:8000

.PHONY: serve site check test test-fast lint coverage nuovo bench permalinks clean redazione screenshots editor-assets
NODE_STAMP := node_modules/.package-lock.json
REDAZIONE_PORT ?= 8081

# First run: say what is happening (it takes about a minute) and what to install when the
# system Python cannot create virtual environments (stock Debian/Ubuntu lack python3-venv).
# $(1): the pinned requirements to install, then the package itself (editable).
define install_env
	@$(PYTHON) -c 'import ensurepip, venv' 2>/dev/null || { \
	  echo "Manca il modulo venv di Python: su Debian o Ubuntu installalo con" >&2; \
	  echo "    sudo apt-get install python3-venv" >&2; \
	  echo "poi ripeti il comando." >&2; exit 1; }
	@test -x $(BIN)/pip || { rm -rf $(VENV); $(PYTHON) -m venv $(VENV); }
	@echo "Installazione delle dipendenze fissate in $(1)..."
	@$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes -r $(1)
	@echo "Installazione del codice del sito (pacchetto pdz, in modalità modificabile)..."
	@$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
endef

$(STAMP): requirements.txt pyproject.toml
	@echo "Preparazione dell'ambiente Python in $(VENV)/ (solo la prima volta, circa un minuto)..."
	$(call install_env,requirements.txt)
	@touch $(STAMP) $(CHECK_STAMP)
	@echo "Ambiente pronto."

# make check needs only what loads mkdocs.yml and assembles the site (requirements-check.txt, made
# from requirements.txt by pdz_dev.check_requirements): on a fresh machine, a first check installs
# about 40 packages instead of about 90 (no browser, no Pagefind binary, no test tools).
$(CHECK_STAMP): requirements-check.txt pyproject.toml
	@echo "Preparazione dell'ambiente per il controllo in $(VENV)/ (solo la prima volta)..."
	$(call install_env,requirements-check.txt)
	@touch $(CHECK_STAMP)
	@echo "Ambiente pronto."

# The web editor (/admin/) and the test tools come from npm, pinned in package-lock.json.
$(NODE_STAMP): package.json package-lock.json
	@echo "Installazione dell'editor web e degli strumenti di controllo da npm (package-lock.json; la prima volta qualche minuto)..."
	npm ci --no-audit --no-fund --loglevel=error

# make serve works without npm (the site), and then says that /admin/ needs it.
editor-assets:
	@if command -v npm >/dev/null; then $(MAKE) --no-print-directory $(NODE_STAMP); \
	else echo "Nota: npm non è installato, l'editor web /admin/ non sarà disponibile (sudo apt-get install npm)."; fi

serve: $(STAMP) editor-assets
	@echo "Costruzione del sito e anteprima su http://$(ADDR)/ (la prima costruzione richiede qualche decina di secondi; Ctrl+C per fermare)"
	PDZ_AMBITO=$(AMBITO) $(if $(AMBITO),PDZ_SEARCH=false,) $(BIN)/python -P -m mkdocs serve --dev-addr $(ADDR)

# Built in a temporary folder that replaces site/ only on success: a failed build (a strict-mode
# warning included) leaves the previous site/ untouched, never a deployable broken one.
site: $(STAMP) $(NODE_STAMP)
	@$(PDZ) pdz.commands.site --site site

# The web editor against this working copy: decap-server (local backend) writes the files of
# content/, the site is served with the editor at http://127.0.0.1:8000/admin/. Both listen on
# 127.0.0.1 only; Ctrl+C stops both.
redazione: $(STAMP) $(NODE_STAMP)
	@echo "Editor web su http://127.0.0.1:8000/admin/ (salva direttamente nei file di content/; Ctrl+C per fermare)"
	@PORT=$(REDAZIONE_PORT) BIND_HOST=127.0.0.1 MODE=fs GIT_REPO_DIRECTORY="$(CURDIR)" \
	  ORIGIN=http://127.0.0.1:8000 LOG_LEVEL=warn node node_modules/decap-server/dist/index.js & \
	  server=$$!; trap 'kill $$server 2>/dev/null' EXIT INT TERM; \
	  PDZ_EDITOR_PROXY=http://127.0.0.1:$(REDAZIONE_PORT)/api/v1 PDZ_SEARCH=false \
	  $(BIN)/python -P -m mkdocs serve --dev-addr 127.0.0.1:8000

# The guide's screenshots of the web editor, taken by its browser test.
screenshots: $(STAMP) $(NODE_STAMP)
	PDZ_GUIDE_SCREENSHOTS=1 $(PYTEST) -q tests/editor/test_web_editor.py

check: $(CHECK_STAMP)
	@$(PDZ) pdz.commands.check $(if $(AMBITO),--ambito $(AMBITO),) $(if $(BASE),--base $(BASE),)

coverage: $(STAMP)
	@$(PDZ) pdz.commands.coverage

# The tests start a hundred Pythons (builds, commands): they keep the compiled bytecode of the code
# and of pytest's rewritten tests (__pycache__/, ignored by git) even where the environment sets
# PYTHONDONTWRITEBYTECODE, otherwise every one of them compiles the package again.
test test-fast: export PYTHONDONTWRITEBYTECODE =

# Every test (CI runs this through .ci/run): all the tiers, style and types included
# (tests/test_lint.py runs ruff and mypy beside the other files), one worker more than the
# cores (pytest-xdist; a test file stays on one worker, so its module fixtures are built once;
# the longest files start first, in the order of tests/conftest.py). The extra worker uses the
# time the others wait for Chromium through Playwright's driver, for a build's process or for a
# shared site: on 2 cores, with the same code, 2 workers kept the cores busy 78 % of the time
# (482.6 s), 3 workers 90 % (377.4 s). TEST_JOBS=0 runs them in this process.
test: TEST_JOBS ?= $(shell echo $$(( $$(nproc 2>/dev/null || echo 1) + 1 )))
test-fast: TEST_JOBS ?= auto
test: $(STAMP) $(NODE_STAMP)
	$(PYTEST) -q -n $(TEST_JOBS) --dist loadfile --no-loadscope-reorder $(TESTS)

# Quick feedback while editing (under a minute, on every core): no site build, no browser, no outside tool,
# no whole-content sweep, a quarter of the Hypothesis examples (see tests/conftest.py); ruff and mypy too.
test-fast: $(STAMP)
	PDZ_TEST_TIER=fast $(PYTEST) -q -n $(TEST_JOBS) --dist loadfile -m "not build and not browser and not external and not slow" tests

# ruff (style and likely bugs) and mypy (types) over the package and the tests, alone (the test
# targets run them as tests/test_lint.py).
lint: $(STAMP)
	$(BIN)/ruff check --no-cache macros tests
	$(BIN)/python -P -m mypy

nuovo: $(STAMP)
	@$(PDZ) pdz.commands.nuovo $(TIPO) $(AMBITO) $(NOME) $(if $(PIANO),--piano $(PIANO),)

permalinks: site
	@$(PDZ) pdz.commands.permalinks --site site

# Two interleaved builds per measurement, best wall time kept: this machine's speed varies by
# about 10 % from one minute to the next.
BENCH_ARGS ?= --repeat 2
bench: $(STAMP) $(NODE_STAMP)   # Lighthouse comes from npm
	$(BIN)/python -P -m pdz_dev.bench.build_bench $(BENCH_ARGS)

clean:
	rm -rf site build .pytest_cache
