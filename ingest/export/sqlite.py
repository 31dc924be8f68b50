"""The outputs as one SQLite database, for Datasette and any SQL tool: the tables the writers declare, with their
types, primary keys, foreign keys to the notices, indexes on the columns people filter by and full-text indexes.

Written with sqlite-utils (tables created from a declaration with keys and references, rows inserted in batches with
parameters, FTS5 set up and filled), into a temporary file beside the database that the writers rename into place
with the rest of the outputs. Every value goes in as a parameter, never into the SQL text; the only names in SQL
are the declared tables' and columns'.

Types: string and date are TEXT (dates ISO 8601), integer INTEGER, boolean INTEGER 0/1. An integer beyond SQLite's
64 bits (a figure is an exact Python int however many digits a document prints) cannot be stored as one: its column
holds NULL and the row's `big_integers` column holds the exact value, as JSON text ({"portions": "123…"}), the
notice's JSON file holding it too.

Full-text search over Chinese: FTS5's default tokenizer takes a run of Han characters for one word, so a search
for 献血屋 would find nothing inside a sentence; the trigram tokenizer (SQLite 3.34 and later) finds any run of three
or more characters. Shorter words are found with LIKE ('%献血%').

Rows of notices read by an earlier run into the same database and not read by this one are kept (`keep`): copied
column by column from the old file, for the columns both share, so the database holds every year read so far.
"""
from __future__ import annotations

import json
import os
import sqlite3
import sys
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Optional


@contextmanager
def _without(*modules: str):
    """Imports in this block find these modules missing, unless something has imported them already."""
    absent = [m for m in modules if m not in sys.modules]
    for m in absent:
        sys.modules[m] = None        # an import of it raises ImportError
    try:
        yield
    finally:
        for m in absent:
            if sys.modules.get(m, 0) is None:
                del sys.modules[m]


# sqlite-utils imports pandas and numpy when they are installed (pandas is, for the tests), only to store their
# value types, which these outputs never hold; that import was a third of every run's start-up.
with _without("pandas", "numpy"):
    import sqlite_utils

BIG_INTEGERS = "big_integers"
# PRAGMA application_id of the databases written here ("XXIG"), which tells them from another program's database
APPLICATION_ID = 0x58584947
# the tables the full-text index of a table adds beside it (sqlite-utils' FTS5 names)
FTS_SHADOWS = ("_fts", "_fts_data", "_fts_idx", "_fts_docsize", "_fts_config", "_fts_content")
# files SQLite keeps beside a database it is writing: left there, they are applied to the next file of that name
SIDE_FILES = ("-wal", "-journal")
INT64 = (-(2 ** 63), 2 ** 63 - 1)
SQL_TYPES = {"string": str, "date": str, "integer": int, "boolean": int}
TRIGRAM = sqlite3.sqlite_version_info >= (3, 34)


@dataclass(frozen=True)
class TableSpec:
    """A table of the database: its columns (name, Frictionless type, description), primary key, references
    (column, other table, other column), indexes, full-text columns, and the column naming the notice a row belongs
    to ('' for a table whose rows are never kept from an earlier database)."""

    name: str
    columns: tuple[tuple[str, str, str], ...]
    pk: tuple[str, ...]
    references: tuple[tuple[str, str, str], ...] = ()
    indexes: tuple[tuple[str, ...], ...] = ()
    search: tuple[str, ...] = ()
    notice_column: str = ""

    @property
    def names(self) -> list[str]:
        return [c for c, _, _ in self.columns]


@dataclass(frozen=True)
class Keep:
    """Rows to carry over from the database an earlier run wrote: the notices (by id) this run did not read."""

    path: Path
    notice_ids: frozenset


class EarlierDatabaseError(ValueError):
    """The file where the database goes is not one an earlier run wrote (not a database, damaged, another's): it
    is neither read nor replaced."""


