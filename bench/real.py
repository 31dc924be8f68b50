#!/usr/bin/env python3
"""The real-notice corpus score: what the pipeline reads of notices no one here wrote.

    .venv/bin/python bench/real.py [--real DIR] [--update] [--details]     (or: make bench-real [REAL=DIR] [UPDATE=1])
    .venv/bin/python bench/real.py --real tests/probe --kept tests/probe/score.json    (or: make bench-probe)

Every file that DIR/truth.json lists is ingested from DIR/cases/ as the command line would (ingest.batch.run, no
cache, no reviews file) and scored on what truth.json says it contains. A Markdown table is printed: one line per
file, then the totals. The totals ("figures") are kept in bench/real_score.json; tests/test_real_corpus.py fails
when one of them gets worse, and --update rewrites the file when none is worse (so a gain is kept).

How each truth.json entry is scored (truth.json's `about` says what the fields mean; where it leaves a choice, the
choice made is said here):

- Item rows: every item of every table with `scored` true (a `partial` table counts the rows it has) must be
  found as an item row (row_type item) of one of the pipeline's target tables (a monthly plan's rows are not
  target rows) with the same org and portions equal (as integers). Orgs are compared with all whitespace removed and the bracket width folded ("（" = "("): truth.json
  writes ASCII brackets, the pipeline full-width ones (SPEC). A row matches when its org is the truth's org or one
  of its `org_alt`, or when its org followed by its org_note is (the note with or without its brackets: the
  "org_note split" the `about` allows, as 农场机关 + （含服务大厅）). A group label in org_note (h01's 市区) is
  not part of org, so org alone matching is enough whatever the note holds. `org_printed` is not accepted: it
  is how the name was laid out, not a form of it. Truth tables and output tables are not paired (a prose list
  may come out as any table): rows are matched over all the notice's tables, one output row per truth row, in
  truth order.
- Extra rows: output item rows no truth row took, shown per file. Only those of files whose truth lists no table
  at all are a kept figure (d07 and d12 say their pipe block and name list "must yield no rows"); in a file with
  a cut-off table a last broken row is tolerated by its advisory (h04's '长', h07's 社会事业综合服务中心), so
  there they are shown, not kept.
- Stated totals: a table's `stated_total` (when not null) must be found as a total row with that value. A total
  row the output gives where no stated total accounts for it is an invented total (kept, must not rise): a
  `partial` table "has no stated total", and `computed_total` is a sum worked out by hand, never printed.
- Findings: each `required_findings` entry (a code, or {code, severity}) must appear; each `forbidden_findings`
  entry must not, at its `severity` when it names one (h01 forbids year-mismatch as an error only: its advisory
  tolerates the warning), else at any severity. Error findings count against a file only when its truth says
  `clean: true`; `clean: false` allows them and `clean: null` states nothing. `advisory` entries are not scored.
- Notice fields: each of year, doc_number, issued_on and total_target that is present and not null in the
  truth's `notice` is right or wrong. doc_number "" means the notice has no 文号 of its own: right when the
  output has none. doc_number is compared exactly (the truth gives it normalised to 〔〕; normalising it is the
  pipeline's job). The truth's issued_on is "the 成文 date at the end": it is compared with the output's
  signed_on, the SPEC's 成文 column (the output's issued_on is the 印发 date, falling back to signed_on).
  `unit` and `region` are not scored (the issue names the four fields). A field the truth sets to null but the
  output fills (a collection day taken for the signing date, a document year for the plan year) is outside the
  metadata percentage but counted as "null fields filled" (kept, must not rise); a field absent from the
  truth's notice (h01's doc_number, "not scored") is not looked at.

Everything shown from the output is escaped for Markdown and cut to a bounded length.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional, Union

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_REAL = ROOT.parent / "shared" / "corpus" / "real"
KEPT = ROOT / "bench" / "real_score.json"
FIELDS = ("year", "doc_number", "issued_on", "total_target")
OUTPUT_FIELD = {"year": "year", "doc_number": "doc_number", "issued_on": "signed_on", "total_target": "total_target"}

# The kept figures: +1 when higher is better, -1 when lower is better.
FIGURES = {
    "rows_found": +1,
    "totals_found": +1,
    "metadata_right": +1,
    "required_present": +1,
    "forbidden_absent": +1,
    "clean_file_errors": -1,
    "rows_in_tableless_files": -1,
    "invented_totals": -1,
    "null_fields_filled": -1,
}
# What each higher-is-better figure is out of (kept beside it, for reading; not compared).
OUT_OF = {"rows_found": "rows_expected", "totals_found": "totals_expected", "metadata_right": "metadata_expected",
          "required_present": "required_expected", "forbidden_absent": "forbidden_expected"}


# ------------------------------------------------------------------------------------------------ output model


@dataclass(frozen=True)
class OutRow:
    """One item row of the pipeline's output, as scored."""
    org: str
    portions: Optional[int]
    org_note: str = ""


