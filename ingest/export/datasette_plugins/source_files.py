"""A Datasette plugin (make serve loads it with --plugins-dir): each source_file cell is a link to the file itself,
which /-/source-file serves.

Only a regular file the database names with the SHA-256 of its bytes is served (source_files, or for a database
written before that table, notices' source_sha256): the database says which files the data came from, and since it
keeps rows an earlier run's database held, which anyone may have written, a path alone proves nothing (it could
name a key or a password file); a file whose bytes are the ones read can only be one the writer had already.
Paths are as the run was given them (relative ones from the folder Datasette was started in, as `make serve` does
from the repository's root)."""
from __future__ import annotations

import hashlib
import mimetypes
import os
from urllib.parse import quote

import markupsafe
from datasette import hookimpl
from datasette.utils.asgi import Response

TABLES = ("notices", "allocations", "monthly_plan")
# Shown in the browser; any other file (a saved web page above all: its scripts must never run on this site's
# origin) is sent as a download, and every answer is sandboxed.
INLINE = {"application/pdf", "image/png", "image/jpeg", "image/tiff", "text/plain"}
ROUTE = "/-/source-file/{database}?path={path}"


@hookimpl
def render_cell(value, column, table, database, datasette):
    """A source_file cell of the outputs' tables as a link to the file (Datasette's render_cell hook)."""
    if column != "source_file" or table not in TABLES or not isinstance(value, str) or not value:
        return None
    href = datasette.urls.path(ROUTE.format(database=quote(database, safe=""), path=quote(value, safe="")))
    return markupsafe.Markup('<a href="{}">{}</a>').format(href, value)


@hookimpl
def register_routes():
    """The route that serves a notice's source file (Datasette's register_routes hook)."""
    return [(r"^/-/source-file/(?P<database>[^/]+)$", serve_source)]


async def serve_source(datasette, request):
    """The source file a notice names, if the database lists it: nothing else on the disk is served."""
    path = request.args.get("path", "")
    name = request.url_vars["database"]
    try:
        db = datasette.get_database(name)
    except KeyError:
        return Response.text("no such database", status=404)
    named = False
    for table in TABLES:
        if await db.table_exists(table):
            hit = await db.execute(f"select 1 from [{table}] where source_file = ? limit 1", [path])
            named = named or bool(hit.rows)
    if not named or not os.path.isfile(path):
        return Response.text("not a source file of this database", status=404)
    with open(path, "rb") as fh:
        body = fh.read()
    if not await _named_with_digest(db, path, hashlib.sha256(body).hexdigest()):
        return Response.text("not a source file of this database", status=404)
    kind = mimetypes.guess_type(path)[0] or ""
    shown = kind in INLINE
    disposition = f"{'inline' if shown else 'attachment'}; filename*=UTF-8''{quote(os.path.basename(path))}"
    return Response(body, content_type=kind if shown else "application/octet-stream",
                    headers={"content-disposition": disposition, "x-content-type-options": "nosniff",
                             "content-security-policy": "sandbox"})


async def _named_with_digest(db, path: str, digest: str) -> bool:
    """Does the database name `path` as a file it read, with these very bytes?"""
    for table in ("source_files", "notices"):
        if await db.table_exists(table):
            hit = await db.execute(f"select 1 from [{table}] where source_file = ? and source_sha256 = ? limit 1",
                                   [path, digest])
            if hit.rows:
                return True
    return False
