# 中枢 — the two commands: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: demo test setup lint migrations-check clean

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e ".[dev]"
	touch $(STAMP)

setup: $(STAMP)
	mkdir -p var

demo: setup
	$(BIN)/zhongshu migrate --no-input -v 0
	$(BIN)/zhongshu collectstatic --no-input -v 0
	$(BIN)/zhongshu demo
	@echo ""
	@echo "打开 http://127.0.0.1:$(PORT)/ （按 Ctrl-C 停止）"
	PORT=$(PORT) ZHONGSHU_DEMO_BANNER=1 exec $(BIN)/zhongshu serve --workers 2 --with-worker

test: setup
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: setup
	$(BIN)/ruff check .

migrations-check: setup
	$(BIN)/zhongshu makemigrations --check --dry-run

clean:
	rm -rf $(VENV) var/static var/test-*.sqlite3*
