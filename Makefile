# newscrawl: `make demo` sets up and runs the main job offline; `make test` sets up and runs the tests.
PY := .venv/bin/python

.PHONY: setup demo test bench sample clean

setup:
	@bash scripts/setup.sh

demo: setup
	@$(PY) -m newscrawl.demo

test: setup
	@bash scripts/test.sh $(ARGS)

bench: setup
	$(PY) -m newscrawl.bench extraction --show-worst 15

# Rebuild the shipped demo WARC from tests/fixtures/demo/*.html (pages written for this project).
sample: setup
	$(PY) -m newscrawl.demo --build-sample

clean:
	rm -rf var/demo build dist *.egg-info
