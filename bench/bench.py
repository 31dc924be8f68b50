#!/usr/bin/env python3
"""The speed benchmark (make bench): prints Markdown tables to paste into a note.

    .venv/bin/python bench/bench.py [--files 300] [--peers 8] [--keep DIR] [--profile FILE]

It builds a corpus (bench/corpus.py: a few hundred variants of the samples, PDF/DOCX/text, long tables, many pages)
in a temporary folder, then measures, on the samples and on the corpus:
  - per format, the pipeline next to the floor, in the same process, file by file: the floor is what any tool must
    do to read the file at all (PDF: pdfplumber opening it and reading every page's chars and lines, and beside it
    PDFium's floor, pypdfium2 reading every character with its box and every page object; DOCX:
    python-docx opening it and walking its paragraphs and tables; text: reading and decoding). Times are CPU
    seconds of this process, so other work on the machine does not skew the ratio;
  - where the pipeline's time goes, stage by stage;
  - the peers on the same PDFs: pdfplumber's extract_tables() on every page, and camelot (lattice) if installed,
    beside both floors and the pipeline with either PDF reader;
  - PDFs through the whole command (python -m ingest --jobs 1 --no-cache: start-up, reading, writing) beside the
    floors on the same files, least of three runs, CPU and wall;
  - the command line on the whole corpus: files per second at --jobs 1 and --jobs 2, both without cache (wall
    clock), then --jobs 2 filling an empty cache; outputs compared;
  - the cache: a cold run; re-runs with nothing changed (into the same output folder: up to date; into a new one)
    and with one file changed;
  - peak memory: the largest notice alone, and the whole corpus run;
  - OCR: the scanned samples (samples/scanned) through the command line at --jobs 1 and --jobs 2, seconds per page
    (wall, and CPU of all the run's processes: the wall clock is only as good as the machine is quiet).
Nothing here is a test: it asserts nothing but that the runs succeed and says whether outputs are identical.
"""
from __future__ import annotations

import argparse
import io
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

FORMATS = {".pdf": "pdf", ".docx": "docx", ".txt": "text"}
cpu = time.process_time


# ------------------------------------------------------------------------------------------------- floors

def floor_pdf(path: Path) -> None:
    import pdfplumber
    with pdfplumber.open(io.BytesIO(path.read_bytes())) as pdf:
        for page in pdf.pages:
            page.chars
            page.lines
            page.close()


def floor_pdfium(path: Path) -> None:
    """PDFium's floor: open the file and read every page's characters, each with its box, and its page objects
    (forms included): what the PDFium reader starts from."""
    import pypdfium2 as pdfium
    pdf = pdfium.PdfDocument(path.read_bytes())
    try:
        for i in range(len(pdf)):
            page = pdf[i]
            text = page.get_textpage()
            for k in range(text.count_chars()):
                text.get_charbox(k, loose=True)
            for obj in page.get_objects(max_depth=8):
                obj.type
            text.close()
            page.close()
    finally:
        pdf.close()


def floor_docx(path: Path) -> None:
    import docx
    d = docx.Document(io.BytesIO(path.read_bytes()))
    for p in d.paragraphs:
        p.text
    for t in d.tables:
        for row in t.rows:
            for cell in row.cells:
                cell.text


def floor_text(path: Path) -> None:
    data = path.read_bytes()
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        data.decode("gb18030")


FLOORS = {"pdf": floor_pdf, "docx": floor_docx, "text": floor_text}


def peer_extract_tables(path: Path) -> None:
    import pdfplumber
    with pdfplumber.open(io.BytesIO(path.read_bytes())) as pdf:
        for page in pdf.pages:
            page.extract_tables()
            page.close()


def peer_camelot(path: Path) -> None:
    import camelot
    camelot.read_pdf(str(path), pages="all", flavor="lattice")


def camelot_available() -> bool:
    try:
        import camelot  # noqa: F401
        return True
    except Exception:
        return False


# ------------------------------------------------------------------------------------------------- stages

