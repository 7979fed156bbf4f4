# Lotse: `make run` serves the demo, `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
MANAGE := $(BIN)/python manage.py

.PHONY: run test install pango chromium lint lock messages bench bench-full bench-deps clean

# Python packages from the hashed lock file; reinstalled when the lock file changes.
$(BIN)/.installed: requirements/dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements/dev.txt
	touch $@

# Front-end packages (KERN UX, htmx, axe-core) from package-lock.json.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: pango $(BIN)/.installed node_modules/.installed

# WeasyPrint (letters as PDF) shapes text with Pango; DejaVu has Latin, Cyrillic and Arabic.
pango:
	@{ ldconfig -p | grep -q libpangoft2-1.0 && fc-list | grep -q DejaVuSans; } || { \
	  echo "Pango oder DejaVu-Schriften fehlen; installiere die Debian-Pakete ..."; \
	  pkgs="libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core"; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$pkgs >/dev/null; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$pkgs >/dev/null; fi; }

# The demo runs like production (no debug: German error pages, static files collected and
# served by WhiteNoise); `make run LOTSE_DEBUG=1` shows Django's debug pages instead.
# The task worker (register imports) runs in the background beside the dev server; the trap
# stops it when runserver ends, also on Ctrl+C.
run: install
	export LOTSE_DEBUG=$(or $(LOTSE_DEBUG),0) LOTSE_DEMO=1; \
	$(MANAGE) collectstatic --noinput -v 0 && \
	$(MANAGE) migrate --noinput -v 0 && \
	$(MANAGE) load_blueprint weissenfels --demo --if-empty && \
	$(MANAGE) demo_logins || exit 1; \
	$(MANAGE) worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	echo "Lotse läuft auf http://127.0.0.1:$(PORT)/ (Beenden mit Strg+C)" && \
	$(MANAGE) runserver 127.0.0.1:$(PORT)

# The browser tests drive Debian's Chromium; install it when it is missing (needs root).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Chromium fehlt; installiere das Debian-Paket chromium ..."; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; fi; }

test: install chromium
	LOTSE_DEBUG=1 $(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	LOTSE_DEBUG=1 $(BIN)/mypy lotse

# Recompile the lock files after editing requirements/*.in (needs uv: pip install uv).
lock:
	uv pip compile --quiet --generate-hashes --python-version 3.11 requirements/base.in -o requirements/base.txt
	uv pip compile --quiet --generate-hashes --python-version 3.11 requirements/dev.in -o requirements/dev.txt
	uv pip compile --quiet --generate-hashes --python-version 3.11 requirements/bench.in -o requirements/bench.txt

# Benchmarks (not part of the tests): adds the reference data and peers to the venv.
# `make bench` measures at 10,000 and 100,000 persons (minutes; the pages under load at 10,000
# only); `make bench-full` adds 1,000,000 (an hour or more, most of it filling the databases
# once; they are kept in var/ and in PostgreSQL databases named lotse_bench_*). Results: benchmarks/results/latest.json and .md.
bench-deps: install
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements/bench.txt

bench: bench-deps
	LOTSE_DEBUG=1 LOTSE_BENCH=quick $(BIN)/python benchmarks/run_all.py

bench-full: bench-deps
	LOTSE_DEBUG=1 LOTSE_BENCH=full $(BIN)/python benchmarks/run_all.py

# Refresh the English catalogue after changing German texts; then translate and compile.
messages: install
	LOTSE_DEBUG=1 $(MANAGE) makemessages -l en --no-location \
	  --ignore=node_modules --ignore=.venv --ignore=tests --ignore=staticfiles --ignore=var
	LOTSE_DEBUG=1 $(MANAGE) compilemessages -l en --ignore=node_modules --ignore=.venv

clean:
	rm -rf $(VENV) node_modules staticfiles