def staging_file(dest: Path) -> Path:
    """A new empty temporary file beside `dest`, for stage_database to write the database into."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=dest.parent)
    os.close(fd)
    return Path(name).resolve()


def stage_database(dest: Path, specs: list[TableSpec], rows: dict[str, Iterable[dict]],
                   keep: Optional[Keep] = None, into: Optional[Path] = None) -> Path:
    """The database written whole to a temporary file beside `dest` (`into`, from staging_file, or a new one;
    removed on failure); the caller renames it into place. `rows` maps a table name to its rows as dicts (the
    records the CSV files are written from)."""
    tmp = into if into is not None else staging_file(dest)
    try:
        # a URI connection, so that the ATTACH of an earlier database below opens it read-only
        conn = sqlite3.connect(tmp.as_uri(), uri=True)
        try:
            _fill(sqlite_utils.Database(conn, execute_plugins=False), specs, rows, keep)
        finally:
            conn.close()
        os.chmod(tmp, 0o666 & ~_umask())
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _fill(db: sqlite_utils.Database, specs: list[TableSpec], rows: dict[str, Iterable[dict]],
          keep: Optional[Keep]) -> None:
    """Create every table, insert the rows (and the kept ones), then the indexes and full-text indexes."""
    db.execute("PRAGMA journal_mode = OFF")      # a temporary file, renamed only once complete
    db.execute("PRAGMA synchronous = OFF")
    db.execute("PRAGMA trusted_schema = OFF")    # an earlier database's views and triggers run nothing of ours
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    kept = keep is not None and bool(keep.notice_ids)
    if kept:
        db.execute("ATTACH DATABASE ? AS earlier", [Path(keep.path).resolve().as_uri() + "?mode=ro"])
    try:
        with db.atomic():
            for spec in specs:
                _create(db, spec)
                _insert(db, spec, rows.get(spec.name, ()))
            if kept:
                _copy_kept(db, specs, keep)
            for spec in specs:
                for cols in spec.indexes:
                    db[spec.name].create_index(cols, if_not_exists=True)
    finally:
        if kept:
            db.execute("DETACH DATABASE earlier")
    for spec in specs:       # (enable_fts runs a script, which would end the transaction above)
        if spec.search:
            db[spec.name].enable_fts(spec.search, fts_version="FTS5", tokenize="trigram" if TRIGRAM else None)
    db.execute("PRAGMA journal_mode = DELETE")


def _create(db: sqlite_utils.Database, spec: TableSpec) -> None:
    columns = {c: SQL_TYPES.get(t, str) for c, t, _ in spec.columns}
    columns[BIG_INTEGERS] = str
    db[spec.name].create(columns, pk=spec.pk if len(spec.pk) > 1 else spec.pk[0],
                         foreign_keys=[(c, other, other_col) for c, other, other_col in spec.references])


def _insert(db: sqlite_utils.Database, spec: TableSpec, rows: Iterable[dict]) -> None:
    """The rows into the table sqlite-utils created, by one prepared statement (sqlite-utils' insert_all looks at
    every value of every row again, which made it most of the time the outputs took)."""
    cols = spec.names + [BIG_INTEGERS]
    sql = (f"INSERT INTO {_q(spec.name)} ({', '.join(_q(c) for c in cols)}) "
           f"VALUES ({', '.join('?' for _ in cols)})")
    db.conn.executemany(sql, _values(spec, rows))


def _values(spec: TableSpec, rows: Iterable[dict]) -> Iterator[tuple]:
    """Rows as SQLite takes them, in the table's column order: booleans 0/1, lists as the CSV files write them
    (space-separated), integers beyond 64 bits NULL with the exact value in big_integers, anything else as text."""
    names = spec.names
    for r in rows:
        out, big = [], {}
        get = r.get
        for c in names:
            v = get(c)
            t = type(v)
            if t is str or v is None or t is float:     # by type identity: most values, a million on a large run
                pass
            elif t is int:
                if not INT64[0] <= v <= INT64[1]:
                    big[c], v = str(v), None
            elif isinstance(v, bool):
                v = int(v)
            elif isinstance(v, int):
                if not INT64[0] <= v <= INT64[1]:
                    big[c], v = str(v), None
            elif isinstance(v, (list, tuple)):
                v = " ".join(str(x) for x in v)
            else:
                v = str(v)
            out.append(v)
        out.append(json.dumps(big, ensure_ascii=False) if big else None)
        yield tuple(out)


def _copy_kept(db: sqlite_utils.Database, specs: list[TableSpec], keep: Keep) -> None:
    """The kept notices' rows, from the earlier database (attached read-only), for the columns both have."""
    db.execute("CREATE TEMP TABLE kept_ids (notice_id TEXT PRIMARY KEY)")
    db.conn.executemany("INSERT INTO temp.kept_ids VALUES (?)", [(i,) for i in sorted(keep.notice_ids)])
    have = {r[0] for r in db.execute("SELECT name FROM earlier.sqlite_master WHERE type = 'table'")}
    for spec in specs:
        if not spec.notice_column or spec.name not in have:
            continue
        theirs = {r[1] for r in db.execute(f"PRAGMA earlier.table_info({_q(spec.name)})")}
        if spec.notice_column not in theirs:
            continue
        cols = ", ".join(_q(c) for c in spec.names + [BIG_INTEGERS] if c in theirs)
        db.execute(f"INSERT OR IGNORE INTO main.{_q(spec.name)} ({cols}) SELECT {cols} FROM earlier.{_q(spec.name)}"
                   f" WHERE {_q(spec.notice_column)} IN (SELECT notice_id FROM temp.kept_ids)")
    db.execute("DROP TABLE temp.kept_ids")