class StageClock:
    """Wraps the stages ingest.pipeline calls (by the names it imports them under) to add up their CPU time."""

    STAGES = [("reader", "parsers", "read_bytes"), ("clean", "clean", "strip_furniture"),
              ("clean", "linetables", "split_blocks"), ("clean", "clean", "paragraphs"),
              ("stack", None, "stack_contiguous"), ("notice", None, "read_notice"), ("tables", None, "_tables"),
              ("checks", None, "review"), ("checks", None, "run_checks")]

    def __init__(self):
        from ingest import pipeline
        self.totals: dict[str, float] = defaultdict(float)
        wrapped_checks = False
        for label, module, name in self.STAGES:
            owner = getattr(pipeline, module) if module else pipeline
            if not hasattr(owner, name) or (label == "checks" and wrapped_checks):
                continue
            wrapped_checks = wrapped_checks or label == "checks"
            setattr(owner, name, self._wrap(label, getattr(owner, name)))

    def _wrap(self, label, fn):
        def timed(*a, **k):
            t = cpu()
            try:
                return fn(*a, **k)
            finally:
                self.totals[label] += cpu() - t
        return timed

    def take(self) -> dict:
        out = dict(self.totals)
        self.totals.clear()
        return out


def measure_formats(files: list[Path], clock: StageClock) -> tuple[dict, dict]:
    """Per format: floor and pipeline CPU seconds (file by file, floor first), pages; per file: pipeline time."""
    from ingest import ingest_file
    from ingest.settings import Settings
    settings = Settings(jobs=1)
    per: dict = defaultdict(lambda: {"files": 0, "pages": 0, "floor": 0.0, "pipeline": 0.0, "pdfium": 0.0,
                                     "stages": defaultdict(float), "rows": 0})
    each: dict = {}
    for f in files:
        fmt = FORMATS[f.suffix]
        t = cpu()
        FLOORS[fmt](f)
        fl = cpu() - t
        if fmt == "pdf":
            t = cpu()
            floor_pdfium(f)
            per[fmt]["pdfium"] += cpu() - t
        clock.take()
        t = cpu()
        n = ingest_file(str(f), f.stem, settings)
        pl = cpu() - t
        if n.error:
            raise SystemExit(f"{f}: unreadable: {n.error}")
        row = per[fmt]
        row["files"] += 1
        row["pages"] += len(n.pages)
        row["rows"] = max(row["rows"], max((len(t.rows) for t in n.tables), default=0))
        row["floor"] += fl
        row["pipeline"] += pl
        for k, v in clock.take().items():
            row["stages"][k] += v
        each[f] = (fl, pl, len(n.pages))
    return per, each


# ------------------------------------------------------------------------------------------------- child runs