@dataclass
class Output:
    """What the scorer reads of one notice: item rows, total rows' values, fields, findings (code, severity)."""
    rows: list[OutRow] = field(default_factory=list)
    totals: list[int] = field(default_factory=list)
    fields: dict = field(default_factory=dict)
    findings: list[tuple[str, str]] = field(default_factory=list)


def output_of(notice) -> Output:
    """An ingest.Notice as the scorer reads it (fields under the truth's names: see OUTPUT_FIELD). Rows and totals
    are the target tables' (kind allocation): a monthly plan's rows are the same targets spread over months, which
    the truth's tables do not list."""
    targets = [t for t in notice.tables if t.kind != "monthly"]
    rows = [OutRow(r.org, r.portions, r.org_note) for t in targets for r in t.rows if r.row_type == "item"]
    totals = [r.portions for t in targets for r in t.rows if r.row_type == "total" and r.portions is not None]
    facts = notice.facts
    return Output(rows=rows, totals=totals,
                  fields={name: getattr(facts, attr) for name, attr in OUTPUT_FIELD.items()},
                  findings=[(f.code, f.severity) for f in notice.findings])


# ------------------------------------------------------------------------------------------------ matching

_SPACE = re.compile(r"\s+")
_BRACKETS = str.maketrans({"（": "(", "）": ")"})


def norm_org(text: Optional[str]) -> str:
    """An org as compared: all whitespace removed, full-width brackets as ASCII ones."""
    return _SPACE.sub("", text or "").translate(_BRACKETS)


def org_forms(row: OutRow) -> set[str]:
    """The forms an output row's name may be matched in: org alone, and org with its note joined back."""
    org, note = norm_org(row.org), norm_org(row.org_note)
    forms = {org}
    if note:
        forms |= {org + note, org + "(" + note.strip("()") + ")"}
    return forms


def truth_forms(item: dict) -> set[str]:
    return {norm_org(item["org"])} | {norm_org(alt) for alt in item.get("org_alt", [])}


def same_portions(got, want) -> bool:
    return isinstance(got, int) and not isinstance(got, bool) and got == want


def row_matches(row: OutRow, item: dict) -> bool:
    return same_portions(row.portions, item["portions"]) and bool(org_forms(row) & truth_forms(item))


def finding_matches(finding: tuple[str, str], want: Union[str, dict]) -> bool:
    want = {"code": want} if isinstance(want, str) else want
    code, severity = finding
    return code == want["code"] and (not want.get("severity") or severity == want["severity"])


def field_right(name: str, got, want) -> bool:
    if name == "doc_number":
        return (got or "") == want
    if name == "issued_on":
        return bool(got) and str(got)[:10] == want
    return same_portions(got, want)


def filled(got) -> bool:
    return got not in (None, "")


# ------------------------------------------------------------------------------------------------ scoring


@dataclass
class FileScore:
    file: str
    rows_found: int = 0
    rows_expected: int = 0
    extra_rows: int = 0
    has_tables: bool = False
    totals_found: int = 0
    totals_expected: int = 0
    invented_totals: int = 0
    required_present: int = 0
    required_expected: int = 0
    forbidden_absent: int = 0
    forbidden_expected: int = 0
    clean: Optional[bool] = None
    clean_file_errors: int = 0
    # field -> (verdict, value the output gave); verdict: right, wrong, filled (truth null, output not)
    fields: dict = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)   # what was not found or should not be there, for --details

    @property
    def metadata_right(self) -> int:
        return sum(1 for verdict, _ in self.fields.values() if verdict == "right")

    @property
    def metadata_expected(self) -> int:
        return sum(1 for verdict, _ in self.fields.values() if verdict in ("right", "wrong"))

    @property
    def null_fields_filled(self) -> int:
        return sum(1 for verdict, _ in self.fields.values() if verdict == "filled")


