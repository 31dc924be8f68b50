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