def peak_rss_kb() -> int:
    """This process's peak resident set. VmHWM belongs to the address space, so it starts afresh at exec; the
    rusage figure would carry over the peak of the (large) benchmark process that started this one."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def child_cli(argv: list[str], result: str) -> int:
    """In a child process: run the CLI, then record wall time and peak memory of this process and its workers
    (forked, not exec'd: their rusage peak is their own), this process's CPU time and each worker's (the run's
    stats): on a busy machine, this process's CPU plus the busiest worker's bounds what the wall time would be on
    an idle one."""
    from ingest import cli, job
    seen = {}

    def remember(*args, **kwargs):
        seen["stats"] = (res := job.ingest_paths(*args, **kwargs)).stats
        return res

    cli.ingest_paths = remember
    t = time.perf_counter()
    rc = cli.main(argv)
    wall = time.perf_counter() - t
    self_kb = peak_rss_kb()
    kids_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    workers = seen["stats"].worker_cpu if "stats" in seen else []
    Path(result).write_text(json.dumps({"rc": rc, "wall": wall, "self_kb": self_kb, "kids_kb": kids_kb,
                                        "self_cpu": cpu(), "busiest_cpu": max(workers, default=0.0)}))
    return 0


def child_one(path: str, result: str) -> int:
    """In a child process: one notice; the process's peak RSS, then the Python heap's peak (tracemalloc) over
    ingest_bytes on bytes already read (ingest_file's bounded read reserves max_bytes of address space up front,
    which tracemalloc counts although it is never touched)."""
    import tracemalloc
    from ingest import ingest_bytes, ingest_file
    base_kb = peak_rss_kb()
    t = time.perf_counter()
    n = ingest_file(path)
    wall = time.perf_counter() - t
    rss_kb = peak_rss_kb()
    data = Path(path).read_bytes()
    tracemalloc.start()
    ingest_bytes(path, data, "largest")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    Path(result).write_text(json.dumps({"base_kb": base_kb, "rss_kb": rss_kb, "heap": peak, "wall": wall,
                                        "pages": len(n.pages)}))
    return 0


def run_child(mode: str, args: list[str], tmp: Path) -> tuple[dict, str]:
    result = tmp / f"result-{time.monotonic_ns()}.json"
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.run([sys.executable, __file__, mode, str(result), "--", *args], cwd=ROOT,
                          capture_output=True, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0 or not result.exists():
        raise SystemExit(f"{mode} {' '.join(args)} failed:\n{proc.stderr[-3000:]}")
    data = json.loads(result.read_text())
    data["cpu"] = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    if data.get("rc", 0) not in (0, 3):
        raise SystemExit(f"ingest {' '.join(args)} exited {data['rc']}:\n{proc.stderr[-3000:]}")
    return data, proc.stderr


def batch_seconds(stderr: str) -> tuple[float, int, int]:
    import re
    m = re.search(r"(\d+) files in ([\d.]+) s: (\d+) parsed, (\d+) from cache", stderr)
    return (float(m.group(2)), int(m.group(3)), int(m.group(4))) if m else (float("nan"), -1, -1)


def same_tree(a: Path, b: Path) -> bool:
    def tree(folder):
        return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    return tree(a) == tree(b)


def writing_breakdown(folder: Path, cache: Path) -> str:
    """Where writing the outputs goes, from a cProfile of write_all on the corpus's notices (shares), scaled to
    an unprofiled run of it (seconds)."""
    import cProfile
    import pstats
    from ingest import batch
    from ingest.writers import write_all
    notices = batch.run([str(folder)], {"jobs": 1, "cache_dir": str(cache)})
    crops = cache / "crops"       # as the command line does: the report's pictures come from the cache
    with tempfile.TemporaryDirectory() as out, tempfile.TemporaryDirectory() as again:
        t = time.perf_counter()
        write_all(notices, out, crop_dir=str(crops))
        total = time.perf_counter() - t
        prof = cProfile.Profile()
        prof.enable()
        write_all(notices, again, crop_dir=str(crops))     # a new folder: every file written
        prof.disable()
    st = pstats.Stats(prof).stats
    profiled = sum(tt for (_, _, _), (_, _, tt, _, _) in st.items())

    def cum(name: str, file_part: str = "") -> float:
        return sum(ct for (f, _, fn), (_, _, _, ct, _) in st.items() if fn == name and file_part in f)

    parts = [("report.html: pictures of the findings (rendered while reading, kept with the notices)", cum("pictures")),
             ("report.html: the rest", cum("report_html") - cum("pictures")),
             ("report.md", cum("report_md")),
             ("notices/*.json (orjson)", cum("json_bytes")),
             ("CSV files", cum("csv_bytes"))]
    rows = [[name, f"{total * v / profiled:.2f}", f"{100 * v / profiled:.0f}%"] for name, v in parts]
    rest = profiled - sum(v for _, v in parts)
    rows.append(["the rest (records, atomic writes)", f"{total * rest / profiled:.2f}", f"{100 * rest / profiled:.0f}%"])
    rows.append([f"**write_all, {len(notices)} notices**", f"**{total:.2f}**", "100%"])
    return table(["writing the outputs (in process)", "s", "share"], rows)


def min_of(runs: int, fn) -> tuple[float, float]:
    """(CPU s, wall s) of fn(), the least of `runs` runs each (the least disturbed by other work)."""
    cpus, walls = [], []
    for _ in range(runs):
        t, w = cpu(), time.perf_counter()
        fn()
        cpus.append(cpu() - t)
        walls.append(time.perf_counter() - w)
    return min(cpus), min(walls)


def command(argv: list[str]) -> tuple[float, float]:
    """(CPU s of the process and its workers, wall s) of one `python -m ingest` run, start-up included."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    w = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "ingest", *argv], cwd=ROOT, capture_output=True, text=True)
    wall = time.perf_counter() - w
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 3):
        raise SystemExit(f"ingest {' '.join(argv)} exited {proc.returncode}:\n{proc.stderr[-3000:]}")
    return (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime), wall


