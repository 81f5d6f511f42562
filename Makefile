# Two commands: `make demo` bakes a service and starts it; `make test` tests all.
PYTHON ?= python3
VENV := .venv
DEMO := build/demo-service

.PHONY: demo test bench clean

$(VENV)/ready: requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

demo: $(VENV)/ready
	rm -rf $(DEMO)
	$(VENV)/bin/cookiecutter --no-input --output-dir build . service_name=demo-service git_init=false
	$(PYTHON) -m venv $(DEMO)/.venv
	$(DEMO)/.venv/bin/pip install --quiet --disable-pip-version-check -r $(DEMO)/requirements-test.txt
	cd $(DEMO) && cp .env.example .env && . .venv/bin/activate && honcho start web

test: $(VENV)/ready
	$(VENV)/bin/pytest

bench: $(VENV)/ready
	$(VENV)/bin/python benchmarks/run.py

clean:
	rm -rf $(VENV) .cache build
