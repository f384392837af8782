# One command runs the product, one runs the tests; both install what is missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUN_STAMP := $(VENV)/.run-installed
TEST_STAMP := $(VENV)/.test-installed
BENCH_STAMP := $(VENV)/.bench-installed
NPM_STAMP := static/node_modules/.installed
PYTEST_ARGS ?=

.PHONY: run demo test install install-test install-bench chromium haproxy wrk clean-data help

help:
	@echo "make run   - install what is missing, then serve on http://127.0.0.1:8080"
	@echo "make test  - install what is missing, then run the test suite"
	@echo "make demo  - serve the demo city of Lyon with bots ordering, cooking and delivering"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(RUN_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(RUN_STAMP)

$(BENCH_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[bench]'
	touch $@ $(RUN_STAMP)

$(NPM_STAMP): static/package.json static/package-lock.json
	cd static && npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(RUN_STAMP) $(NPM_STAMP)

install-bench: $(BENCH_STAMP) $(NPM_STAMP) wrk

install-test: $(TEST_STAMP) $(NPM_STAMP) chromium haproxy

# Browser tests drive Debian's Chromium; a test tool's own browser download cannot work here.
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null; }

# W4 and W5 load REST with Debian's wrk (pgbench comes with the machine's Postgres client).
wrk:
	@command -v wrk >/dev/null 2>&1 || { \
	  echo "installing Debian's wrk for the REST benchmarks"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wrk >/dev/null; }

# The load balancer test runs two nodes behind Debian's HAProxy, as README documents.
haproxy:
	@command -v haproxy >/dev/null 2>&1 || test -x /usr/sbin/haproxy || { \
	  echo "installing Debian's haproxy for the load balancer test"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends haproxy >/dev/null; }

# An empty database first gets the demo city; the seed prints where to sign in as each role.
run: install
	$(BIN)/python -m server seed --if-empty
	$(BIN)/python -m server serve --with-worker

# Serve plus the simulator's bots (python -m server simulate --help). Ctrl-C: the bots finish
# their orders (a second Ctrl-C leaves at once), then the server stops; `set -m` runs the server
# as a job of its own so that Ctrl-C reaches the bots first. The simulator talks to the node
# only, so it is given placeholder store URLs and starts no embedded servers.
DEMO_ARGS ?= --pace 20 --speed 4 --rate 6 --drain 30
demo: install
	$(BIN)/python -m server seed --if-empty
	@set -m 2>/dev/null; $(BIN)/python -m server serve --with-worker & server=$$!; \
	trap 'kill $$server 2>/dev/null; wait $$server' EXIT INT TERM; \
	DATABASE_URL=postgresql://unused@127.0.0.1/unused REDIS_URL=redis://127.0.0.1:1/0 \
	  $(BIN)/python -m server simulate --base-url http://$${HOST:-127.0.0.1}:$${PORT:-8080} $(DEMO_ARGS)

test: install-test
	$(BIN)/python -m pytest -n 2 --dist loadfile $(PYTEST_ARGS)

clean-data:
	rm -rf .data .test-data

# Benchmarks (tests/bench, never in `make test`): one workload each; README "Benchmarks".
BENCH_ARGS ?=
bench-w1: install-bench
	$(BIN)/python -m tests.bench.w1_idle $(BENCH_ARGS)
bench-w2: install-bench
	$(BIN)/python -m tests.bench.w2_fanout $(BENCH_ARGS)
bench-w3: install-bench
	$(BIN)/python -m tests.bench.w3_nodes $(BENCH_ARGS)
bench-w4: install-bench
	$(BIN)/python -m tests.bench.w4_orders $(BENCH_ARGS)
bench-w5: install-bench
	$(BIN)/python -m tests.bench.w5_rest $(BENCH_ARGS)
bench-w6: install-bench
	$(BIN)/python -m tests.bench.w6_reconnect $(BENCH_ARGS)