def pdf_whole_command(pdfs: list[Path], tmp: Path, runs: int = 3) -> str:
    """The whole command on PDFs alone (--jobs 1, no cache: start-up, reading, writing every output) beside the
    floors and extract_tables() on the same files, each the least of `runs` runs."""
    folder = tmp / "pdfs"
    folder.mkdir()
    for k, f in enumerate(pdfs):
        shutil.copyfile(f, folder / f"{k:03d}-{f.name}")
    files = sorted(folder.iterdir())
    pages = 0
    import pypdfium2 as pdfium
    for f in files:
        doc = pdfium.PdfDocument(str(f))
        pages += len(doc)
        doc.close()

    def each(fn):
        return lambda: [fn(f) for f in files]

    timings = {"pdfplumber floor (chars + lines, in process)": min_of(runs, each(floor_pdf)),
               "PDFium floor (chars with boxes + objects, in process)": min_of(runs, each(floor_pdfium)),
               "pdfplumber extract_tables() (in process)": min_of(runs, each(peer_extract_tables))}
    for reader in ("pdfium", "pdfplumber"):
        out = tmp / f"whole-{reader}"
        argv = [str(folder), "--out", str(out), "--jobs", "1", "--no-cache", "--quiet", "--pdf-reader", reader]
        results = [command(argv) for _ in range(runs)]
        label = "whole command, PDFium reader (default)" if reader == "pdfium" else \
            "whole command, --pdf-reader pdfplumber"
        timings[label] = (min(c for c, _ in results), min(w for _, w in results))
    startup = [command(["--help"]) for _ in range(runs)]
    timings["of which: start-up alone (python -m ingest --help)"] = (min(c for c, _ in startup),
                                                                     min(w for _, w in startup))
    base = timings["pdfplumber floor (chars + lines, in process)"][0]
    rows = [[name, f"{c:.2f}", f"{w:.2f}", f"{1000 * c / pages:.0f}", f"**{ratio(c, base)}**"]
            for name, (c, w) in timings.items()]
    return (f"### PDFs: the whole command beside the floors ({len(files)} PDFs, {pages} pages; least of {runs} "
            f"runs each)\n\n"
            + table(["what", "CPU s", "wall s", "CPU ms/page", "× pdfplumber floor (CPU)"], rows)
            + "\n\nThe whole command is `python -m ingest FOLDER --jobs 1 --no-cache`: Python's start-up and "
              "imports, reading, every stage, and writing all outputs (CSV, JSON, report with its crops).")


