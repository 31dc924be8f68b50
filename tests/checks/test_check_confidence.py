"""check_confidence: a figure or name OCR read with a confidence under [ocr] low_confidence (0.90) is flagged
with what it read, the confidence rounded down (0.8996 is under 0.90 and must not print as 0.90)."""
import pytest

from parsers.model import Box

from ingest.checks import check_confidence, confidence_text

from inline_records import at, findings_of, item, notice, table


def test_a_figure_and_a_name_read_with_low_confidence():
    row = item(1, "甲镇", 120, value_confidence=0.85, name_confidence=0.5, source=at(1, 0, 40),
               value_source=at(1, 200, 40))
    n = notice(table(row))
    assert findings_of(check_confidence, n) == [
        ("low-confidence", "warning", "t1", 1, "portions", None, 120, "t1 第1行 OCR 读出“120”，置信度 0.85，请对照原件核对"),
        ("low-confidence", "warning", "t1", 1, "org", None, None, "t1 第1行 OCR 读出“甲镇”，置信度 0.50，请对照原件核对")]
    assert [f.box for f in check_confidence(n)] == [Box(200, 40, 210, 50), Box(0, 40, 10, 50)]


def test_the_threshold_is_not_rounded_up():
    row = item(2, "甲镇", 120, value_confidence=0.8996)
    assert findings_of(check_confidence, notice(table(item(1, "乙镇", 5), row)))[0][-1] == \
        "t1 第2行 OCR 读出“120”，置信度 0.89，请对照原件核对"


def test_sure_readings_and_readings_not_by_ocr_give_none():
    rows = (item(1, "甲镇", 120, value_confidence=0.90, name_confidence=0.99), item(2, "乙镇", 80),
            item(3, "丙镇", None, value_text="", value_confidence=0.1))        # nothing read: nothing to doubt
    assert findings_of(check_confidence, notice(table(*rows))) == []


@pytest.mark.parametrize("c, text", [(0.57, "0.57"), (0.8996, "0.89"), (0.9, "0.90"), (0.999, "0.99"), (1.0, "1.00"),
                                     (0.0, "0.00")])
def test_confidence_text(c, text):
    assert confidence_text(c) == text
