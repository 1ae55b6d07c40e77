# Coercive Control Practice Lab — every entry point a person needs. `make help` lists them.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8866
CHROMIUM ?= /usr/bin/chromium
PROXY  := $(VENV)/node/node_modules/.bin/configurable-http-proxy
NPM    := $(or $(shell command -v npm),/usr/bin/npm)
HUB_PORT ?= 8000
POSTGRES := $(or $(firstword $(wildcard /usr/lib/postgresql/*/bin/pg_ctl)),/usr/lib/postgresql/bin/pg_ctl)
PANGO  := $(or $(firstword $(wildcard /usr/lib/*/libpango-1.0.so.0)),/usr/lib/libpango-1.0.so.0)
POPPLER := /usr/bin/pdftotext
SOFFICE := /usr/bin/soffice

.PHONY: help serve trainer hub lite test test-fast check lint bench demo screenshots design-system outcome-table clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN{FS=":.*## "}{printf "  make %-10s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Re-install only when the dependency list changes.
# jupyter-events asks for jsonschema's format extras, among them rfc3987-syntax, which builds a
# parser when jsonschema is imported: about 2 s in every Jupyter, Voilà, nbgrader and hub process
# here (20 s on a loaded machine). Nothing in the course checks IRI formats, so it goes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python $(PANGO)
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m pip uninstall --quiet --yes rfc3987-syntax
	touch $@

# $(call apt-install,PACKAGE,WHY): install a Debian package as root, or through sudo, or say how.
define apt-install
	@echo "Installing Debian's $(1) for $(2)…"
	@if [ "$$(id -u)" = 0 ]; then SUDO=; elif command -v sudo >/dev/null; then SUDO=sudo; \
	 else echo "$(1) is missing and this account cannot install it: run 'apt-get install $(1)' as root" >&2; exit 1; fi; \
	 $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(1) >/dev/null
endef

$(CHROMIUM):
	$(call apt-install,chromium,the browser tests)

# WeasyPrint typesets the PDFs people keep (CPD record, workshop summary, cohort report) with pango.
$(PANGO):
	$(call apt-install,libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core,typesetting PDFs)

# The tests open the PDFs and spreadsheets in the applications people use: poppler, LibreOffice.
$(POPPLER):
	$(call apt-install,poppler-utils,reading PDFs back in the tests)

$(SOFFICE):
	$(call apt-install,libreoffice-calc-nogui,opening spreadsheets in the tests)

# Debian keeps each major version in its own folder; any one will do (practice_lab.postgres).
$(POSTGRES):
	$(call apt-install,postgresql,the tests on PostgreSQL)

$(NPM):
	$(call apt-install,nodejs npm,the hub's proxy)

# JupyterHub's proxy, from npm into the virtual environment.
$(PROXY): | $(BIN)/python $(NPM)
	npm install --prefix $(VENV)/node --no-audit --no-fund --loglevel=error configurable-http-proxy@5

# The practice edition (issue 22) builds in its own environment, so nbgrader's lab extension never
# reaches the static site; the Pyodide runtime and Font Awesome come from npm into build/.
LITE_VENV := build/lite-venv
LITE_NPM  := build/lite-npm
LITE_SITE := dist/practice-edition
LITE_SOURCES := $(shell find course course_model widgets practice_lab/share/jupyter -type f -not -name '*.pyc' 2>/dev/null) \
  practice_lab/pages.py practice_lab/lite.py practice_lab/lite_pages.py practice_lab/lite_bytecode.py

$(LITE_VENV)/.installed: | $(BIN)/python
	$(PYTHON) -m venv $(LITE_VENV)
	$(LITE_VENV)/bin/python -m pip install --quiet 'voici-core==0.10.0' 'jupyterlite-core==0.7.6' 'jupyterlite-pyodide-kernel==0.7.0'
	touch $@

$(LITE_NPM)/.installed: | $(NPM)
	npm install --prefix $(LITE_NPM) --no-audit --no-fund --loglevel=error pyodide@0.29.5 @fortawesome/fontawesome-free@5.15.4
	touch $@

$(LITE_SITE)/.built: $(VENV)/.installed $(LITE_VENV)/.installed $(LITE_NPM)/.installed $(LITE_SOURCES)
	$(BIN)/python -m practice_lab.lite --out $(LITE_SITE)
	touch $@

lite: $(LITE_SITE)/.built ## Build the practice edition: a static site of the lesson pages that runs in the browser (dist/practice-edition)

serve: $(VENV)/.installed ## Set up and serve the course in Voilà on http://127.0.0.1:$(PORT)
	$(BIN)/practice-lab serve --port $(PORT)

trainer: $(VENV)/.installed ## Set up and serve the trainer's dashboard on http://127.0.0.1:8867
	$(BIN)/practice-lab grade dashboard

hub: $(VENV)/.installed $(PROXY) ## Set up and serve a cohort through JupyterHub on http://127.0.0.1:$(HUB_PORT) (as root; TRAINER=name)
	$(BIN)/practice-lab hub --port $(HUB_PORT) $(if $(TRAINER),--trainer $(TRAINER))

test: $(VENV)/.installed $(CHROMIUM) $(POSTGRES) $(PROXY) $(POPPLER) $(SOFFICE) $(LITE_SITE)/.built ## Set up and run the whole test suite
	$(BIN)/practice-lab check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest

test-fast: $(VENV)/.installed $(POPPLER) $(SOFFICE) ## Everything that needs no browser, nbgrader or PostgreSQL (about 2 minutes): run it while you work
	$(BIN)/practice-lab check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest -m "not browser and not nbgrader and not notebooks and not postgres"

check: $(VENV)/.installed ## Validate every course file against its schema
	$(BIN)/practice-lab check

demo: $(VENV)/.installed ## A synthetic cohort through the whole trainer pipeline; prints where the report is
	$(BIN)/practice-lab grade demo --learners 10

bench: $(VENV)/.installed $(POSTGRES) $(PROXY) ## Benchmarks, each printing a ratio measured side by side (as root: the hub's makes accounts)
	$(BIN)/python bench/autograde.py
	$(BIN)/python bench/hub.py
	$(BIN)/python bench/lite.py
	$(BIN)/python bench/report.py
	$(BIN)/python bench/serve_start.py
	$(BIN)/python bench/voila_tti.py
	$(BIN)/python bench/workshop.py

screenshots: $(VENV)/.installed $(CHROMIUM) ## Refresh README's screenshots from the learner-journey and dashboard tests
	PRACTICE_LAB_SCREENSHOTS=$(CURDIR)/docs/screenshots $(BIN)/python -m pytest tests/test_journey.py tests/test_browser_dashboard.py -k "journey or cohort_runs"

# The design system's CSS is committed: only changing or upgrading it needs npm.
design-system: | $(NPM) ## Rebuild the bundled GOV.UK Frontend CSS from npm (serving never needs this)
	practice_lab/share/design-system/build.sh

outcome-table: $(VENV)/.installed ## Regenerate README's table of what each module maps to (PCF, KSS, standards)
	$(BIN)/python -m course_model.outcome_map README.md

lint: $(VENV)/.installed ## ruff check and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean: ## Remove the virtual environment and caches
	rm -rf $(VENV) .pytest_cache .ruff_cache
