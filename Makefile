# newscrawl: `make demo` sets up and runs the main job offline; `make test` sets up and runs the tests.
PY := .venv/bin/python

.PHONY: setup demo demo-site db db-stop db-status web test bench sample clean scrapyd deploy schedule

setup:
	@bash scripts/setup.sh

# Runs the demo into the local MongoDB (starting it when it is not running; it stays running).
demo: setup
	@$(PY) -m tools.demo

# The demo pages as a small news site on http://127.0.0.1:8765 (sitemap.xml, rss.xml); Ctrl-C stops it.
demo-site: setup
	@$(PY) -m tools.demo --serve

# The local MongoDB-compatible server on mongodb://127.0.0.1:27017, data in var/ferretdb/, log and pid in var/.
db: setup
	@$(PY) -m tools.mongo_server start

db-stop:
	@$(PY) -m tools.mongo_server stop

db-status:
	@$(PY) -m tools.mongo_server status

# The read-only web front over the local MongoDB on http://127.0.0.1:8080 (docs/web.md); Ctrl-C stops it.
web: setup
	@$(PY) -m newscrawl.web

test: setup
	@bash scripts/test.sh $(ARGS)

bench: setup
	$(PY) -m tools.bench extraction --show-worst 15

# Rebuild the shipped demo WARC from tests/fixtures/demo/*.html (pages written for this project).
sample: setup
	$(PY) -m tools.demo --build-sample

# Operations (docs/operations.md); SCRAPYD_USERNAME / SCRAPYD_PASSWORD from the environment.
scrapyd: setup
	$(PY) -m newscrawl.ops scrapyd

deploy: setup
	$(PY) -m newscrawl.ops deploy

schedule:
	$(PY) -m newscrawl.ops schedule

clean:
	rm -rf var/demo build dist *.egg-info
