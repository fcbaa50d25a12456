# unionvol — the two set-up commands are `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed
export DJANGO_SETTINGS_MODULE := unionvol.settings
TEST_WORKERS ?= 2

.PHONY: venv install demo serve test journeys sheets test-fast lint typecheck format messages check-deploy bench loadtest backup restore clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(STAMP): $(PY) pyproject.toml
	$(PIP) install --quiet '.[dev]'
	@touch $(STAMP)

venv install: $(STAMP)

messages: $(STAMP)
	@if command -v msgfmt >/dev/null; then DEBUG=1 $(PY) manage.py compilemessages -v0 --ignore=.venv; \
	 else echo "msgfmt not found (apt-get install gettext): using the committed .mo catalogues"; fi

## demo: venv + install, migrate SQLite, load demo data, print logins, serve on :8000
demo: $(STAMP) messages
	DEBUG=1 $(PY) manage.py migrate --noinput -v0
	DEBUG=1 $(PY) manage.py load_demo
	@echo "Serving on http://127.0.0.1:8000 (Ctrl-C to stop)"
	DEBUG=1 $(PY) manage.py runserver 127.0.0.1:8000

serve: $(STAMP)
	DEBUG=1 $(PY) manage.py runserver 127.0.0.1:8000

## test: the whole suite (browser tests are skipped with a reason when Chromium is missing, except under CI=true)
test: $(STAMP) messages
	UNIONVOL_TESTING=1 $(PY) -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

## journeys: the browser journeys, refreshing their screenshots in docs/journeys/
journeys: $(STAMP)
	UNIONVOL_TESTING=1 UNIONVOL_JOURNEY_SHOTS=docs/journeys $(PY) -m pytest tests/browser/test_journeys.py -p no:xdist -q

## sheets: every official sheet of the demo, per union and aggregated, printed by LibreOffice
## to PNG in docs/sheets/ (a throw-away SQLite database; needs libreoffice-calc-nogui poppler-utils)
sheets: $(STAMP)
	@tmp=$$(mktemp -d /tmp/unionvol-sheets-XXXXXX); trap 'rm -rf "$$tmp"' EXIT; \
	export DEBUG=1 DATABASE_URL="sqlite:///$$tmp/demo.sqlite3" MEDIA_ROOT="$$tmp/media"; \
	$(PY) manage.py migrate --noinput -v0 && \
	$(PY) manage.py load_demo >/dev/null && \
	$(PY) manage.py render_sheets --out docs/sheets $(SHEETS_ARGS)

test-fast: $(STAMP)
	UNIONVOL_TESTING=1 $(PY) -m pytest -m "not browser" -x -q $(PYTEST_ARGS)

## lint: ruff, migrations in step with the models, and the apps' layers (import-linter)
lint: $(STAMP)
	$(VENV)/bin/ruff check .
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run -v0
	$(VENV)/bin/lint-imports

## typecheck: mypy with django-stubs (strict on the kernel, selectors, services, figures)
typecheck: $(STAMP)
	DEBUG=1 $(VENV)/bin/mypy

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

check-deploy: $(STAMP)
	DEBUG=0 SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(60))') \
	  ALLOWED_HOSTS=unionvol.example.org SITE_URL=https://unionvol.example.org \
	  $(PY) manage.py check --deploy --fail-level WARNING

## backup: copy the database named by DATABASE_URL to backups/ (or FILE=path); SQLite or PostgreSQL
backup: $(STAMP)
	$(PY) manage.py backup $(if $(FILE),-o "$(FILE)")

## restore: make restore FILE=backups/unionvol-….sqlite3 (or .dump) — replaces ALL data, asks first
restore: $(STAMP)
	@test -n "$(FILE)" || { echo "usage: make restore FILE=backups/unionvol-YYYYmmdd-HHMMSS.sqlite3"; exit 2; }
	$(PY) manage.py restore "$(FILE)"

bench: $(STAMP)
	$(PY) bench/run.py $(NAMES)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache

## loadtest: gunicorn (production settings) on PostgreSQL with scale data, 8 users, bounded
loadtest: $(STAMP)
	bench/loadtest.sh
