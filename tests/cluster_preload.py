"""Preloaded into the test cluster's Dask workers (`dask worker --preload tests/cluster_preload.py`): stand-ins for
what a real cluster meets only now and then, set off by a marker line in a test file's text.

- XIANXUE-TEST-CRASH: the reader dies as a C library does on a file it cannot handle (SIGSEGV), every time.
- XIANXUE-TEST-SLOW: the reader notes that it started (a file slow-PID in $XIANXUE_TEST_MARKS holding the worker's
  process group, which is its `dask worker` command's), then takes seconds, so that the test can kill the worker
  while the file is being read.
- XIANXUE-TEST-OCR: the reader reports an OCR page before reading, as the OCR reader does page by page (real OCR
  takes tens of seconds a page on the test machine; tests/test_ocr.py tests it).

Everything else is read as usual, and a marker line is plain text to a local run: its outputs are the reference.
"""
import os
import signal
import time
from pathlib import Path

import parsers

# Dask may run a preload module twice in one process: the reader wrapped is always the pipeline's own.
_read_bytes = parsers.__dict__.setdefault("_read_bytes_unwrapped", parsers.read_bytes)


def read_bytes(path, data, on_ocr_page=None, **limits):
    if b"XIANXUE-TEST-CRASH" in data:
        os.kill(os.getpid(), signal.SIGSEGV)
    if b"XIANXUE-TEST-SLOW" in data:
        marks = Path(os.environ["XIANXUE_TEST_MARKS"])
        (marks / f"slow-{os.getpid()}").write_text(str(os.getpgid(0)), encoding="ascii")
        time.sleep(4)
    if b"XIANXUE-TEST-OCR" in data and on_ocr_page is not None:
        on_ocr_page(1, 1)
    return _read_bytes(path, data, on_ocr_page, **limits)


parsers.read_bytes = read_bytes
