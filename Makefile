# kb: the two set-up commands are `make demo` and `make test` (see README.md).
PYTHON ?= python3
VENV ?= .venv
PORT ?= 8001
BIN := $(VENV)/bin
STAMP := $(VENV)/.kb-installed

.PHONY: demo test bench eval clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall when the dependencies change.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $@

demo: $(STAMP)
	$(BIN)/kb demo --db demo.db --port $(PORT)

test: $(STAMP)
	$(BIN)/pytest -q

bench: $(STAMP)
	$(BIN)/python bench/run.py

# Retrain the claim model (kb/data/claim_model.json + .md) from ../shared/corpus (PolNeAR train; dev chooses).
.PHONY: train
train: $(STAMP)
	$(BIN)/python -m kb.train.claim_model --corpus ../shared/corpus

eval: $(STAMP)
	$(PYTHON) ../shared/eval/run_all.py --split dev --kb $(BIN)/kb

clean:
	rm -rf $(VENV) demo.db demo.db-wal demo.db-shm .pytest_cache
