# qasite — the single entry points (docs/architecture.md): run, serve, test, lint, format, bench.
PYTHON ?= python3.11
VENV = .venv
PORT ?= 8000
PYTEST_ARGS ?=
BENCH_ARGS ?=

BIN = $(VENV)/bin
STAMP = $(VENV)/.installed
# The site's secret key: SECRET_KEY from the environment, else the one generated into
# .secret_key on first use (outside git, readable by its owner only) and reused afterwards.
SECRET_KEY_FILE = .secret_key
WITH_KEY = SECRET_KEY="$${SECRET_KEY:-$$(cat $(SECRET_KEY_FILE))}"
MANAGE = $(WITH_KEY) $(BIN)/python manage.py
CHROMIUM = /usr/bin/chromium
DEMO_PASSWORD = qasite-demo

.PHONY: venv run serve release web worker cron test lint format migrations-check browser bench loadtest two-hosts backup restore screenshots clean distclean

venv: $(STAMP)

# Re-created whenever pyproject.toml changes.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip
	$(BIN)/python -m pip install -e '.[dev]'
	touch $@

$(SECRET_KEY_FILE):
	@umask 077 && $(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@.tmp
	@mv $@.tmp $@
	@echo "Generated a secret key in $@ (kept out of git; used when SECRET_KEY is unset)."

# Development server (DEBUG on, plain http, demo data).
run: venv $(SECRET_KEY_FILE)
	DEBUG=true $(MANAGE) migrate --noinput
	DEBUG=true $(MANAGE) load_demo
	DEBUG=true $(MANAGE) rank_questions
	@echo
	@echo "qasite is starting at http://127.0.0.1:$(PORT)/"
	@echo "Demo logins, all with the password $(DEMO_PASSWORD):"
	@echo "  newbie (1 rep)  voter (15)  commenter (50)  downvoter (125)  reviewer (500)"
	@echo "  editor (2000)  closer1 closer2 closer3 (3000)  trusted (10000)"
	@echo "  moderator (moderator)  admin (superuser, /admin/)"
	@echo "Mail (sign-up confirmation links, password resets) is printed below."
	@echo
	DEBUG=true $(MANAGE) runserver 127.0.0.1:$(PORT)

# Production-like: DEBUG off, collected static files served by whitenoise, gunicorn.
# HTTPS_ONLY=false because it listens on plain http on localhost. With REDIS_URL set, an RQ
# worker (with its scheduler, for retries) and RQ's cron (the mail sweeps) run beside
# gunicorn and stop with it; without it, background tasks run inside gunicorn.
# Workers, worker class and the rest: gunicorn.conf.py (README, "Speed").
GUNICORN = $(WITH_KEY) PORT=$(PORT) $(BIN)/gunicorn qasite.wsgi --config gunicorn.conf.py
serve: export DEBUG = false
serve: export HTTPS_ONLY = false
serve: venv $(SECRET_KEY_FILE)
	$(MANAGE) migrate --noinput
	$(MANAGE) load_demo
	$(MANAGE) rank_questions
	$(MANAGE) collectstatic --noinput
	@echo
	@echo "qasite (production-like) at http://127.0.0.1:$(PORT)/ — demo password: $(DEMO_PASSWORD)"
	@echo
	@if [ -n "$$REDIS_URL" ]; then \
		echo "REDIS_URL is set: starting an RQ worker and RQ's cron beside gunicorn."; \
		$(MANAGE) worker & worker=$$!; \
		$(MANAGE) rqcron qasite.cron & cron=$$!; \
		trap 'kill $$worker $$cron 2>/dev/null' EXIT INT TERM; \
		$(GUNICORN); \
	else \
		echo "REDIS_URL is unset: no worker; background tasks (email) run inside gunicorn."; \
		$(GUNICORN); \
	fi

# Production (README, "Deployment"): `release` once per release, from one machine, before
# the new code serves; then any number of `web` hosts and `worker`s, and one `cron` per
# site. `web` never migrates: it refuses to start while the database is behind the code.
# Each web host keeps its workers' request metrics in PROMETHEUS_MULTIPROC_DIR (emptied at
# start), which /metrics/ sums.
METRICS_DIR ?= $(CURDIR)/.metrics/$(PORT)
release: venv $(SECRET_KEY_FILE)
	$(MANAGE) migrate --noinput
	$(MANAGE) collectstatic --noinput

web: export DEBUG ?= false
web: venv $(SECRET_KEY_FILE)
	@$(MANAGE) migrate --check >/dev/null || { echo "The database is behind the code: run 'make release' first." >&2; exit 1; }
	rm -rf $(METRICS_DIR) && mkdir -p $(METRICS_DIR)
	PROMETHEUS_MULTIPROC_DIR=$(METRICS_DIR) $(GUNICORN)

worker: export DEBUG ?= false
worker: venv $(SECRET_KEY_FILE)
	$(MANAGE) worker

cron: export DEBUG ?= false
cron: venv $(SECRET_KEY_FILE)
	$(MANAGE) rqcron qasite.cron

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: venv
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

migrations-check: venv $(SECRET_KEY_FILE)
	$(MANAGE) makemigrations --check --dry-run

# Browser for the e2e tests: Debian's chromium (Playwright's own download does not work here).
browser:
	@if [ -x $(CHROMIUM) ]; then \
		echo "chromium: $(CHROMIUM)"; \
	elif [ "$$(id -u)" = 0 ]; then \
		apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; \
	else \
		echo "note: $(CHROMIUM) is missing and we are not root; run 'sudo apt-get install -y chromium'" \
			"or the e2e tests will fail."; \
	fi

# The whole suite, e2e included. Playwright's sync API runs an event loop in the test
# thread, so Django's async-safety guard is switched off for pytest.
test: venv lint migrations-check browser
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(BIN)/pytest $(PYTEST_ARGS)

# Throughput and latency of the pages against the floor, a minimal Django project
# (bench/floor/) served alongside the site by the same gunicorn; medians and spread over
# rounds (reports numbers; never fails, never part of `make test`). wrk comes from Debian
# when we are root; otherwise bench/run.py falls back to a Python load generator.
bench: venv
	@command -v wrk >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && apt-get install -y -qq wrk >/dev/null 2>&1; } || true
	$(BIN)/python bench/run.py $(BENCH_ARGS)

