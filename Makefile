# Every target sets up .venv from pyproject.toml first, so a fresh clone needs nothing installed by hand.
PY      := .venv/bin/python
VENV_OK := .venv/.installed

.PHONY: ingest test samples bench bench-accuracy bench-ocr bench-real bench-probe screenshot clean soffice serve bytecode

# Legacy Word/WPS files (.doc, .wps) are converted by LibreOffice at run time: its Debian package, installed when
# missing. `make ingest` needs it too, since samples/ holds .doc files whose outputs are in normalized/.
soffice:
	@command -v soffice >/dev/null || (apt-get update -q && apt-get install -y -q --no-install-recommends libreoffice-writer-nogui)

$(VENV_OK): pyproject.toml
	python3 -m venv .venv
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

# The package's modules compiled to bytecode, as pip compiles an installed package's (an editable install's are
# not): where PYTHONDONTWRITEBYTECODE is set, every run would compile them again, a tenth of a second of each.
bytecode: $(VENV_OK)
	@$(PY) -m compileall -q ingest parsers >/dev/null

# Your own notices: make ingest IN=folder OUT=folder (files or folders; defaults: the samples into normalized/).
IN  ?= samples
OUT ?= normalized
ingest: $(VENV_OK) soffice bytecode
	$(PY) -m ingest $(IN) --out $(OUT)

test: $(VENV_OK) soffice bytecode
	$(PY) -m pytest

# The sample files are committed; this regenerates them from the seed texts (needs a CJK font to embed, and
# LibreOffice Calc and Writer to write the .xls, .ods and .doc samples).
samples: $(VENV_OK)
	@test -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc || (apt-get update -q && apt-get install -y -q fonts-wqy-microhei)
	@dpkg -s libreoffice-calc-nogui libreoffice-writer-nogui >/dev/null 2>&1 || (apt-get update -q && apt-get install -y -q --no-install-recommends libreoffice-calc-nogui libreoffice-writer-nogui)
	$(PY) samples/generate.py
	$(PY) samples/make_formats.py
	$(PY) samples/make_several.py
	$(PY) samples/make_layouts.py
	$(PY) samples/make_scans.py
	$(PY) samples/make_next_year.py

# Cell-level table accuracy on every sample with known content: this pipeline, pdfplumber, camelot (if installed).
bench-accuracy: $(VENV_OK)
	$(PY) bench/accuracy.py

# OCR before and after a change: every word of the scans and of every text PDF of samples/ made into page images,
# read with REF's parsers/ and ingest/ (default main) and with this checkout's, and compared (figures read
# differently, confidences moved, notices changed; exit 1 when a figure or a notice differs). About 15 minutes.
REF ?= main
bench-ocr: $(VENV_OK)
	rm -rf build/ocr-ref && mkdir -p build/ocr-ref && git archive $(REF) parsers ingest | tar -x -C build/ocr-ref
	$(PY) bench/ocr_compare.py --code build/ocr-ref --save build/ocr-ref.json
	$(PY) bench/ocr_compare.py --save build/ocr-new.json --against build/ocr-ref.json

# Score on the real-notice corpus (REAL=folder with truth.json and cases/; CI keeps it beside the repository), as a
# Markdown table per file and in total. UPDATE=1 rewrites bench/real_score.json when no kept figure is worse.
REAL ?= ../shared/corpus/real
bench-real: $(VENV_OK)
	$(PY) bench/real.py --real $(REAL) $(if $(UPDATE),--update)

# The same score on the probe set (tests/probe: notices written here in shapes the corpus lacks), kept in
# tests/probe/score.json; UPDATE=1 raises it when no figure is worse.
bench-probe: $(VENV_OK)
	$(PY) bench/real.py --real tests/probe --kept tests/probe/score.json $(if $(UPDATE),--update)

# Speed: pipeline vs the floor per format, peers, --jobs 1/2, cache, memory, on a generated corpus (prints Markdown).
bench: $(VENV_OK) bytecode
	@test -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc || (apt-get update -q && apt-get install -y -q fonts-wqy-microhei)
	$(PY) bench/bench.py

# The README's picture of the review report (docs/report.png): the two sample PDFs through the pipeline, then
# report.html shot by headless Chromium (Debian's chromium package, installed when missing).
CHROMIUM_FLAGS := --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
                  --disable-component-update --disable-sync --hide-scrollbars
screenshot: $(VENV_OK)
	@command -v chromium >/dev/null || (apt-get update -q && apt-get install -y -q chromium)
	rm -rf build/screenshot && mkdir -p build/screenshot/profile docs
	$(PY) -m ingest samples/pudong-2024.pdf samples/qingpu-2021.pdf --out build/screenshot/out --no-cache --quiet
	chromium $(CHROMIUM_FLAGS) --user-data-dir=$(CURDIR)/build/screenshot/profile --window-size=1280,1600 \
	    --screenshot=$(CURDIR)/docs/report.png file://$(CURDIR)/build/screenshot/out/report.html 2>/dev/null

clean:
	rm -rf .venv build *.egg-info .pytest_cache

# The SQLite database of OUT in Datasette, with its metadata and the plugin that links each source_file to the file:
# http://127.0.0.1:8001/. Datasette is the optional extra [serve], installed here when missing. normalized/ keeps no
# database (its bytes differ between SQLite versions): make ingest writes it first when missing; another OUT must
# hold one already (make ingest IN=... OUT=...).
PORT ?= 8001
serve: $(VENV_OK)
	@test -f $(OUT)/notices.db || test "$(OUT)" != normalized || $(MAKE) ingest
	@test -f $(OUT)/notices.db || (echo "no $(OUT)/notices.db: run make ingest IN=folder OUT=$(OUT) first" >&2; exit 2)
	@$(PY) -c "import datasette" 2>/dev/null || $(PY) -m pip install -q -e '.[serve]'
	$(PY) -m datasette serve $(OUT)/notices.db -m $(OUT)/metadata.json --plugins-dir ingest/export/datasette_plugins \
	    -h 127.0.0.1 -p $(PORT)
