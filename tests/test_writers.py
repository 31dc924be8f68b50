"""ingest.writers on its own: JSON bytes, and a re-run that rewrites only the files whose bytes change."""
import json
import os

from ingest import ingest_bytes
from ingest.writers import json_bytes, write_all
from notice_factory import linjiang


def _stdlib(obj) -> bytes:
    return (json.dumps(obj, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def test_json_bytes_are_the_standard_librarys():
    obj = {"名称": "城关镇", "n": [1, 2.5, None, True], "empty": {}, "list": [], "nested": [{"a": "“引号”\n"}],
           "big": 2 ** 70, 3: "int key"}
    assert json_bytes(obj) == _stdlib(obj)                   # 2**70 is over orjson's range: the fallback
    del obj["big"]
    assert json_bytes(obj) == _stdlib(obj)


def test_a_rerun_rewrites_only_what_changed(tmp_path):
    notice = ingest_bytes("linjiang.txt", linjiang().to_text().encode("utf-8"), "linjiang-txt")
    out = tmp_path / "out"
    paths = write_all([notice], str(out))
    old = 1_000_000_000
    for p in paths:
        os.utime(p, (old, old))
    (out / "notices.csv").write_bytes(b"edited by hand")
    write_all([notice], str(out))
    changed = sorted(p.name for p in paths if p.stat().st_mtime != old)
    assert changed == ["notices.csv"]
    assert (out / "notices.csv").read_bytes().startswith("\ufeffnotice_id".encode("utf-8"))