# The mixed load with locust (bench/load.py; README, "Load test"): a site on PostgreSQL and
# Redis (LOAD_DATABASE_URL, LOAD_REDIS_URL), gunicorn and an RQ worker, 50 users for a few
# minutes, then the integrity check. Reports numbers; not part of `make test`.
LOAD_ARGS ?=
loadtest: venv
	$(BIN)/python bench/load.py $(LOAD_ARGS)

# Two web hosts on one PostgreSQL and one Redis (bench/two_hosts.py).
two-hosts: venv
	$(BIN)/python bench/two_hosts.py $(LOAD_ARGS)

# Backup and restore (scripts/backup.py; README, "Backup and restore"): BACKUP_DIR gets
# database.dump (pg_dump) and uploads.tar.gz (MEDIA_ROOT and PRIVATE_ROOT); `restore` loads
# them into the empty database of DATABASE_URL and runs the integrity check.
BACKUP_DIR ?= backups/latest
backup: venv $(SECRET_KEY_FILE)
	$(WITH_KEY) $(BIN)/python scripts/backup.py backup $(BACKUP_DIR)

restore: venv $(SECRET_KEY_FILE)
	$(WITH_KEY) $(BIN)/python scripts/backup.py restore $(BACKUP_DIR)

# PNGs of the main pages in the light and the dark theme under docs/screenshots/, from a
# temporary database with the demo data (docs/screenshots/make.py; not a test step).
screenshots: venv browser
	$(BIN)/python docs/screenshots/make.py

clean:
	rm -rf db.sqlite3 db.sqlite3-wal db.sqlite3-shm db.sqlite3-journal staticfiles
	rm -rf .pytest_cache .ruff_cache test-results
	find . -path ./$(VENV) -prune -o -type d -name __pycache__ -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV) *.egg-info
