# Two commands on a fresh machine with Python 3.11+ and make:
#   make run    create .venv, install, build the example graph, query it, show where to look
#   make test   install the test dependencies and run the whole suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
EXAMPLE := graphs/example

.PHONY: run test example bench clean

run: $(BIN)/newsgraph
	$(BIN)/newsgraph build examples/articles --output $(EXAMPLE)
	@echo
	@echo "Most visited organizations (newsgraph query $(EXAMPLE) --named most-visited):"
	$(BIN)/newsgraph query $(EXAMPLE) --named most-visited
	@echo
	@echo "Open $(CURDIR)/$(EXAMPLE)/graph.html in a browser to explore the graph."

$(BIN)/newsgraph: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.test-deps: $(BIN)/newsgraph
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

test: $(VENV)/.test-deps
	$(BIN)/python -m pytest -n auto -q

# Rebuild the committed example graph after changing extraction or the bundled articles.
example: $(BIN)/newsgraph
	$(BIN)/newsgraph build examples/articles --output $(EXAMPLE)

bench: $(VENV)/.test-deps
	$(BIN)/python benchmarks/bench_extract.py

clean:
	rm -rf $(VENV) build src/*.egg-info .pytest_cache