def _q(name: str) -> str:
    """A declared table or column name as an SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def read_earlier(path: Path, tables: dict[str, list[str]]) -> dict[str, list[dict]]:
    """The rows of an earlier run's database, table by table, for the columns asked that it has (a table it lacks
    gives no rows). Raises EarlierDatabaseError when the file cannot be read as a database."""
    uri = Path(path).resolve().as_uri() + "?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True)
    except sqlite3.Error as exc:
        raise EarlierDatabaseError(f"{path}: cannot be opened ({exc})") from None
    try:
        conn.execute("PRAGMA trusted_schema = OFF")     # run no function a view or trigger of the file names
        have = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        out = {}
        for name, wanted in tables.items():
            cols = [r[1] for r in conn.execute(f"PRAGMA table_info({_q(name)})")] if name in have else []
            use = [c for c in wanted if c in cols]
            out[name] = [dict(zip(use, row)) for row in conn.execute(
                f"SELECT {', '.join(_q(c) for c in use)} FROM {_q(name)}")] if use else []
        return out
    except sqlite3.Error as exc:
        raise EarlierDatabaseError(f"{path}: cannot be read as a database ({exc})") from None
    finally:
        conn.close()


def check_earlier(path: Path, specs: Optional[list[TableSpec]] = None) -> None:
    """Raise EarlierDatabaseError unless `path` is missing or a database this tool wrote: a run replaces the
    database, and must never replace a file that is something else, nor lose what someone added to one of ours.
    Ours: an SQLite file (not a link to one elsewhere) with our application_id (or none, as the first versions
    wrote), a notices table keyed by notice_id, and no table, view or trigger but those of `specs` (when given).
    Also refused: a write-ahead log or rollback journal left beside it, which SQLite would apply to the new file."""
    path = Path(path)
    for suffix in SIDE_FILES:
        side = Path(f"{path}{suffix}")
        if side.is_symlink() or (side.exists() and side.stat().st_size > 0):
            raise EarlierDatabaseError(f"{side}: SQLite's {suffix[1:]} file is beside the database (a program has it "
                                       f"open, or stopped while writing it); close that program, or open the "
                                       f"database once with sqlite3 to finish its write, and run again (nothing "
                                       f"was replaced)")
    if path.is_symlink():
        raise EarlierDatabaseError(f"{path}: is a symbolic link; give --sqlite the file it points to (it is not "
                                   f"replaced)")
    if not path.exists():
        return
    if not path.is_file():
        raise EarlierDatabaseError(f"{path}: exists and is not a file; give --sqlite another path")
    with open(path, "rb") as fh:
        header = fh.read(16)
    if header != b"SQLite format 3\x00":
        raise EarlierDatabaseError(f"{path}: exists and is not an SQLite database; give --sqlite another path "
                                   "(it is not replaced)")
    why = _not_ours(path, specs)
    if why:
        raise EarlierDatabaseError(f"{path}: {why}; give --sqlite another path (it is not replaced)")


def _not_ours(path: Path, specs: Optional[list[TableSpec]]) -> str:
    """Why the database at `path` is not one this tool wrote, or ''."""
    conn = sqlite3.connect(Path(path).resolve().as_uri() + "?mode=ro", uri=True)
    try:
        conn.execute("PRAGMA trusted_schema = OFF")
        app = conn.execute("PRAGMA application_id").fetchone()[0]
        if app not in (0, APPLICATION_ID):
            return f"another program's SQLite database (application_id {app:#x})"
        objects = conn.execute("SELECT type, name FROM sqlite_master WHERE type IN ('table', 'view', 'trigger') "
                               "AND name NOT LIKE 'sqlite!_%' ESCAPE '!'").fetchall()
        if ("table", "notices") not in objects:
            return "an SQLite database without a notices table, not one this tool wrote"
        columns = {r[1] for r in conn.execute("PRAGMA table_info(notices)")}
        if not {"notice_id", "source_sha256"} <= columns:
            return "an SQLite database whose notices table is not this tool's (no notice_id, source_sha256)"
        if specs is not None:
            ours = {sp.name + shadow for sp in specs for shadow in ("", *FTS_SHADOWS)}
            theirs = sorted(f"{kind} {name}" for kind, name in objects if name not in ours or kind != "table")
            if theirs:
                return (f"holds what this tool does not write ({', '.join(theirs[:5])}"
                        f"{' …' if len(theirs) > 5 else ''}), which replacing it would lose")
        return ""
    except sqlite3.Error as exc:
        raise EarlierDatabaseError(f"{path}: cannot be read as a database ({exc})") from None
    finally:
        conn.close()
