# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8501

.PHONY: run test lint bench fixtures clean chromium nginx axe

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/streamlit run app.py --server.port $(PORT)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The browser tests drive Debian's Chromium (Playwright's own browser download does not work here).
chromium:
	@test -x /usr/bin/chromium || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium fonts-dejavu-core >/dev/null; \
	  else echo "Chromium is missing: run 'sudo apt-get install -y chromium' for the browser tests" >&2; exit 1; fi; }

# The browser tests and the benchmark also run through Debian's nginx as deploy/nginx configures it (brotli included).
NGINX_BROTLI := /usr/lib/nginx/modules/ngx_http_brotli_filter_module.so
NGINX_BROTLI_STATIC := /usr/lib/nginx/modules/ngx_http_brotli_static_module.so
NGINX_PACKAGES := nginx libnginx-mod-http-brotli-filter libnginx-mod-http-brotli-static
nginx:
	@test -x /usr/sbin/nginx -a -e $(NGINX_BROTLI) -a -e $(NGINX_BROTLI_STATIC) || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq $(NGINX_PACKAGES) >/dev/null; \
	  else echo "nginx is missing: run 'sudo apt-get install -y $(NGINX_PACKAGES)' for the proxy tests" >&2; exit 1; fi; }

# axe-core (the accessibility rules engine) comes from the npm registry at the version package-lock.json pins;
# installed into node_modules/ only when missing. Needs node and npm (Debian: apt-get install nodejs npm).
AXE := node_modules/axe-core/axe.min.js
axe: $(AXE)
$(AXE): package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm is missing: install Node.js and npm for the accessibility tests" >&2; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	@touch $(AXE)

test: $(STAMP) chromium nginx $(AXE)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(STAMP) chromium nginx
	$(BIN)/python -m bench

fixtures: $(STAMP)
	$(BIN)/python -m cpb_dash fixtures

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache node_modules
