"""Datasette metadata for the database: titles, descriptions, facets, column units and canned queries from
ingest/templates/datasette.toml, each column's description from the writers' declaration, so that

    datasette out/notices.db -m out/metadata.json

shows a usable site. `make serve` adds the plugin in ingest/export/datasette_plugins/, which links each
source_file to the file itself."""
from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path

from .sqlite import BIG_INTEGERS, TableSpec

TEMPLATE = Path(__file__).resolve().parent.parent / "templates" / "datasette.toml"
BIG_INTEGERS_TEXT = ("integers beyond SQLite's 64 bits, which their columns hold as NULL: the exact values as JSON "
                     "({\"column\": \"digits\"})")


@lru_cache(maxsize=1)
def _template() -> dict:
    return tomllib.loads(TEMPLATE.read_text(encoding="utf-8"))


def metadata(specs: list[TableSpec], database: str) -> dict:
    """metadata.json for a database named `database` (its file name without .db) holding the tables of `specs`."""
    words = _template()
    tables = {}
    for spec in specs:
        table = dict(words.get("tables", {}).get(spec.name, {}))
        columns = {c: d for c, _, d in spec.columns if d}
        columns[BIG_INTEGERS] = BIG_INTEGERS_TEXT
        table["columns"] = columns
        if spec.search:
            table["fts_table"] = f"{spec.name}_fts"
        tables[spec.name] = table
    db = {"title": words["title"], "description": words["description"], "source": words["source"],
          "tables": tables, "queries": words.get("queries", {})}
    return {"title": words["title"], "description": words["description"], "about": words["about"],
            "databases": {database: db}}
