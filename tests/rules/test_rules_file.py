"""rules.toml loaded and checked: a copy of the real file with one defect each is refused with a RulesError that
names the key, so a typo in a synonym list or a template fails the first run instead of silently matching
nothing. The class of text: the rules file as a maintainer edits it by hand."""
import re

import pytest

from ingest import rules
from ingest.rules import RulesError

TEXT = rules.PATH.read_text(encoding="utf-8")


def load_edited(tmp_path, old: str, new: str):
    """rules.load on a copy of rules.toml with `old` (present exactly once) replaced by `new`."""
    assert TEXT.count(old) == 1, old
    path = tmp_path / "rules.toml"
    path.write_text(TEXT.replace(old, new), encoding="utf-8")
    return rules.load(path)


def refused(tmp_path, old: str, new: str) -> str:
    with pytest.raises(RulesError) as exc:
        load_edited(tmp_path, old, new)
    return str(exc.value)


def test_the_file_as_shipped_loads(tmp_path):
    r = load_edited(tmp_path, "subtotal = [\"小计\"]", "subtotal = [\"小计\"]")
    assert r.subtotal_words == ("小计",)
    assert r.units.count["万人份"] == 10000 and r.units.default_ml == 200
    assert [role for role, _ in r.header.roles] == ["month", "seq", "value", "note", "group", "name"]
    assert r.findings["seq-gap"].severity == "error" and set(r.findings["seq-gap"].notes) == {"skip", "back"}
    assert r.findings["year-change"].severity == "info" and ("卫计委", "卫健委") in r.changes.renames
    assert r.notice.annex_total.search("附件1合计为3.2万人份").groups() == ("附件1", "3.2", "万", "人份")   # {num}


@pytest.mark.parametrize("old, new, named", [
    # year over year ([changes]): a share that is not a number, a rename that is not a pair, an unknown certainty
    ("moved_share = 0.2", 'moved_share = "big"', "[changes] moved_share must be float"),
    ('  ["卫计委", "卫健委"],\n', '  ["卫计委"],\n', "[changes] renames must be a list of [old, new] pairs"),
    ('same-slot = "likely" }', 'same-slot = "maybe" }', "[changes] certainty must be sure or likely"),
    ("min_shared = 0.5", "min_shared = 1.5", "[changes] moved_share must be over 0 and min_shared between 0 and 1"),
    # a key missing
    ('subtotal = ["小计"]\n', "", "[rows] subtotal is missing"),
    ("default_ml = 200\n", "", "[units] default_ml is missing"),
    # a key no code reads
    ('subtotal = ["小计"]', 'subtotal = ["小计"]\nsubtotals = ["小计"]', "[rows] unknown key subtotals"),
    ("[ocr]", "[ocr]\nhigh_confidence = 0.99", "[ocr] unknown key high_confidence"),
    # a value of the wrong type
    ("default_ml = 200", 'default_ml = "200"', "[units] default_ml must be int"),
    ("default_ml = 200", "default_ml = true", "[units] default_ml must be int"),
    ('subtotal = ["小计"]', 'subtotal = "小计"', "[rows] subtotal must be list"),
    ('subtotal = ["小计"]', 'subtotal = ["小计", ""]', "[rows] subtotal must be a list of words"),
    ('subtotal = ["小计"]', "subtotal = []", "[rows] subtotal must be a list of words"),
    ('"万人份" = 10000', '"万人份" = "10000"', "[units] count.万人份 must be int"),
    ("low_confidence = 0.90", 'low_confidence = "high"', "[ocr] low_confidence must be float"),
    ("low_confidence = 0.90", "low_confidence = 1.5", "[ocr] low_confidence must be between 0 and 1"),
    ('ten = "十"', "ten = 10", "[numbers] ten must be str"),
    # a pattern that does not compile
    ("org_note = '(.+)(（[^（）]*）)$'", "org_note = '(.+)(（[^（）]*）$'", "[tables] org_note: not a valid pattern"),
    ("'^附件',", "'^附件(',", "[document] pattern '^附件('"),
    # a {part} that [parts] does not define (a quantifier such as {1,12} is not one)
    ("{num}\\s*(人份|人次|人)'\n", "{numb}\\s*(人份|人次|人)'\n",
     "[notice] annex_total: unknown part {numb}"),
    # sections
    ("[ocr]\n", "[ocrr]\n", "unknown section ocrr"),
    ("[tables]\n", "[tablez]\n", "unknown section tablez"),
    # header roles: every role, no other
    ('group = ["片区", "区域", "所属"]\n', "", "[header] must name the roles"),
    ('group = ["片区", "区域", "所属"]', 'group = ["片区"]\ncolour = ["颜色"]', "[header] must name the roles"),
    # months: twelve
    ('"十一月", "十二月"]', '"十一月"]', "[document] months must name the twelve months"),
])
def test_a_defect_is_refused_naming_its_key(tmp_path, old, new, named):
    assert named in refused(tmp_path, old, new)


