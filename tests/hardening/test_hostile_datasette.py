"""make serve's plugin serves a notice's source file only when the database names it and holds its SHA-256: the
database keeps the rows an earlier run left in it, so whoever wrote that file could otherwise name any file on
the disk (a key, a password file) and have Datasette serve it."""
from __future__ import annotations

import asyncio
import json
import shutil
import sqlite3

from hostile import NOTICE, ROOT, run_cli

TEXT = f"{NOTICE}\n附件\n序号\t单位\t任务数\n1\t东山村\t12\n2\t西山村\t30\n合计\t\t42\n"


def _get(db, metadata, *paths):
    from datasette.app import Datasette
    ds = Datasette([str(db)], metadata=json.loads(metadata.read_text(encoding="utf-8")),
                   plugins_dir=str(ROOT / "ingest" / "export" / "datasette_plugins"))

    async def fetch():
        return [await ds.client.get(p) for p in paths]
    return asyncio.run(fetch())


def test_a_file_named_by_rows_kept_from_an_earlier_database_is_served_only_with_its_digest(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("the key to everything", encoding="utf-8")
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    out = tmp_path / "out"
    assert run_cli(tmp_path / "a.txt", "--out", out, "--no-cache").returncode == 0
    conn = sqlite3.connect(out / "notices.db")      # the earlier database, as someone else left it
    conn.execute("UPDATE notices SET source_file = ?", [str(secret)])
    conn.execute("UPDATE allocations SET source_file = ?", [str(secret)])
    conn.commit()
    conn.close()
    (tmp_path / "b.txt").write_text(TEXT.replace("2025", "2026"), encoding="utf-8")
    assert run_cli(tmp_path / "b.txt", "--out", out, "--no-cache").returncode == 0
    quoted = str(secret).replace("/", "%2F")
    mine = str(tmp_path / "b.txt").replace("/", "%2F")
    stolen, served = _get(out / "notices.db", out / "metadata.json", f"/-/source-file/notices?path={quoted}",
                          f"/-/source-file/notices?path={mine}")
    assert stolen.status_code == 404 and b"the key" not in stolen.content
    assert served.status_code == 200 and served.content == (tmp_path / "b.txt").read_bytes()


def test_an_annex_file_is_served_by_its_own_digest(tmp_path):
    """An annex file's rows name it in allocations; its digest is kept beside the body's."""
    folder = tmp_path / "notice"
    shutil.copytree(ROOT / "samples" / "several-files" / "qingpu-2021", folder)
    out = tmp_path / "out"
    assert run_cli(folder, "--out", out, "--no-cache").returncode == 0
    conn = sqlite3.connect(out / "notices.db")
    annex = conn.execute("SELECT DISTINCT source_file FROM allocations WHERE source_file LIKE '%.xlsx'").fetchone()[0]
    conn.close()
    [served] = _get(out / "notices.db", out / "metadata.json",
                    "/-/source-file/notices?path=" + annex.replace("/", "%2F"))
    assert served.status_code == 200 and served.content == open(annex, "rb").read()
