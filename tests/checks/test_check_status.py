"""check_status: a draft (代拟稿, 征求意见稿 …) is said to be one; a final notice says nothing."""
from ingest.checks import check_status
from ingest.records import Facts

from inline_records import findings_of, notice


def test_a_draft_is_said_to_be_one():
    n = notice(facts=Facts(status="draft", draft_word="征求意见稿", draft_page=2))
    assert findings_of(check_status, n) == [
        ("draft", "info", "", None, "status", None, None, "本通知是草稿（征求意见稿），不是正式印发稿")]
    [f] = check_status(n)
    assert f.page == 2


def test_a_final_notice_gives_none():
    assert findings_of(check_status, notice(facts=Facts(status="final"))) == []
