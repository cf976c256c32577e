# Two commands: `make run` and `make test` (`make test-fast` skips the slow and browser tests).
# Everything else is a step they share.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := wsgi.py
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run serve test test-fast screenshots install install-dev translations messages lint format ci clean bench mutate

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt $(VENV)/.runtime
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.runtime translations

install-dev: $(VENV)/.dev translations

# Compiled catalogues are build output, never committed.
translations: $(VENV)/.runtime
	@$(BIN)/pybabel --quiet compile -d translations

# Re-extract messages and merge them into both catalogues (then translate what is new).
messages: $(VENV)/.runtime
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k ngettext:1,2 --no-location \
		--sort-output -o translations/messages.pot .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching

run: install
	$(BIN)/flask db upgrade
	$(BIN)/flask seed-demo --if-empty
	@echo "surveyapp is serving http://$(HOST):$(PORT)  (Ctrl+C stops it)"
	$(BIN)/flask run --host $(HOST) --port $(PORT)

# Production-like: gunicorn with gunicorn.conf.py and the production settings from the
# environment (docs/deployment.md). Refuses to start, saying why, when they are unsafe or
# the schema is behind (run `SURVEYAPP_ENV=production $(BIN)/flask db upgrade` first).
serve: install
	SURVEYAPP_ENV=production $(BIN)/gunicorn -c gunicorn.conf.py wsgi:app

# Installs no system packages: without Debian's Chromium the browser tests are skipped and the
# run says how to install it (.ci/run installs it when missing).
test: install-dev
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)

# The quick loop: no live gunicorn fault runs (marked slow), no browser.
test-fast: install-dev
	$(BIN)/python -m pytest -q -m "not slow and not browser" $(PYTEST_ARGS)

# Mutation testing of the scoring rules and the submit path ([tool.mutmut] in pyproject.toml,
# docs/testing.md): slow, so not part of `make test` or CI. Work is kept in mutants/ and resumed;
# delete mutants/ for a fresh run. Lists every mutant that was not killed at the end.
mutate: install-dev
	$(BIN)/mutmut run $(MUTMUT_ARGS)
	$(BIN)/mutmut results

# A picture of every page per role, width and language in tests/artifacts/pages/ (browser).
screenshots: install-dev
	$(BIN)/python -m pytest -q -m screenshots tests/browser/test_page_screenshots.py $(PYTEST_ARGS)

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

ci:
	bash .ci/run

bench: install-dev
	$(BIN)/python -m bench.run_all

clean:
	rm -rf $(VENV) instance translations/*/LC_MESSAGES/*.mo
