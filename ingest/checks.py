"""Every check: a notice's records in, findings out. One registry (CHECKS); a new check is one function and one line.

The checks compare figures the document states with each other (items with totals, sub-targets with the
headline, a monthly plan with the targets it schedules); none knows a figure of its own.
"""
from __future__ import annotations

import math
from collections import defaultdict
from typing import Iterator

import regex as re

from .findings import Finding
from .notice import target_key
from .rules import rules
from .tables import ParsedTable, Row

def _at(row: Row, table: ParsedTable, **kw) -> dict:
    src = row.value_source if kw.pop("value", False) and row.value_source.box else row.source
    return dict(table_id=table.table_id, row_no=row.row_no, page=src.page,
                box=src.box.as_list() if src.box else None, source_text=row.source.text, **kw)


def _name(row: Row) -> str:
    return row.org_raw or row.org or "（无名称）"


def check_row_events(n) -> Iterator[Finding]:
    for t in n.tables:
        for row in t.rows:
            for code, fld, message in row.events:
                yield Finding(code=code, field=fld, message=f"{t.table_id} 第{row.row_no}行“{_name(row)}”：{message}",
                              actual=row.portions if code == "merged-cell" else None,
                              **_at(row, t, value=(fld == "portions")))


def check_seq(n) -> Iterator[Finding]:
    for t in n.tables:
        if not t.has_seq:
            continue
        items = t.items
        seen: dict[int, Row] = {}
        for i, row in enumerate(items):
            if row.seq is None:
                prev = next((r.seq for r in reversed(items[:i]) if r.seq is not None), None)
                nxt = next((r.seq for r in items[i + 1:] if r.seq is not None), None)
                guess = prev + 1 if prev is not None else (nxt - 1 if nxt is not None else None)
                if guess is not None and (nxt is None or nxt == guess + 1):
                    row.seq, row.seq_inferred = guess, True
                    yield Finding(code="seq-missing", field="seq", expected=guess,
                                  message=f"{t.table_id} 第{row.row_no}行“{_name(row)}”没有序号，按前后序号推定为 {guess}",
                                  **_at(row, t))
                else:
                    yield Finding(code="seq-missing", field="seq",
                                  message=f"{t.table_id} 第{row.row_no}行“{_name(row)}”没有序号，前后序号不能推定",
                                  **_at(row, t))
        prev_row = None
        for row in items:
            if row.seq is None:
                continue
            if row.seq in seen:
                yield Finding(code="seq-duplicate", field="seq", expected=None, actual=row.seq,
                              message=f"{t.table_id} 序号 {row.seq} 重复：“{_name(seen[row.seq])}”与“{_name(row)}”",
                              **_at(row, t))
            elif prev_row is not None and row.seq > prev_row.seq + 1:
                missing = ", ".join(str(s) for s in range(prev_row.seq + 1, row.seq))
                yield Finding(code="seq-gap", field="seq", expected=prev_row.seq + 1, actual=row.seq,
                              message=f"{t.table_id} 序号从 {prev_row.seq} 跳到 {row.seq}，缺少 {missing}（可能漏了行）",
                              **_at(row, t))
            elif prev_row is not None and row.seq < prev_row.seq:
                yield Finding(code="seq-gap", field="seq", expected=prev_row.seq + 1, actual=row.seq,
                              message=f"{t.table_id} 序号顺序倒退：{prev_row.seq} 之后是 {row.seq}", **_at(row, t))
            seen.setdefault(row.seq, row)
            prev_row = row


def _confidence(c: float) -> str:
    """Two decimals, rounded down: a confidence under the threshold (0.8996 < 0.90) must not print as it."""
    return f"{math.floor(round(c * 100, 6)) / 100:.2f}"     # round first: 0.57 * 100 is 56.999…