def ocr_speed(tmp: Path) -> str:
    """The scanned samples through the command line, without cache, at --jobs 1 and 2: wall seconds per page."""
    import pdfplumber
    scans = sorted(p for p in (ROOT / "samples" / "scanned").iterdir() if p.suffix in (".pdf", ".png", ".jpg"))
    if not scans:
        return "### OCR\n\nno scanned samples (make samples)"
    pages = 0
    for f in scans:
        if f.suffix == ".pdf":
            with pdfplumber.open(f) as pdf:
                pages += len(pdf.pages)
        else:
            pages += 1
    rows, outs = [], []
    for jobs in (1, 2):
        o = tmp / f"ocr-jobs{jobs}"
        data, err = run_child("--child-cli", [str(p) for p in scans] + ["--out", str(o), "--jobs", str(jobs),
                                                                        "--no-cache", "--quiet"], tmp)
        outs.append(o)
        mem = mb(data["self_kb"]) + (f" + workers ≤ {mb(data['kids_kb'])} each" if jobs > 1 else "")
        rows.append([f"--jobs {jobs}", f"{data['wall']:.1f}", f"**{data['wall'] / pages:.2f}**",
                     f"{pages / data['wall']:.2f}", f"{data['cpu'] / pages:.2f}", mem])
    names = ", ".join(f.name for f in scans)
    return (f"### OCR ({len(scans)} scanned samples, {pages} pages: {names}; no cache, wall clock)\n\n"
            + table(["run", "wall s", "s/page", "pages/s", "CPU s/page (all processes)", "peak RSS"], rows)
            + f"\n\nOutputs of --jobs 2 identical to --jobs 1: **{'yes' if same_tree(*outs) else 'NO'}**.")


# ------------------------------------------------------------------------------------------------- output

def mb(kb: float) -> str:
    return f"{kb / 1024:.0f} MB"


def table(header: list[str], rows: list[list]) -> str:
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" if i == 0 else "---:" for i in range(len(header))) + "|"]
    for r in rows:
        out.append("| " + " | ".join(str(x) for x in r) + " |")
    return "\n".join(out)


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}" if b > 0 else "n/a"


