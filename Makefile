# newscrawl: `make demo` sets up and runs the main job offline; `make test` sets up and runs the tests.
PY := .venv/bin/python

.PHONY: setup demo test bench sample clean scrapyd deploy schedule

setup:
	@bash scripts/setup.sh

demo: setup
	@$(PY) -m tools.demo

test: setup
	@bash scripts/test.sh $(ARGS)

bench: setup
	$(PY) -m tools.bench extraction --show-worst 15

# Rebuild the shipped demo WARC from tests/fixtures/demo/*.html (pages written for this project).
sample: setup
	$(PY) -m tools.demo --build-sample

# Operations (README "Operations"); SCRAPYD_USERNAME / SCRAPYD_PASSWORD from the environment.
scrapyd: setup
	$(PY) -m newscrawl.ops scrapyd --home var/scrapyd

deploy: setup
	$(PY) -m newscrawl.ops deploy

schedule:
	$(PY) -m newscrawl.ops schedule

clean:
	rm -rf var/demo build dist *.egg-info