def _doubted(rows: list[Row]) -> str:
    """For a sum that fails on a table read by OCR: the item whose figure OCR was least sure of."""
    scored = [r for r in rows if r.row_type == "item" and r.value_confidence is not None]
    if not scored:
        return ""
    r = min(scored, key=lambda r: r.value_confidence)
    return f"；OCR 最不确定的是第{r.row_no}行“{_name(r)}”的 {r.value_text}（置信度 {_confidence(r.value_confidence)}），请先核对"


def check_totals(n) -> Iterator[Finding]:
    for t in n.tables:
        running = 0
        since_sub = 0
        for row in t.rows:
            if row.row_type == "item":
                running += row.portions or 0
                since_sub += row.portions or 0
            elif row.row_type == "subtotal" and row.portions is not None:
                if row.portions != since_sub:
                    yield Finding(code="total-mismatch", field="portions", expected=since_sub, actual=row.portions,
                                  message=f"{t.table_id} 小计“{_name(row)}”为 {row.portions}，但其上各项相加为 {since_sub}，相差 {row.portions - since_sub}{_doubted(t.rows)}",
                                  **_at(row, t, value=True))
                since_sub = 0
            elif row.row_type == "total" and row.portions is not None:
                if row.portions != running:
                    yield Finding(code="total-mismatch", field="portions", expected=running, actual=row.portions,
                                  message=f"{t.table_id} 合计为 {row.portions}，但各项相加为 {running}，相差 {row.portions - running}{_doubted(t.rows)}",
                                  **_at(row, t, value=True))


def check_duplicates(n) -> Iterator[Finding]:
    for t in n.tables:
        if t.kind != "allocation":
            continue
        seen: dict = {}
        for row in t.items:
            key = (row.org, row.org_note)
            if key in seen:
                yield Finding(code="duplicate-org", field="org",
                              message=f"{t.table_id} “{_name(row)}”出现两次（第{seen[key].row_no}行和第{row.row_no}行）",
                              **_at(row, t))
            else:
                seen[key] = row


def _allocated(t: ParsedTable) -> int:
    total = t.total_row
    return total.portions if total is not None else sum(r.portions or 0 for r in t.items)


def check_targets(n) -> Iterator[Finding]:
    f = n.facts
    if f.total_target is None:
        yield from _prose_totals(n, [t for t in n.tables if t.kind == "allocation"])
        return
    subs = [x for x in f.targets if x.kind == "sub"]
    if subs and sum(x.portions for x in subs) != f.total_target:
        s = sum(x.portions for x in subs)
        yield Finding(code="target-mismatch", field="total_target", expected=f.total_target, actual=s, page=subs[0].page,
                      source_text=subs[0].text,
                      message=f"总量 {f.total_target} 与其中各分项之和 {s} 不一致（{'＋'.join(str(x.portions) for x in subs)}）")
    alloc = [t for t in n.tables if t.kind == "allocation"]
    if subs and alloc:
        yield from _match_subtargets(n, subs, alloc)
    yield from _prose_totals(n, alloc)
    if not alloc:
        return
    allocated = sum(_allocated(t) for t in alloc)
    names = "＋".join(f"{t.table_id} {_allocated(t)}" for t in alloc)
    if allocated > f.total_target:
        yield Finding(code="target-mismatch", field="total_target", expected=f.total_target, actual=allocated,
                      message=f"各分解表合计 {allocated}（{names}）超过总量 {f.total_target}，多出 {allocated - f.total_target}")
    elif allocated < f.total_target:
        yield Finding(code="unallocated-remainder", field="total_target", expected=f.total_target, actual=allocated,
                      message=f"总量 {f.total_target} 减去各分解表合计 {allocated}（{names}）余 {f.total_target - allocated}，未在附件中分配")


def _prose_totals(n, alloc) -> Iterator[Finding]:
    """A total the prose states for an annex ("附件1所列各单位合计 1250 人份") against that table."""
    for pt in n.facts.prose_totals:
        tables = [t for t in alloc if t.annex == pt.label] or ([alloc[0]] if len(alloc) == 1 and pt.label == rules().notice.annex_word else [])
        for t in tables:
            got = _allocated(t)
            if got != pt.portions:
                how = "表列合计" if t.total_row is not None else "各项相加"
                yield Finding(code="target-mismatch", field="portions", expected=pt.portions, actual=got,
                              table_id=t.table_id, page=pt.page, source_text=pt.text,
                              message=f"正文说{pt.label}合计 {pt.portions}，{t.table_id} {how}为 {got}，相差 {got - pt.portions}")


