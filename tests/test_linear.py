"""Issue 17.2: every stage is linear in its input. Each case doubles an input and bounds the growth of the time
(the least of five runs, CPU time) and of the peak memory: a quadratic stage grows about fourfold, a linear one
about twofold. The classes of text: a long paragraph with no blank line (each joined line used to re-run the
spacing repair over the paragraph so far), a single very long line, many short paragraphs, a long table in text,
a notice with many figures and findings, a long run of digits before 的 (the headline pattern {num}{unit}的 was
tried from inside it: 20,000 digits took 49 s) and a long run of spaces between two letters (the spacing repair's
pattern was: 40,000 took 73 s)."""
import time
import tracemalloc

import pytest

from ingest.pipeline import ingest_bytes

LINE = "各单位要高度重视无偿献血工作，认真组织动员，确保完成全年献血任务和各项工作指标要求并及时上报"


def _paragraph(n):
    return "\n".join([LINE] * n)


def _one_line(n):
    return LINE * (n // 2)


def _paragraphs(n):
    return "\n\n".join(f"{i}、{LINE}。" for i in range(n))


def _table(n):
    rows = "\n".join(f"{i}\t第{i}社区\t{i % 97 + 1}" for i in range(1, n + 1))
    return f"关于做好2025年某区无偿献血工作的通知\n附件\n序号\t单位\t任务数\n{rows}\n合计\t{n}\n"


def _digits(n):
    return "关于做好2025年某区无偿献血工作的通知\n全年" + "1" * n + "的任务\n"


def _spaces(n):
    return "关于做好2025年某区无偿献血工作的通知\na" + " " * n + "b\n"


def _cost(text: str) -> tuple[float, int]:
    data = text.encode("utf-8")
    best = float("inf")
    for _ in range(5):
        start = time.process_time()
        notice = ingest_bytes("n.txt", data, "n")
        best = min(best, time.process_time() - start)
        assert notice.readable, notice.error
    tracemalloc.start()
    ingest_bytes("n.txt", data, "n")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return best, peak


@pytest.mark.parametrize("make, n", [(_paragraph, 2000), (_one_line, 4000), (_paragraphs, 1500), (_table, 1500),
                                     (_digits, 4000), (_spaces, 8000)],
                         ids=["long-paragraph", "long-line", "many-paragraphs", "long-table", "digits-before-de",
                              "spaces-between-letters"])
def test_doubling_the_input_at_most_doubles_the_cost(make, n):
    t1, m1 = _cost(make(n))
    t2, m2 = _cost(make(2 * n))
    assert t2 < 3.4 * max(t1, 0.02), f"time grew {t2 / t1:.1f}x when the input doubled ({t1:.2f} s -> {t2:.2f} s)"
    assert m2 < 3.0 * m1, f"peak memory grew {m2 / m1:.1f}x when the input doubled"
