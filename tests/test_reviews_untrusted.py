"""A hostile reviews.toml (--reviews FILE): whatever the file holds, the run stops with exit status 2 and one short,
printable line naming the file and the entry. Run in-process, as a user types the command (cli.main)."""
from __future__ import annotations

import pytest

from ingest import cli

NOTICE = ("关于做好2025年某区无偿献血工作的通知\n附件\n序号\t单位\t任务数\n"
          "1\t东山村\t12\n2\t西山村\t30\n合计\t\t42\n")
ACCEPT = '[[accept]]\nnotice_id = "a-txt"\ncode = "seq-gap"\nreason = "x"\n'
BIG = 5_000_000


def refused(tmp_path, capsys, toml: str) -> str:
    """Run the command on one notice with `toml` as the reviews file; it must stop (exit 2, nothing written) with
    one line on stderr. Returns that line."""
    (tmp_path / "a.txt").write_text(NOTICE, encoding="utf-8")
    (tmp_path / "r.toml").write_text(toml, encoding="utf-8")
    code = cli.main([str(tmp_path / "a.txt"), "--out", str(tmp_path / "out"), "--no-cache", "--jobs", "1",
                     "--reviews", str(tmp_path / "r.toml")])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and err.startswith(f"error: {tmp_path / 'r.toml'}: "), err
    assert not (tmp_path / "out").exists()
    assert err.isprintable() or err[:-1].isprintable(), repr(err)      # no ESC, BEL, newline but the last
    return err


@pytest.mark.parametrize("toml", ["x = " + "[" * 1000 + "]" * 1000 + "\n",
                                  "x = " + "{a = " * 1000 + "1" + "}" * 1000 + "\n"], ids=["arrays", "tables"])
def test_nesting_deeper_than_the_parser_recurses_is_refused(tmp_path, capsys, toml):
    """Input class: TOML arrays or inline tables nested a thousand deep (the parser recursed into RecursionError,
    an internal error, exit 1)."""
    assert "nested too deeply" in refused(tmp_path, capsys, toml)


def test_a_number_of_more_digits_than_python_converts_is_refused(tmp_path, capsys):
    """Input class: an integer of 5000 digits (tomllib's int() raises past 4300; the message named no file)."""
    assert "not valid TOML" in refused(tmp_path, capsys, ACCEPT + "row_no = " + "9" * 5000 + "\n")


@pytest.mark.parametrize("toml, shown", [
    (ACCEPT + '"\\u001b[2J\\u001b[31mFAKE\\nline2" = 1\n', r"unknown key '\x1b[2J\x1b[31mFAKE\nline2'"),
    ('["\\u001b]0;pwned\\u0007"]\n', r"unknown section '\x1b]0;pwned\x07'"),
    (ACCEPT + 'row_no = "\\u202eevil"\n', r"row_no must be a whole number, not '\u202eevil'"),
], ids=["key", "section", "value"])
def test_names_and_values_from_the_file_are_echoed_escaped(tmp_path, capsys, toml, shown):
    """Input class: control characters (terminal escapes, BEL, newline, a bidirectional override) in an unknown
    key, an unknown section or a bad value; they reached the terminal raw (clearing it, setting its title)."""
    assert shown in refused(tmp_path, capsys, toml)


@pytest.mark.parametrize("toml, start", [
    (ACCEPT + "K" * BIG + " = 1\n", "unknown key 'KKK"),
    ("[" + "S" * BIG + "]\n", "unknown section 'SSS"),
    (ACCEPT + 'row_no = "' + "A" * BIG + '"\n', "row_no must be a whole number, not 'AAA"),
    (ACCEPT + 'note = ["' + "N" * BIG + '"]\n', "note must be text in quotes, not ['NNN"),
    (ACCEPT + "".join(f"k{i} = 1\n" for i in range(10000)), "unknown key 'k0'"),
], ids=["key", "section", "value", "list", "many-keys"])
def test_a_long_name_or_value_is_echoed_cut_short(tmp_path, capsys, toml, start):
    """Input class: a 5 MB key, section name or value (and ten thousand unknown keys): the error line held all
    of it; now a short prefix, an ellipsis and the length."""
    err = refused(tmp_path, capsys, toml)
    assert start in err and len(err) < 400, err[:500]
    assert "…" in err or "..." in err


# ------------------------------------------------------------------------------------------ many acceptances


def _findings(n: int):
    """n findings of one notice as the checks make them (keys given, #2 on repeats): a few codes, two tables,
    rows repeating, with and without field and figures; one stale-review finding among them."""
    from ingest.findings import with_keys
    from ingest.records import Finding
    out = []
    for i in range(n):
        out.append(Finding(code=("seq-missing", "seq-gap", "total-mismatch")[i % 3], message=f"m{i}",
                           severity="warning", field=("seq", "", "portions")[i % 3], table_id=f"t{i % 2 + 1}",
                           row_no=i % 7 or None, expected=i % 5, actual=i % 4))
    return with_keys(out, "n")