def score_rows(fs: FileScore, case: dict, out: Output) -> None:
    free = list(out.rows)
    for table in case.get("tables", []):
        if not table.get("scored", True):
            continue
        fs.has_tables = True
        for item in table["items"]:
            fs.rows_expected += 1
            hit = next((row for row in free if row_matches(row, item)), None)
            if hit is None:
                fs.misses.append(f"row not found: {item['org']} {item['portions']}")
            else:
                free.remove(hit)
                fs.rows_found += 1
    fs.extra_rows = len(free)
    fs.misses += [f"extra row: {row.org} {row.org_note} {row.portions}" for row in free]


def score_totals(fs: FileScore, case: dict, out: Output) -> None:
    free = list(out.totals)
    for table in case.get("tables", []):
        want = table.get("stated_total")
        if not table.get("scored", True) or want is None:
            continue
        fs.totals_expected += 1
        if want in free:
            free.remove(want)
            fs.totals_found += 1
        else:
            fs.misses.append(f"stated total not found as a total row: {want}")
    fs.invented_totals = len(free)
    fs.misses += [f"total row no stated total accounts for: {value}" for value in free]


def score_findings(fs: FileScore, case: dict, out: Output) -> None:
    for want in case.get("required_findings", []):
        fs.required_expected += 1
        if any(finding_matches(f, want) for f in out.findings):
            fs.required_present += 1
        else:
            fs.misses.append(f"required finding missing: {want}")
    for want in case.get("forbidden_findings", []):
        fs.forbidden_expected += 1
        if any(finding_matches(f, want) for f in out.findings):
            fs.misses.append(f"forbidden finding present: {want['code'] if isinstance(want, dict) else want}")
        else:
            fs.forbidden_absent += 1
    fs.clean = case.get("clean")
    if fs.clean is True:
        errors = [code for code, severity in out.findings if severity == "error"]
        fs.clean_file_errors = len(errors)
        fs.misses += [f"error finding on a clean file: {code}" for code in errors]


def score_fields(fs: FileScore, case: dict, out: Output) -> None:
    notice = case.get("notice", {})
    for name in FIELDS:
        if name not in notice:
            continue
        want, got = notice[name], out.fields.get(name)
        if want is None:
            if filled(got):
                fs.fields[name] = ("filled", got)
                fs.misses.append(f"{name}: truth null, output {got}")
        elif field_right(name, got, want):
            fs.fields[name] = ("right", got)
        else:
            fs.fields[name] = ("wrong", got)
            fs.misses.append(f"{name}: want {want}, output {got if filled(got) else 'nothing'}")


def score_case(case: dict, out: Output) -> FileScore:
    fs = FileScore(file=case["file"])
    score_rows(fs, case, out)
    score_totals(fs, case, out)
    score_findings(fs, case, out)
    score_fields(fs, case, out)
    return fs


@dataclass
class Score:
    files: list[FileScore]

    def sum(self, name: str) -> int:
        return sum(getattr(f, name) for f in self.files)

    @property
    def rows_in_tableless_files(self) -> int:
        return sum(f.extra_rows for f in self.files if not f.has_tables)

    def figures(self) -> dict[str, int]:
        """The kept figures (FIGURES), then what the higher-is-better ones are out of."""
        out = {}
        for name in FIGURES:
            out[name] = self.rows_in_tableless_files if name == "rows_in_tableless_files" else self.sum(name)
        for name in OUT_OF.values():
            out[name] = self.sum(name)
        return out

    def markdown(self) -> str:
        return render(self)


def score_outputs(outputs: dict[str, Output], truth: dict) -> Score:
    """Score outputs (file name -> Output) on truth (truth.json's content). A listed file without output is
    scored on an empty one: everything expected of it is missed."""
    return Score([score_case(case, outputs.get(case["file"], Output())) for case in truth["cases"]])