@pytest.mark.parametrize("old, new, named", [
    # a severity that is not one of error, warning, info
    ('[findings.draft]\nseverity = "info"', '[findings.draft]\nseverity = "fatal"',
     "[findings.draft] severity must be one of error, warning, info"),
    ('[findings.draft]\nseverity = "info"\n', "[findings.draft]\n", "[findings.draft] severity must be one of"),
    # a template with a format spec, a conversion, an attribute, a positional field, or a stray brace
    ("本通知是草稿（{word}）", "本通知是草稿（{word:>8}）", "[findings.draft]: {word} must be a plain name"),
    ("本通知是草稿（{word}）", "本通知是草稿（{word!r}）", "[findings.draft]: {word} must be a plain name"),
    ("本通知是草稿（{word}）", "本通知是草稿（{word.upper}）", "[findings.draft]: {word.upper} must be a plain name"),
    ("本通知是草稿（{word}）", "本通知是草稿（{0}）", "[findings.draft]: {0} must be a plain name"),
    ("本通知是草稿（{word}）", "本通知是草稿（{word）", "[findings.draft]: not a valid template"),
    ('"按前后序号推定为 {expected}"', '"按前后序号推定为 {expected:d}"',
     "[findings.seq-missing] notes.inferred: {expected} must be a plain name"),
    # a message with notes but no {note}, and {note} without notes
    ('message = "{table_id} {note}，相差 {diff}{doubt}"', 'message = "{table_id}，相差 {diff}{doubt}"',
     "[findings.total-mismatch] has notes exactly when its message has {note}"),
    ('message = "本通知是草稿（{word}），不是正式印发稿"', 'message = "本通知是草稿（{word}）{note}"',
     "[findings.draft] has notes exactly when its message has {note}"),
    # an entry without a message, or with a key no code reads
    ('message = "本通知是草稿（{word}），不是正式印发稿"\n', "", "[findings.draft]: a message template is required"),
    ('[findings.draft]\nseverity = "info"', '[findings.draft]\nseverity = "info"\nlevel = 1',
     "[findings.draft] takes severity, message and notes only"),
    ('notes.skip = "序号从', 'notes.skip = 3\nnotes.skipped = "序号从', "[findings.seq-gap] notes must be a table of texts"),
    # the phrases are templates too
    ('decision_row = "第{row_no}行"', 'decision_row = "第{row_no:03}行"', "decision_row: {row_no} must be a plain name"),
])
def test_a_finding_template_defect_is_refused_naming_its_code(tmp_path, old, new, named):
    assert named in refused(tmp_path, old, new)


def test_no_findings_section_is_refused(tmp_path):
    start = TEXT.index("[findings.total-mismatch]")
    path = tmp_path / "rules.toml"
    path.write_text(TEXT[:start], encoding="utf-8")
    with pytest.raises(RulesError, match=re.escape("[findings] is missing")):
        rules.load(path)


def test_a_file_that_is_not_toml_is_refused_naming_the_file(tmp_path):
    path = tmp_path / "rules.toml"
    path.write_text("[rows\ntotal = 1", encoding="utf-8")
    with pytest.raises(RulesError, match=re.escape(str(path))):
        rules.load(path)
    with pytest.raises(RulesError, match="cannot be read"):
        rules.load(tmp_path / "absent.toml")


def test_patterns_are_compiled_once_at_load(tmp_path):
    r = load_edited(tmp_path, "org_suffix = '(", "org_suffix = '(管委会|")
    assert r.org_suffix.sub("", "开发区管委会") == "开发区"
    assert rules.rules() is rules.rules()        # the shipped rules: loaded once
