# Two commands set everything up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: venv demo lint test test-fast crawl golden bench mutation clean

venv: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# Crawl the bundled copy of the site (fixtures/site) through the local replay server.
demo: venv
	@mkdir -p exports
	$(BIN)/python -m devtools.replay run -- \
		$(BIN)/scrapy crawl bhg -s BHG_BASE_URL={base} -O exports/demo.jsonl -s BHG_STATE_PATH= \
		-s AUTOTHROTTLE_ENABLED=False -s DOWNLOAD_DELAY=0 -s LOG_LEVEL=WARNING
	@echo "demo: wrote $$(wc -l < exports/demo.jsonl) articles to exports/demo.jsonl"

lint: venv
	$(BIN)/ruff check .

# Everything: lint, the unit tests, and the real crawls against the replay server (about 3 min on 2
# cores). Two pytest-xdist workers: a crawl spends much of its time waiting on its subprocess, so two
# run in the time of little more than one. worksteal, not xdist's default: the default hands the long
# crawl tests, which come first, to one worker up front and the other sits idle once the unit tests
# are done (4:50 against 3:00 here).
XDIST := -n 2 --dist worksteal
test: lint
	$(BIN)/python -m pytest -q $(XDIST)

# The unit tests alone: no subprocess crawl (well under a minute).
test-fast: venv
	$(BIN)/python -m pytest -q $(XDIST) -m "not crawl"

# The real thing: the live site, polite defaults.
crawl: venv
	$(BIN)/scrapy crawl bhg $(ARGS)

# Regenerate fixtures/expected/ from fixtures/site/ and show the diff.
golden: venv
	$(BIN)/python -m devtools.golden

# Speed, memory and accuracy against the peers (trafilatura, newspaper4k, dateparser, a bare Scrapy
# spider) and the listing API walk against the HTML walk, in one run: tables printed, results in
# benchmarks/results/. About 8 min on 2 cores.
# Options pass through: make bench ARGS="--only extraction,dates" or ARGS="--articles 5000".
bench: venv
	@[ $(VENV)/.bench-installed -nt pyproject.toml ] || \
		{ $(BIN)/python -m pip install --quiet -e '.[test,bench]' && touch $(VENV)/.bench-installed; }
	$(BIN)/python -m benchmarks.run $(ARGS)

# Mutation testing of the pure modules with the unit tests (not part of `make test`: see README,
# "Mutation testing"). The tool is mutmut 3: it runs under pytest on Python 3.11 as the suite does; it
# runs for each mutant only the tests that reach the mutated function (it records which do in one run
# of the suite first) in workers forked from a warm process; it is maintained (3.8.1, the version used,
# is of 2026). cosmic-ray, the other maintained one, runs the whole test command for every mutant:
# about 20 s each here, some ten hours for the ~3,600 mutants. MAX_CHILDREN workers (the machine has 2
# cores). Results: benchmarks/results/mutation.json and .md; mutmut's files in mutants/ (`mutmut show ID`).
MAX_CHILDREN ?= 2
mutation: venv
	@[ $(VENV)/.mutation-installed -nt pyproject.toml ] || \
		{ $(BIN)/python -m pip install --quiet -e '.[test,mutation]' && touch $(VENV)/.mutation-installed; }
	$(BIN)/python -m benchmarks.mutation --max-children $(MAX_CHILDREN) $(ARGS)

clean:
	rm -rf $(VENV) exports/demo.jsonl .pytest_cache mutants