def load_truth(truth: Union[str, Path, dict]) -> dict:
    if isinstance(truth, dict):
        return truth
    return json.loads(Path(truth).read_text(encoding="utf-8"))


def score(cases_dir: Union[str, Path], truth: Union[str, Path, dict], jobs: int = 0) -> Score:
    """Ingest every file truth lists from cases_dir (as the command line does, without cache or reviews) and
    score it. truth: truth.json's path or its content. A listed file missing from cases_dir is an error."""
    from ingest import batch

    truth = load_truth(truth)
    paths = [Path(cases_dir) / case["file"] for case in truth["cases"]]
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        raise FileNotFoundError(f"truth.json lists files that are not in {cases_dir}: {', '.join(missing)}")
    notices = batch.run([str(p) for p in paths], {"jobs": jobs, "cache_dir": None})
    outputs = {Path(n.source_file).name: output_of(n) for n in notices}
    return score_outputs(outputs, truth)


# ------------------------------------------------------------------------------------------------ report

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


def md(value, limit: int = 40) -> str:
    """A value for a Markdown table cell: control characters as spaces, cut to `limit`, specials escaped."""
    text = _CONTROL.sub(" ", str(value))
    if len(text) > limit:
        text = text[:limit - 1] + "…"
    return _MD_SPECIAL.sub(r"\\\1", text)


def ratio(found: int, expected: int, percent: bool = False) -> str:
    if not expected:
        return "—"
    text = f"{found}/{expected}"
    return f"{text} ({100 * found / expected:.1f}%)" if percent else text


def field_cell(entry) -> str:
    if entry is None:
        return ""
    verdict, got = entry
    if verdict == "right":
        return "✓"
    if verdict == "filled":
        return f"null≠{md(got, 24)}"
    return f"✗ {md(got, 24)}" if filled(got) else "✗ ∅"


def totals_cell(found: int, expected: int, invented: int, always: bool = False) -> str:
    text = ratio(found, expected)
    return text + (f", {invented} invented" if invented or always else "")


HEADER = ["file", "rows", "extra rows", "totals", "required", "forbidden absent", "clean-file errors",
          *FIELDS, "metadata"]


def file_line(f: FileScore) -> list[str]:
    return [md(f.file, 60), ratio(f.rows_found, f.rows_expected), str(f.extra_rows) if f.extra_rows else "",
            totals_cell(f.totals_found, f.totals_expected, f.invented_totals),
            ratio(f.required_present, f.required_expected),
            ratio(f.forbidden_absent, f.forbidden_expected),
            str(f.clean_file_errors) if f.clean is True else "—",
            *[field_cell(f.fields.get(name)) for name in FIELDS], ratio(f.metadata_right, f.metadata_expected)]


def total_line(s: Score) -> list[str]:
    per_field = []
    for name in FIELDS:
        right = sum(1 for f in s.files if f.fields.get(name, ("",))[0] == "right")
        scored = sum(1 for f in s.files if f.fields.get(name, ("",))[0] in ("right", "wrong"))
        filled_here = sum(1 for f in s.files if f.fields.get(name, ("",))[0] == "filled")
        per_field.append(ratio(right, scored) + (f", {filled_here} null filled" if filled_here else ""))
    clean_files = sum(1 for f in s.files if f.clean is True)
    return ["**total**", ratio(s.sum("rows_found"), s.sum("rows_expected"), percent=True),
            f"{s.sum('extra_rows')} ({s.rows_in_tableless_files} in files without a table)",
            totals_cell(s.sum("totals_found"), s.sum("totals_expected"), s.sum("invented_totals"), always=True),
            ratio(s.sum("required_present"), s.sum("required_expected")),
            ratio(s.sum("forbidden_absent"), s.sum("forbidden_expected")),
            f"{s.sum('clean_file_errors')} on {clean_files} clean files",
            *per_field, ratio(s.sum("metadata_right"), s.sum("metadata_expected"), percent=True)]


LEGEND = ("✓ right · ✗ wrong (with what the output gave; ∅ nothing) · null≠x: truth says null, the output gave x · "
          "empty: not scored · —: nothing expected. issued_on is the 成文 date (the output's signed_on).")


