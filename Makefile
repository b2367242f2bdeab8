# gongkai: `make demo` and `make test` each do all their own set-up on a fresh clone.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup browser converters redis demo test test-fast lint bench clean

$(STAMP): requirements.txt pyproject.toml
	@# Debian/Ubuntu ship venv separately; install it when missing.
	$(PYTHON) -m venv $(VENV) || { apt-get update -qq && apt-get install -y -qq python3-venv && $(PYTHON) -m venv $(VENV); }
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.txt
	$(BIN)/python -m pip install -q --no-deps --no-build-isolation -e . || $(BIN)/python -m pip install -q --no-deps -e .
	touch $(STAMP)

setup: $(STAMP)

# Debian's chromium renders script-built pages in crawls (spiders/browser.py; GONGKAI_CHROMIUM
# overrides /usr/bin/chromium) and in tests/test_js_e2e.py, tests/test_browser_render.py.
# tests/test_browser.py drives Debian's chromium (never Playwright's own downloads); a CJK font
# makes its screenshots legible. Without root or apt the install fails and that test skips.
browser:
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-zenhei; } || echo "chromium could not be installed: the browser test will skip"

# Attachment readers (pipelines/attachments.py): LibreOffice converts DOC/WPS (its Calc makes
# the tests' LibreOffice-written XLS/ODS fixtures), Tesseract with simplified-Chinese data OCRs
# scans, a CJK font draws the scanned test fixtures. Installed only
# when missing; without root or apt, such files get an error row and their tests skip.
converters:
	@missing=""; \
	command -v soffice >/dev/null 2>&1 || missing="$$missing libreoffice-writer-nogui"; \
	dpkg -s libreoffice-calc-nogui >/dev/null 2>&1 || missing="$$missing libreoffice-calc-nogui"; \
	tesseract --list-langs 2>/dev/null | grep -qx chi_sim || missing="$$missing tesseract-ocr tesseract-ocr-chi-sim"; \
	ls /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc \
		2>/dev/null | grep -q . || missing="$$missing fonts-wqy-zenhei"; \
	if [ -n "$$missing" ]; then \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; } \
		|| echo "could not install$$missing: DOC/WPS files and scans get error rows, their tests skip"; \
	fi

# Debian's redis-server: the frontier of distributed crawls (gongkai crawl --workers N starts a
# private one) and the real server tests/test_distributed.py starts and kills. Installed when
# missing; without root or apt those tests skip.
redis:
	@command -v redis-server >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends redis-server; } || echo "redis-server could not be installed: the distributed tests will skip"

demo: setup
	$(BIN)/python -m demo run --db demo.db

test: setup browser converters redis
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -q

# The inner loop: no local servers, crawls, browser, Datasette or LibreOffice (tests marked e2e)
# and no stress test of several CPU seconds (marked slow); `make test` runs them all.
test-fast: setup
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -q -m "not e2e and not slow"

lint: setup
	$(BIN)/ruff check .

bench: setup browser redis
	$(BIN)/python -m pip install -q -r requirements-bench.txt
	$(BIN)/python bench/extract.py
	$(BIN)/python bench/crawl.py
	$(BIN)/python bench/attachments.py
	$(BIN)/python bench/js.py
	$(BIN)/python bench/recrawl.py
	$(BIN)/python bench/distributed.py

clean:
	rm -rf $(VENV) demo.db demo.db-wal demo.db-shm demo-warc .pytest_cache