def _pairwise(findings, accepts):
    """reviews.accept as it was: every acceptance against every finding (Accept.matches)."""
    from dataclasses import replace
    from ingest.reviews import _key_part, _key_row, _stale, _v
    out, stale = list(findings), []
    for a in accepts:
        hits = [i for i, f in enumerate(out) if f.code != "stale-review" and a.matches(f)]
        if not hits:
            stale.append(_stale(a, "accept-gone", table_id=a.table_id or _key_part(a, 1),
                                row_no=a.row_no if a.row_no is not None else _key_row(a),
                                expected=a.expected, actual=a.actual))
            continue
        moved = [i for i in hits if (a.expected is None or out[i].expected == a.expected)
                 and (a.actual is None or out[i].actual == a.actual)]
        if not moved:
            f = out[hits[0]]
            stale.append(_stale(a, "accept-moved", table_id=a.table_id or _key_part(a, 1),
                                row_no=a.row_no if a.row_no is not None else _key_row(a), expected=a.expected,
                                actual=a.actual, now_expected=_v(f.expected), now_actual=_v(f.actual),
                                was_expected=_v(a.expected), was_actual=_v(a.actual)))
            continue
        for i in moved:
            out[i] = replace(out[i], reviewed=True, review_reason=a.reason if not out[i].review_reason
                             else f"{out[i].review_reason}；{a.reason}")
    return out + stale


def test_acceptances_name_the_same_findings_as_matching_each_pair():
    """Input class: acceptances of every form (by key, with #2; by code alone; with any of table_id, row_no,
    field; pinned figures that hold or not; several naming one finding; naming nothing) on a stale-review finding
    among others. reviews.accept looks them up in an index instead of matching every pair: same result."""
    from ingest import reviews
    from ingest.reviews import Accept
    findings = _findings(60)
    findings.append(reviews._stale(Accept(index=99, reason="r", notice_id="n", code="seq-gap"), "accept-gone"))
    keys = [f.key for f in findings]
    accepts, n = [], 0
    for key in keys[:20] + ["seq-missing/t1/99/seq", keys[3] + "#9"]:
        accepts.append(Accept(index=(n := n + 1), reason=f"k{n}", key=key, notice_id="n", code=key.split("/")[0]))
    for code in ("seq-missing", "seq-gap", "total-mismatch", "stale-review", "year-change"):
        for table_id in ("", "t1", "t3"):
            for row_no in (None, 1, 3, 6):
                for field in ("", "seq", "portions"):
                    for expected in (None, 0, 2):
                        accepts.append(Accept(index=(n := n + 1), reason=f"r{n}", notice_id="n", code=code,
                                              table_id=table_id, row_no=row_no, field=field, expected=expected,
                                              actual=None if n % 3 else n % 4))
    out = reviews.accept(findings, accepts)
    assert out == _pairwise(findings, accepts)
    assert sum(f.reviewed for f in out) > 20 and max(f.review_reason.count("；") for f in out) > 3
    stale = [f.message for f in out[len(findings):]]
    assert sum("已找不到这条发现" in m for m in stale) > 10 and sum("数字已变" in m for m in stale) > 10


def test_acceptances_cost_findings_plus_acceptances_not_their_product():
    """Input class: thousands of acceptances that name nothing on a notice with thousands of findings (each
    acceptance went through every finding: 4000 on 60,000 findings took 25 s of the run). Doubling both at most
    doubles the time."""
    import time
    from ingest import reviews
    from ingest.reviews import Accept

    def cost(n: int) -> float:
        findings = _findings(10 * n)
        accepts = [Accept(index=i + 1, reason="r", key=f"seq-missing/t1/{900000 + i}/seq", notice_id="n",
                          code="seq-missing") for i in range(n // 2)]
        accepts += [Accept(index=i + 1, reason="r", notice_id="n", code="seq-gap", table_id="t1", row_no=i + 8)
                    for i in range(n // 2)]
        best = float("inf")
        for _ in range(3):
            start = time.process_time()
            out = reviews.accept(findings, accepts)
            best = min(best, time.process_time() - start)
        assert len(out) == len(findings) + len(accepts)
        return best

    t1, t2 = cost(1000), cost(2000)
    assert t2 < 3.4 * max(t1, 0.05), f"time grew {t2 / t1:.1f}x when findings and acceptances doubled"


@pytest.mark.parametrize("kind", ["fifo", "folder"])
def test_a_reviews_path_that_is_no_regular_file_is_refused_without_waiting_on_it(tmp_path, capsys, kind):
    """A named pipe given as --reviews waited for a writer for ever once past the existence check, and was
    called "no such file"; a folder was too. Neither is opened: one line names what it is."""
    import os
    target = tmp_path / "r.toml"
    os.mkfifo(target) if kind == "fifo" else target.mkdir()
    (tmp_path / "a.txt").write_text(NOTICE, encoding="utf-8")
    code = cli.main([str(tmp_path / "a.txt"), "--out", str(tmp_path / "out"), "--no-cache", "--jobs", "1",
                     "--reviews", str(target)])
    what = "a named pipe (FIFO)" if kind == "fifo" else "a folder"
    assert (code, capsys.readouterr().err) == (2, f"error: {target}: cannot read: not a regular file but {what}: "
                                                  f"not read\n")
    assert not (tmp_path / "out").exists()
