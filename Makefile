# Everyday commands. `make run` serves the app with the seed data; `make test` runs the tests.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PYTEST_ARGS ?=
HOST ?= 127.0.0.1:8000

.PHONY: install install-dev run serve-production superuser test test-services lint format ci \
	browser-deps node-deps gettext-deps pdf-deps messages compilemessages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# `install`: what the app needs to run; `install-dev`: that plus the test and lint tools.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed pdf-deps
install-dev: $(VENV)/.installed-dev pdf-deps

# Pango for WeasyPrint, which renders the briefings' PDF (commitments/briefing); the fonts are the
# app's own, so no font package is needed. Installed only when missing, as browser-deps does.
pdf-deps:
	@/sbin/ldconfig -p 2>/dev/null | grep -q 'libpango-1.0.so.0' && \
		/sbin/ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so.0' || { \
		echo "Installing Debian's pango for the briefings' PDF"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			libpango-1.0-0 libpangoft2-1.0-0 >/dev/null; }

# axe-core for the browser tests' accessibility checks, pinned in package-lock.json (npm registry).
node_modules/.package-lock.json: package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "npm is missing: install Node.js and npm" >&2; exit 1; }
	npm ci --ignore-scripts --no-audit --no-fund
	touch $@

node-deps: node_modules/.package-lock.json

# Debian's Chromium for the Playwright browser tests (Playwright's own browser download is not used).
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "Installing Debian's chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; }

# GNU gettext (xgettext, msgmerge, msgfmt) for `make messages` and the catalogue tests. Running the
# app needs none of it: the compiled .mo files are committed next to their .po files.
gettext-deps:
	@command -v xgettext >/dev/null 2>&1 && command -v msgfmt >/dev/null 2>&1 || { \
		echo "Installing Debian's gettext for the translation catalogues"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null; }

# The translation catalogues (README, "Languages"): collect every msgid of the code and templates
# into locale/<lang>/LC_MESSAGES/django.po, then compile the .mo files that the app reads.
LANGUAGES_TO_TRANSLATE := ru kk ky
MAKEMESSAGES_IGNORE := --ignore=.venv --ignore=node_modules --ignore=var --ignore=tests \
	--ignore=test-artifacts --ignore=build
messages: install gettext-deps
	$(BIN)/python manage.py makemessages $(addprefix -l ,$(LANGUAGES_TO_TRANSLATE)) \
		$(MAKEMESSAGES_IGNORE) --no-obsolete
	$(MAKE) compilemessages

compilemessages: install gettext-deps
	$(BIN)/python manage.py compilemessages $(addprefix -l ,$(LANGUAGES_TO_TRANSLATE)) \
		$(MAKEMESSAGES_IGNORE)

# Migrate, load the seeds (idempotent) and serve on http://$(HOST)/ (links in emails and feeds
# follow: SITE_URL defaults to it), with a Celery worker and beat
# running the reminder schedule in the background (filesystem:// transport by default: no server).
# Stopping runserver (Ctrl-C) stops the worker too.
run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_seeds
	export SITE_URL="$${SITE_URL:-http://$(HOST)}"; \
	$(BIN)/celery -A tracker worker --beat --loglevel=INFO --concurrency=1 & worker=$$!; \
	trap 'kill -TERM $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver $(HOST)

# Production: refuse a bad environment (check --deploy), collect the static files with their
# manifest (hashed names: production pages need it, and the server refuses to start without it),
# migrate, and serve with gunicorn. Needs DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS (README,
# "Production"); the Celery worker and beat run as their own processes.
GUNICORN_ARGS ?= --workers 4 --worker-class gthread --threads 2
serve-production: export DJANGO_ENV := production
serve-production: install
	$(BIN)/python manage.py check --deploy
	$(BIN)/python manage.py collectstatic --noinput -v0
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/gunicorn tracker.wsgi:application --bind $(HOST) $(GUNICORN_ARGS)

superuser: install
	$(BIN)/python manage.py createsuperuser

# The default tier: SQLite, no servers. pytest's exit code 5 (nothing collected) fails too.
test: install-dev browser-deps node-deps gettext-deps
	$(BIN)/pytest -m "not services" $(PYTEST_ARGS)

# The real-services tier: PostgreSQL, Redis and a real Celery worker (see .ci/run).
test-services: install-dev browser-deps node-deps gettext-deps
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} \
	CELERY_BROKER_URL=$${CELERY_BROKER_URL:-redis://127.0.0.1:6379/0} \
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

ci:
	bash .ci/run

# The performance benchmark (README, "Performance"): gunicorn + wrk on loopback against PostgreSQL.
# It FLUSHES the commitments of its database, so it has its own. BENCHMARK_ARGS=--quick: N=1,000.
BENCHMARK_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/bench
BENCHMARK_ARGS ?=
.PHONY: benchmark benchmark-deps
benchmark-deps:
	@command -v wrk >/dev/null 2>&1 || { \
		echo "Installing Debian's wrk for the benchmark"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }

benchmark: install benchmark-deps
	DATABASE_URL=$(BENCHMARK_DATABASE_URL) $(BIN)/python manage.py benchmark $(BENCHMARK_ARGS)

clean:
	rm -rf $(VENV) var db.sqlite3 .pytest_cache .ruff_cache control
