# Two commands for a new user: `make run` and `make test`. Everything they need is installed here.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
ARGS   ?= --demo
ENGINE ?= sqlite

.PHONY: run test test-quick bench lint format clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || { echo "Python's venv module is missing: install python3-venv (Debian/Ubuntu)"; exit 1; }
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	$(BIN)/python -m compileall -q xoro_tui  # editable installs compile nothing
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

$(VENV)/.installed-bench: pyproject.toml $(VENV)/.installed-test
	$(BIN)/python -m pip install --quiet -e ".[bench]"
	touch $@

# A dropped terminal sends SIGHUP to make (the session leader), which does not pass it on
# and waits for its child: the app notices the dead terminal itself and ends within a
# second, keeping open forms as drafts (tests/robustness/test_hangup.py).
run: $(VENV)/.installed
	@$(BIN)/python -m compileall -q xoro_tui
	$(BIN)/xoro-tui $(ARGS)

# Four workers on two cores: the tests mostly wait (for a screen to settle, a process to
# answer, a pty to drain; 528 s of CPU in a 717 s run with two workers), so two more
# workers fill those waits. Each file stays on one worker (its module fixtures are shared).
TEST_WORKERS ?= 4

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile

# The edit loop: no load, real-terminal, other-login, PostgreSQL or scale tests. The tests'
# compiled (assertion-rewritten) modules are kept between runs even where the environment
# turns bytecode off: rewriting 250 files again cost every worker 5 s of each run.
test-quick: $(VENV)/.installed-test
	env -u PYTHONDONTWRITEBYTECODE $(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile -m "not slow"

bench: $(VENV)/.installed-bench
	$(BIN)/python -m compileall -q xoro_tui
	$(BIN)/python -m bench --engine $(ENGINE)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy

format: $(VENV)/.installed-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache .hypothesis
