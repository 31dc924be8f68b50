"""The README is what a new user reads first: every finding code and every option of the command is in it
(sqlite-utils keeps a test of this kind, so documentation cannot fall behind the code)."""
import re

from conftest import ROOT
from ingest.cli import parser
from ingest.rules import rules

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_finding_code_is_in_the_readme_with_its_severity():
    rows = {m.group(1): m.group(2) for m in re.finditer(r"^\| `([a-z-]+)`(?:, `[a-z-]+`)* \| (\w+) \|", README, re.M)}
    for m in re.finditer(r"^\| `[a-z-]+`((?:, `[a-z-]+`)+) \| (\w+) \|", README, re.M):
        rows.update({code: m.group(2) for code in re.findall(r"`([a-z-]+)`", m.group(1))})
    for code, rule in rules().findings.items():
        assert rows.get(code) == rule.severity, f"{code} ({rule.severity}) is not in the README's table of codes"


def test_every_option_of_the_command_is_in_the_readme():
    for action in parser()._actions:
        for flag in action.option_strings:
            if flag.startswith("--") and flag != "--help":
                assert f"`{flag}" in README, f"{flag} is not documented in the README"
