# The course's commands. Each creates .venv when it is missing, so a fresh clone needs only
# python3 (>= 3.10) and make. Running any of them twice is safe.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Outputs are regenerated and checked in one fixed environment (see NOTEBOOKS notes in README).
export PYTHONHASHSEED := 0
export OPENBLAS_NUM_THREADS := 1
export OMP_NUM_THREADS := 1
export MKL_NUM_THREADS := 1

.PHONY: course test test-browser test-fallback test-min-deps lint format notebooks exercises bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Stamp files record what was installed, so a second run skips the install.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

course: $(VENV)/.installed  ## open the course in JupyterLab (chapters/ and exercises/ side by side)
	$(BIN)/autograd-course lab

test: $(VENV)/.installed-test  ## lint, then every test (engine, nn, grading, demos, notebooks)
	$(BIN)/ruff check .
	$(BIN)/autograd-course build-exercises --check
	$(BIN)/python -m pytest

# The course in headless Chromium (Debian/Ubuntu: apt-get install chromium chromium-driver):
# `autograd-course lab` on loopback, each chapter opened as saved, Run All, every demo's Step
# and a bad learning rate; prints click-to-image times per demo and Run All time per chapter.
# Skipped (with the reason) only when no browser is installed.
test-browser: $(VENV)/.installed-test  ## the course in a real browser: figures, Run All, demos
	AUTOGRAD_COURSE_BROWSER_TEST=1 $(BIN)/python -m pytest tests/browser -p no:cacheprovider -ra

# The grader sandboxes every kernel with bubblewrap (Debian/Ubuntu: apt-get install bubblewrap).
# This runs the grading tests again with the fallback used where bwrap is missing: "user" as
# root (when another uid can run this Python), otherwise "session".
test-fallback: $(VENV)/.installed-test  ## the grading tests again, in the sandbox used without bwrap
	AUTOGRAD_COURSE_SANDBOX=$$($(BIN)/python -c "from autograd_course.grading import sandbox; print(sandbox.fallback())") \
		$(BIN)/python -m pytest tests/test_grading_notebooks.py tests/test_grading_robustness.py

# The declared minimum version of every runtime dependency (pyproject.toml's floors, read by
# tools/min_deps.py) in a venv of its own, then the whole suite there: the floors are tested.
MIN_VENV := .venv-min
$(MIN_VENV)/.installed: pyproject.toml tools/min_deps.py | $(BIN)/python
	$(PYTHON) -m venv $(MIN_VENV)
	$(MIN_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(BIN)/python tools/min_deps.py > $(MIN_VENV)/pins.txt
	$(MIN_VENV)/bin/python -m pip install --quiet -e '.[test]' -r $(MIN_VENV)/pins.txt
	touch $@

test-min-deps: $(MIN_VENV)/.installed  ## every test again, with the oldest declared dependencies
	$(MIN_VENV)/bin/python tools/min_deps.py --check
	$(MIN_VENV)/bin/python -m pytest

# Re-executes chapters/ and solutions/ in place (fresh kernel each, fixed environment), so the
# saved outputs that `make test` checks with nbval are reproducible: run it twice, git diff is empty.
notebooks: $(VENV)/.installed-test  ## re-run every chapter and solution notebook, saving outputs
	$(BIN)/python tools/run_notebooks.py

exercises: $(VENV)/.installed  ## regenerate exercises/ from solutions/ (solutions replaced by stubs)
	$(BIN)/autograd-course build-exercises

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(VENV)/.installed  ## time the workloads (engine, NumPy, PyTorch if installed) and check memory
	$(BIN)/python -m benchmarks.run
	$(BIN)/python -m benchmarks.memory

clean:
	rm -rf $(VENV) $(MIN_VENV) .pytest_cache build dist