def render(s: Score) -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += ["| " + " | ".join(file_line(f)) + " |" for f in s.files]
    lines.append("| " + " | ".join(total_line(s)) + " |")
    return "\n".join(lines) + "\n\n" + LEGEND + "\n"


def details(s: Score) -> str:
    out = []
    for f in s.files:
        out += [f"- {md(f.file, 60)}: {md(m, 120)}" for m in f.misses]
    return "\n".join(out) + "\n"


# ------------------------------------------------------------------------------------------------ kept figures


def regressions(now: dict, kept: dict) -> list[str]:
    """One line per kept figure that got worse (lower where higher is better, or higher where lower is)."""
    worse = []
    for name, sense in FIGURES.items():
        if name not in kept:
            continue
        if (now[name] - kept[name]) * sense < 0:
            direction = "fell" if sense > 0 else "rose"
            worse.append(f"{name} {direction} from {kept[name]} to {now[name]}")
    return worse


def load_kept(path: Path) -> dict:
    """The figures kept in a score file (bench/real_score.json, tests/probe/score.json)."""
    return json.loads(path.read_text(encoding="utf-8"))["figures"]


def worse_than_kept(folder: Path, kept_path: Path) -> tuple[list[str], list[str]]:
    """A scored set (folder with cases/ and truth.json) beside the figures kept for it: (the figures the kept file
    lacks, the figures that got worse). What the corpus and probe-set tests both check."""
    kept = load_kept(kept_path)
    missing = sorted(set(FIGURES) - set(kept))
    result = score(folder / "cases", folder / "truth.json")
    return missing, regressions(result.figures(), kept)


def write_kept(path: Path, figures: dict, about: str = "") -> None:
    about = about or (
        "Totals of `make bench-real` (bench/real.py) on ../shared/corpus/real, kept so that none gets worse "
        "(tests/test_real_corpus.py). Raise them with `make bench-real UPDATE=1`, which rewrites this file "
        "only when no figure is worse; never edit it by hand.")
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps({"about": about, "figures": figures}, ensure_ascii=False, indent=1) + "\n",
                   encoding="utf-8")
    os.replace(tmp, path)


def kept_about(path: Path) -> str:
    """The `about` of a kept file, kept when it is rewritten (a folder other than the corpus says what it is)."""
    try:
        return str(json.loads(path.read_text(encoding="utf-8")).get("about") or "")
    except (OSError, ValueError, AttributeError):
        return ""


def compare_line(figures: dict, kept_path: Path) -> tuple[str, list[str]]:
    if not kept_path.is_file():
        return f"No kept figures ({kept_path} is missing).", []
    worse = regressions(figures, load_kept(kept_path))
    if worse:
        return "Worse than the kept figures: " + "; ".join(worse) + ".", worse
    return f"No figure is worse than those kept in {kept_path}.", []


def main(argv: Optional[list[str]] = None) -> int:
    ap = argparse.ArgumentParser(description="Score the pipeline on the real-notice corpus (prints Markdown).")
    ap.add_argument("--real", default=os.environ.get("REAL") or str(DEFAULT_REAL),
                    help="the corpus folder, holding truth.json and cases/ (default ../shared/corpus/real)")
    ap.add_argument("--update", action="store_true", help=f"rewrite {KEPT.name} when no figure is worse")
    ap.add_argument("--details", action="store_true", help="list every row, total, finding and field missed")
    ap.add_argument("--kept", default=str(KEPT),
                    help=f"the kept figures to compare with (default bench/{KEPT.name}; the probe set keeps "
                         "tests/probe/score.json)")
    args = ap.parse_args(argv)
    real, kept_path = Path(args.real), Path(args.kept)
    if not (real / "truth.json").is_file():
        print(f"{real}: no truth.json there (set REAL=path to the corpus folder)", file=sys.stderr)
        return 2
    result = score(real / "cases", real / "truth.json")
    print(result.markdown())
    if args.details:
        print(details(result))
    figures = result.figures()
    line, worse = compare_line(figures, kept_path)
    print(line)
    if args.update:
        if worse:
            print(f"{kept_path.name} not rewritten: a kept figure would get worse.", file=sys.stderr)
            return 1
        write_kept(kept_path, figures, kept_about(kept_path))
        print(f"Kept figures written to {kept_path}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