def _match_subtargets(n, subs, alloc) -> Iterator[Finding]:
    """Each sub-target is a row of a table (named alike) or the rest of that table's rows taken together."""
    unmatched = []
    used: set[int] = set()
    for sub in subs:
        key = target_key(sub.label)
        hit = None
        for t in alloc:
            for row in t.items:
                if key and row.org and (row.org in key or key in row.org) and id(row) not in used:
                    hit = (t, row)
                    break
            if hit:
                break
        if hit is None:
            unmatched.append(sub)
            continue
        t, row = hit
        used.add(id(row))
        if row.portions != sub.portions:
            yield Finding(code="target-mismatch", field="portions", expected=sub.portions, actual=row.portions,
                          message=f"正文分项“{sub.label}”为 {sub.portions}，{t.table_id} 第{row.row_no}行“{_name(row)}”为 {row.portions}",
                          **_at(row, t, value=True))
    if len(unmatched) == 1 and used:
        sub = unmatched[0]
        rest = sum(r.portions or 0 for t in alloc for r in t.items if id(r) not in used)
        if rest != sub.portions:
            yield Finding(code="target-mismatch", field="portions", expected=sub.portions, actual=rest,
                          page=sub.page, source_text=sub.text,
                          message=f"正文分项“{sub.label}”为 {sub.portions}，分解表中其余各行相加为 {rest}，相差 {rest - sub.portions}")


def _stem(name: str) -> str:
    return rules().org_suffix.sub("", name) or name


def check_cross_tables(n) -> Iterator[Finding]:
    """A monthly plan against the target tables it schedules: per unit, and the pooled rows that explain gaps."""
    alloc = [t for t in n.tables if t.kind == "allocation"]
    for plan in (t for t in n.tables if t.kind == "monthly"):
        if not alloc:
            continue
        # the target table whose units the plan names most
        def hits(t):
            stems = {_stem(r.org) for r in t.items}
            return sum(1 for r in plan.items if _stem(r.org) in stems)
        base = max(alloc, key=hits)
        if hits(base) == 0:
            continue
        by_stem: dict[str, Row] = {_stem(r.org): r for r in base.items}
        planned: dict[str, int] = defaultdict(int)
        pooled: list[Row] = []
        for r in plan.items:
            st = _stem(r.org)
            if st in by_stem:
                planned[st] += r.portions or 0
            else:
                pooled.append(r)
        # a pooled row equal to another target table's total schedules that table as a whole
        others = [t for t in alloc if t is not base]
        for r in list(pooled):
            for t in others:
                if r.portions == _allocated(t):
                    pooled.remove(r)
                    break
        diffs = {st: row.portions - planned.get(st, 0) for st, row in by_stem.items()
                 if row.portions is not None and row.portions != planned.get(st, 0)}
        shortfall = sum(diffs.values())
        explained = [r for r in pooled if r.portions is not None and r.portions == shortfall and shortfall]
        if diffs and explained:
            r = explained[0]
            detail = "、".join(f"{by_stem[st].org} {d:+d}" for st, d in diffs.items())
            yield Finding(code="cross-table-reconciled", field="portions", expected=shortfall, actual=r.portions,
                          message=(f"{plan.table_id} 中 {len(diffs)} 个单位的月份计划与 {base.table_id} 目标相差共 {shortfall}"
                                   f"（{detail}），恰等于统筹行“{_name(r)}”的 {r.portions}，差额由该行解释"),
                          **_at(r, plan, value=True))
        else:
            for st, d in diffs.items():
                row = by_stem[st]
                yield Finding(code="cross-table-mismatch", field="portions", expected=row.portions,
                              actual=planned.get(st, 0),
                              message=(f"“{row.org}”在 {base.table_id} 的目标为 {row.portions}，"
                                       f"在 {plan.table_id} 月份计划中合计 {planned.get(st, 0)}，相差 {-d}"),
                              **_at(row, base, value=True))
        plan_total = plan.total_row.portions if plan.total_row else None
        alloc_total = sum(_allocated(t) for t in alloc)
        if plan_total is not None and plan_total != alloc_total:
            yield Finding(code="cross-table-mismatch", field="portions", expected=alloc_total, actual=plan_total,
                          message=f"{plan.table_id} 月份计划合计 {plan_total} 与各分解表合计之和 {alloc_total} 不一致",
                          **_at(plan.total_row, plan, value=True))