def format_rows(label: str, per: dict) -> list[list]:
    rows = []
    for fmt in ("pdf", "docx", "text"):
        if fmt not in per:
            continue
        r = per[fmt]
        reader = r["stages"].get("reader", 0.0)
        pdfium = f"{r['pdfium']:.2f}" if fmt == "pdf" else ""
        rows.append([label, fmt, r["files"], r["pages"] or "", f"{r['floor']:.2f}", pdfium, f"{r['pipeline']:.2f}",
                     f"**{ratio(r['pipeline'], r['floor'])}**", f"{reader:.2f}", f"{r['pipeline'] - reader:.2f}",
                     f"{1000 * r['pipeline'] / r['files']:.0f}"])
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--files", type=int, default=300, help="notices in the generated corpus (default 300)")
    ap.add_argument("--peers", type=int, default=8, help="PDFs the peers are timed on (default 8)")
    ap.add_argument("--keep", help="build the corpus here and keep it (default: a temporary folder, removed)")
    ap.add_argument("--profile", metavar="FILE", help="also print a cProfile of the pipeline on this file")
    ap.add_argument("--no-ocr", action="store_true", help="leave out the OCR runs (a few minutes on 2 cores)")
    args = ap.parse_args()

    # The package's modules as an installed package has them, compiled (make bytecode; an editable install's are
    # not, and where PYTHONDONTWRITEBYTECODE is set each command run would compile them again).
    import compileall
    for package in ("ingest", "parsers"):
        compileall.compile_dir(str(ROOT / package), quiet=1)
    tmp = Path(tempfile.mkdtemp(prefix="xianxue-bench-"))
    try:
        return bench(args, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def bench(args, tmp: Path) -> int:
    import corpus
    import pdfplumber
    from importlib.metadata import version

    def say(text=""):
        print(text, flush=True)

    load = os.getloadavg()[0]
    folder = Path(args.keep) if args.keep else tmp / "corpus"
    if folder.exists() and any(folder.iterdir()):
        raise SystemExit(f"--keep {folder}: choose a new or empty folder")
    t = time.perf_counter()
    files = corpus.build(folder, args.files)
    gen = time.perf_counter() - t
    samples = sorted(p for p in (ROOT / "samples").iterdir() if p.suffix in FORMATS)

    say("## xianxue-ingest speed")
    say()
    say(f"Machine: {os.cpu_count()} cores, Python {platform.python_version()}, pdfplumber {version('pdfplumber')}, "
        f"pdfminer.six {version('pdfminer.six')}, python-docx {version('python-docx')}; "
        f"load average {load:.1f} at the start.")
    n_fmt = defaultdict(int)
    for f in files:
        n_fmt[FORMATS[f.suffix]] += 1
    say(f"Corpus: {len(files)} generated notices ({n_fmt['pdf']} PDF, {n_fmt['docx']} DOCX, {n_fmt['text']} text; "
        f"{sum(f.stat().st_size for f in files) / 1e6:.1f} MB), built in {gen:.0f} s.")
    say()

    # ---- pipeline vs floor, per format
    clock = StageClock()
    from ingest import ingest_file
    ingest_file(str(samples[0]))            # imports and first-call set-up outside the measurements
    for fmt, fn in FLOORS.items():
        fn(next(p for p in samples if FORMATS[p.suffix] == fmt))
    per_samples, _ = measure_formats(samples, clock)
    per_corpus, each = measure_formats(files, clock)
    say("### Pipeline vs floor (CPU seconds, one process, file by file)")
    say()
    say(table(["set", "format", "files", "pages", "floor s", "PDFium floor s", "pipeline s", "ratio", "reader s",
               "after reader s", "ms/file"], format_rows("samples", per_samples) + format_rows("corpus", per_corpus)))
    say()
    say("The floor of a PDF is pdfplumber's (every page's chars and lines); the PDFium floor is pypdfium2 reading "
        "every character with its box and every page object. The ratio is the pipeline (PDFium reader, the "
        "default) to the floor.")
    say()
    rows = []
    fmts = [f for f in ("pdf", "docx", "text") if f in per_corpus]
    for k in ("reader", "clean", "stack", "tables", "notice", "checks", "other"):
        row = [k if k != "reader" else "reader (floor included)"]
        for fmt in fmts:
            r = per_corpus[fmt]
            v = r["pipeline"] - sum(r["stages"].values()) if k == "other" else r["stages"].get(k, 0.0)
            row.append(f"{v:.2f} ({100 * v / r['pipeline']:.0f}%)")
        rows.append(row)
    rows.append(["beyond the floor"] + [f"{per_corpus[f]['pipeline'] - per_corpus[f]['floor']:.2f} "
                                        f"({100 * (1 - per_corpus[f]['floor'] / per_corpus[f]['pipeline']):.0f}%)"
                                        for f in fmts])
    say("Where the corpus pipeline's CPU time goes, per format (stage: seconds, share of that format's pipeline; "
        "`other` is hashing, set-up and sorting):")
    say()
    say(table(["stage"] + fmts, rows))
    say()

    # ---- peers on the same PDFs
    pdfs = sorted((f for f in files if f.suffix == ".pdf"), key=lambda f: (each[f][2], f.name))
    k = max(1, args.peers - 2)
    chosen = [pdfs[round(i * (len(pdfs) - 1) / max(1, k - 1))] for i in range(k)] if pdfs else []
    peer_files = [p for p in samples if p.suffix == ".pdf"] + list(dict.fromkeys(chosen))
    pages = 0
    timings = defaultdict(float)
    has_camelot = camelot_available()
    from ingest.settings import Settings
    for f in peer_files:
        with pdfplumber.open(f) as pdf:
            pages += len(pdf.pages)
        runs = [("floor (chars + lines)", floor_pdf), ("PDFium floor (chars with boxes + objects)", floor_pdfium),
                ("xianxue-ingest pipeline", lambda p: ingest_file(str(p), p.stem, Settings(jobs=1))),
                ("xianxue-ingest pipeline, --pdf-reader pdfplumber",
                 lambda p: ingest_file(str(p), p.stem, Settings(jobs=1, pdf_reader="pdfplumber"))),
                ("pdfplumber extract_tables()", peer_extract_tables)]
        if has_camelot:
            runs.append(("camelot lattice", peer_camelot))
        for name, fn in runs:
            t = cpu()
            w = time.perf_counter()
            fn(f)
            timings[name] += cpu() - t
            timings[name + " wall"] += time.perf_counter() - w
    say(f"### Peers on the same {len(peer_files)} PDFs ({pages} pages: both samples and corpus files from "
        f"{each[pdfs[0]][2] if pdfs else 0} to {each[pdfs[-1]][2] if pdfs else 0} pages)")
    say()
    base = timings["floor (chars + lines)"]
    rows = []
    for name in ("floor (chars + lines)", "PDFium floor (chars with boxes + objects)", "xianxue-ingest pipeline",
                 "xianxue-ingest pipeline, --pdf-reader pdfplumber", "pdfplumber extract_tables()", "camelot lattice"):
        if name in timings:
            rows.append([name, f"{timings[name]:.2f}", f"{timings[name + ' wall']:.2f}",
                         f"{1000 * timings[name] / pages:.0f}", ratio(timings[name], base)])
    say(table(["tool", "CPU s", "wall s", "CPU ms/page", "× floor"], rows))
    if not has_camelot:
        say()
        say("camelot: not installed")
    say()
    text_pdfs = sorted(p for p in (ROOT / "samples").rglob("*.pdf") if "scanned" not in p.parts)
    say(pdf_whole_command(text_pdfs + list(dict.fromkeys(chosen)), tmp))
    say()

    # ---- the command line: --jobs 1 without cache, --jobs 2 filling an empty cache, then re-runs from the cache
    from ingest.cache import pipeline_version
    version_before = pipeline_version.__wrapped__()
    cache = tmp / "cache"
    runs = {}
    # --jobs 1 and --jobs 2 alike without cache (the same work), then --jobs 2 filling an empty cache for the re-runs
    for name, jobs, extra in (("1", 1, ["--no-cache"]), ("2", 2, ["--no-cache"]), ("fill", 2, ["--cache-dir", str(cache)])):
        o = tmp / f"out-{name}"
        data, err = run_child("--child-cli", [str(folder), "--out", str(o), "--jobs", str(jobs)] + extra, tmp)
        runs[name] = (data, batch_seconds(err), o)
    identical = same_tree(runs["1"][2], runs["2"][2]) and same_tree(runs["1"][2], runs["fill"][2])
    same_out = runs["fill"][2]
    again, err = run_child("--child-cli", [str(folder), "--out", str(same_out), "--cache-dir", str(cache)], tmp)
    up_to_date = "outputs up to date" in err
    warm, err = run_child("--child-cli", [str(folder), "--out", str(tmp / "warm"), "--cache-dir", str(cache)], tmp)
    sw = batch_seconds(err)
    warm_same = same_tree(tmp / "warm", runs["1"][2])
    victim = next(f for f in files if f.suffix == ".txt")
    victim.write_bytes(victim.read_bytes() + b"\n")
    one, err = run_child("--child-cli", [str(folder), "--out", str(same_out), "--cache-dir", str(cache)], tmp)
    s1 = batch_seconds(err)
    changed = pipeline_version.__wrapped__() != version_before

    say(f"### Whole corpus through the command line ({len(files)} files, wall clock)")
    say()
    if changed:
        say("**The pipeline's source changed while these runs were going on (other work in this tree): runs had "
            "different pipeline versions, so the cache could not serve them and outputs may differ. Run make bench "
            "again in a quiet moment.**")
        say()
    rows = []
    labels = {"1": "--jobs 1 (no cache)", "2": "--jobs 2 (no cache)", "fill": "--jobs 2 (filling an empty cache)"}
    for name, (data, (parse_s, _, _), _) in runs.items():
        mem = mb(data["self_kb"]) + (f" + workers ≤ {mb(data['kids_kb'])} each" if name != "1" else "")
        rows.append([labels[name], f"{data['wall']:.1f}", f"**{len(files) / data['wall']:.2f}**", f"{parse_s:.1f}",
                     f"{len(files) / parse_s:.2f}", f"{data['wall'] - parse_s:.1f}", f"{data['self_cpu']:.1f}",
                     f"{data['busiest_cpu']:.1f}" if name != "1" else "", mem])
    say(table(["run", "wall s", "files/s", "reading s", "files/s reading", "writing outputs s",
               "CPU s (command)", "CPU s (busiest worker)", "peak RSS"], rows))
    say()
    # (not `one`: that is the run with one file changed, shown in the next table)
    jobs1, jobs2 = runs["1"][0], runs["2"][0]
    say(f"Outputs of --jobs 2 (with and without cache) identical to --jobs 1, byte for byte: "
        f"**{'yes' if identical else 'NO'}**. Without cache in both, the second worker speeds reading up "
        f"{runs['1'][1][0] / runs['2'][1][0]:.2f}× and the whole command "
        f"**{jobs1['wall'] / jobs2['wall']:.2f}×** (load average {os.getloadavg()[0]:.1f} now). In CPU time, which "
        f"other work on the machine does not stretch: --jobs 1 costs {jobs1['self_cpu']:.1f} s; --jobs 2 at most "
        f"{jobs2['self_cpu']:.1f} s in the command and {jobs2['busiest_cpu']:.1f} s in its busiest worker, "
        f"{jobs1['self_cpu'] / (jobs2['self_cpu'] + jobs2['busiest_cpu']):.2f}× at least on an idle machine.")
    say()
    rows = [["nothing changed, same output folder", f"{again['wall']:.2f}",
             f"**{100 * again['wall'] / len(files):.2f}**", "up to date" if up_to_date else "NOT up to date", "", ""],
            ["nothing changed, new output folder", f"{warm['wall']:.2f}", f"**{100 * warm['wall'] / len(files):.2f}**",
             f"{sw[0]:.2f}", sw[1], sw[2]],
            ["one file changed, same output folder", f"{one['wall']:.2f}", f"**{100 * one['wall'] / len(files):.2f}**",
             f"{s1[0]:.2f}", s1[1], s1[2]]]
    say(table(["re-run (whole command, from the cache)", "wall s", "wall s per 100 files", "reading s", "parsed",
               "from cache"], rows))
    say()
    say(f"Warm outputs identical to the run without cache: **{'yes' if warm_same else 'NO'}**. "
        f"Beyond reading, the wall time is starting Python and writing the outputs:")
    say()
    say(writing_breakdown(folder, cache))
    say()

    # ---- memory
    largest = max(files, key=lambda f: (each[f][1], f.name))
    one_notice, _ = run_child("--child-one", [str(largest)], tmp)
    say("### Peak memory")
    say()
    say(table(["what", "peak"], [
        [f"largest notice alone ({largest.name}, {one_notice['pages']} pages): Python heap (tracemalloc)",
         f"{one_notice['heap'] / 2**20:.0f} MB"],
        ["same, process RSS (interpreter and libraries alone: " + mb(one_notice["base_kb"]) + ")",
         mb(one_notice["rss_kb"])],
        [f"whole corpus, --jobs 1 ({len(files)} notices held for the outputs)", mb(runs["1"][0]["self_kb"])],
        ["whole corpus, --jobs 2: main process / largest worker",
         f"{mb(runs['2'][0]['self_kb'])} / {mb(runs['2'][0]['kids_kb'])}"],
    ]))
    say()

    if not args.no_ocr:
        say(ocr_speed(tmp))
        say()

    if args.profile:
        import cProfile
        import pstats
        prof = cProfile.Profile()
        prof.enable()
        ingest_file(args.profile)
        prof.disable()
        stream = io.StringIO()
        pstats.Stats(prof, stream=stream).sort_stats("tottime").print_stats(20)
        say("### cProfile of " + args.profile + " (by own time)")
        say()
        say("```")
        say(stream.getvalue().strip())
        say("```")
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] in ("--child-cli", "--child-one"):
        mode, result, rest = sys.argv[1], sys.argv[2], sys.argv[4:]
        sys.exit(child_cli(rest, result) if mode == "--child-cli" else child_one(rest[0], result))
    sys.exit(main())