def check_years(n) -> Iterator[Finding]:
    year = n.facts.year
    if not year:
        return
    for t in n.tables:
        m = rules().table_title_year.search(t.title or "")
        if m and int(m.group(1)) != year:
            yield Finding(code="year-mismatch", field="year", expected=year, actual=int(m.group(1)), table_id=t.table_id,
                          page=t.page, message=f"{t.table_id} 标题“{t.title}”的年份 {m.group(1)} 与通知年份 {year} 不一致")
    signed = n.facts.signed_on or n.facts.issued_on
    if signed and int(signed[:4]) < year:
        yield Finding(code="year-mismatch", field="signed_on", expected=year, actual=int(signed[:4]),
                      message=f"成文日期 {signed} 早于通知所计划的 {year} 年（日期或年份可能有误）")


def check_status(n) -> Iterator[Finding]:
    if n.facts.status == "draft":
        yield Finding(code="draft", field="status", page=n.facts.draft_page,
                      message=f"本通知是草稿（{n.facts.draft_word}），不是正式印发稿")


def check_repairs(n) -> Iterator[Finding]:
    for kind, count in sorted(n.repairs.items()):
        yield Finding(code="text-repaired", field=kind, actual=count, page=n.repair_pages.get(kind),
                      message=f"{rules().repairs.get(kind, kind)}：{count} 处")


def check_confidence(n) -> Iterator[Finding]:
    """A figure or name read by OCR with low confidence: the value read and the confidence, never silent."""
    limit = rules().low_confidence
    for t in n.tables:
        for row in t.rows:
            for fld, conf, text in (("portions", row.value_confidence, row.value_text),
                                    ("org", row.name_confidence, row.org_raw)):
                if conf is not None and conf < limit and text:
                    yield Finding(code="low-confidence", field=fld, actual=row.portions if fld == "portions" else None,
                                  message=f"{t.table_id} 第{row.row_no}行 OCR 读出“{text}”，置信度 {_confidence(conf)}，请对照原件核对",
                                  **_at(row, t, value=(fld == "portions")))


def check_unparsed(n) -> Iterator[Finding]:
    """No figure lost: every figure in a table region is a value in the outputs or quoted here."""
    for t in n.tables:
        for text, page, box in t.unparsed:
            yield Finding(code="unparsed-content", field="cell", table_id=t.table_id, page=page,
                          box=box.as_list() if box else None, source_text=text,
                          message=f"{t.table_id} 中有未归入任何列的内容“{text}”（表头未说明这一列是什么）")
    for table in n.unrecognised:
        texts = [c.text.replace("\n", "") for row in table.rows for c in row if re.search(r"\d", c.text)]
        quoted = "、".join(texts[:200])
        yield Finding(code="unparsed-content", field="table", page=table.page,
                      box=table.box.as_list() if table.box else None, source_text=quoted,
                      message=f"一个表格未能识别（表头中没有已知的单位/数量列名），其中的数字未计入：{quoted[:300]}")


CHECKS = [check_status, check_row_events, check_seq, check_totals, check_duplicates, check_targets,
          check_cross_tables, check_years, check_confidence, check_unparsed, check_repairs]


def run_checks(notice) -> list[Finding]:
    out: list[Finding] = []
    for check in CHECKS:
        out.extend(check(notice))
    return out
