"""The review report, report.md and report.html, from the same summary so they never say different things.

report.html is one self-contained file (inline CSS and script, pictures as data: URIs, no fonts or anything else
fetched) that a reviewer opens from disk: a summary per notice, then every open finding with where it is, its two
figures, the source (for a PDF, the printed row cropped from the rendered page with the cell outlined; for other
formats, the source row as text) beside the row as extracted, and the reviews.toml entry that records a decision
on it. Accepted findings sit in a separate part, 已审核. Filters by severity and by notice run in the page.
report.md says the same in text, without the pictures and without the full extracted tables.

Pictures come from parsers.render (only the pages that have findings are rendered, each once); ingest itself never
imports a PDF library.
"""
from __future__ import annotations

import base64
import hashlib
import html
import os
from pathlib import Path
from dataclasses import dataclass, field
from typing import Optional

from .findings import SEVERITY_ORDER
from .records import Finding, Notice
from .rules import rules
from .reviews import accept_snippet, correct_snippet, corrections_by_row, orphans

TITLE = "无偿献血工作意见审核报告"
_SEV_CN = {"error": "错误", "warning": "警告", "info": "提示"}
_KIND_CN = {"allocation": "目标分解表", "monthly": "月份计划表"}
_MONTHS = "一二三四五六七八九十"
_FORMAT_CN = {"pdf": "PDF", "docx": "Word", "text": "纯文本"}


# ------------------------------------------------------------------------------------------ the summary


@dataclass
class TableSummary:
    table: object
    stated: Optional[int]
    computed: int

    @property
    def check(self) -> str:
        return "—" if self.stated is None else ("一致" if self.stated == self.computed else "不一致")


@dataclass
class NoticeSummary:
    notice: Notice
    tables: list[TableSummary]
    open: list[Finding]                     # findings nobody has accepted
    reviewed: list[Finding]                 # accepted in reviews.toml
    rows: dict = field(default_factory=dict)        # (table_id, row_no) -> (ParsedTable, Row)
    flagged: dict = field(default_factory=dict)     # (table_id, row_no) -> [Finding]
    fixes: dict = field(default_factory=dict)       # (table_id, row_no) -> [AppliedCorrection]

    def count(self, severity: str, reviewed: bool = False) -> int:
        return sum(1 for f in (self.reviewed if reviewed else self.open) if f.severity == severity)


def summarise(n: Notice) -> NoticeSummary:
    tables = []
    for t in n.tables:
        total = t.total_row
        tables.append(TableSummary(t, total.portions if total else None, sum(r.portions or 0 for r in t.items)))
    s = NoticeSummary(n, tables, [f for f in n.findings if not f.reviewed], [f for f in n.findings if f.reviewed])
    s.rows = {(t.table_id, r.row_no): (t, r) for t in n.tables for r in t.rows}
    for f in n.findings:
        if f.table_id and f.row_no:
            s.flagged.setdefault((f.table_id, f.row_no), []).append(f)
    s.fixes = corrections_by_row(n)
    return s


def _key(f: Finding) -> str:
    return f.key or f.base_key()


def _where(f: Finding, s: Optional[NoticeSummary] = None) -> str:
    parts = []
    if f.table_id:
        t = next((x.table for x in s.tables if x.table.table_id == f.table_id), None) if s else None
        label = " ".join(x for x in ((t.annex, t.title) if t else ()) if x)
        parts.append(f"表 {f.table_id}" + (f"（{label}）" if label else ""))
    if f.row_no:
        parts.append(f"第 {f.row_no} 行")
    if f.page:
        parts.append(f"第 {f.page} 页")
    return "，".join(parts) or "全文"


def _figures(f: Finding) -> str:
    if f.expected is None and f.actual is None:
        return ""
    if f.expected is None:
        return f"{f.actual}"
    if f.actual is None:
        return f"应为 {f.expected}"
    return f"应为 {f.expected}，实为 {f.actual}"


def _month(m: Optional[int]) -> str:
    if not m:
        return ""
    return (_MONTHS[m - 1] if m <= 10 else "十" + _MONTHS[m - 11]) + "月"


def _months(r) -> str:
    if r.month_from and r.month_to and r.month_to != r.month_from:
        return f"{_month(r.month_from)}至{_month(r.month_to)}"
    return _month(r.month_from)


def _columns(t) -> list[tuple[str, str]]:
    """(field, header) of the extracted row as shown beside the source."""
    if t.kind == "monthly":
        return [("month_from", "月份"), ("org", "单位"), ("org_note", "备注"), ("portions", "数量")]
    return [("seq", "序号"), ("org", "单位"), ("org_note", "备注"), ("portions", "数量")]


def _cell(r, fld: str, fixes) -> str:
    """A field of an extracted row as text: inferred and corrected values say so."""
    if fld == "month_from":
        text = _months(r)
    elif fld == "seq":
        text = "" if r.seq is None else f"{r.seq}" + ("（推定）" if r.seq_inferred else "")
    else:
        v = getattr(r, fld)
        text = "" if v is None else str(v)
    for c in fixes or ():
        if c.field == fld or (fld == "month_from" and c.field == "month_to"):
            text += f"（原为 {'' if c.original is None else c.original}）"
    return text


def _flag_fields(f: Finding) -> set[str]:
    return {"month": {"month_from"}, "month_from": {"month_from"}, "month_to": {"month_from"}}.get(f.field, {f.field})


def _row_text(t, r, fixes) -> str:
    cells = [_cell(r, fld, fixes) for fld, _ in _columns(t)]
    kind = {"total": "合计行", "subtotal": "小计行"}.get(r.row_type)
    return " | ".join(cells) + (f"（{kind}）" if kind else "")


# ------------------------------------------------------------------------------------------ pictures


def _crop_box(f: Finding, s: NoticeSummary) -> list[float]:
    """The region to show: the finding's row across the whole width of its table on that page, with a row's
    height above and below for context."""
    x0, top, x1, bottom = f.box.as_list()
    hit = s.rows.get((f.table_id, f.row_no)) if f.table_id else None
    if hit:
        t, row = hit
        boxes = [r.source.box for r in t.rows if r.source.page == f.page and r.source.box]
        if boxes:
            x0, x1 = min([x0] + [b.x0 for b in boxes]), max([x1] + [b.x1 for b in boxes])
        if row.source.box and row.source.page == f.page:
            top, bottom = min(top, row.source.box.top), max(bottom, row.source.box.bottom)
    pad = max(8.0, min(24.0, (bottom - top)))
    return [x0, top - pad, x1, bottom + pad]


def _crop_path(crop_dir: Optional[Path], n: Notice, page: int, box: list, outline: list) -> Optional[Path]:
    """Where a rendered crop is kept between runs: under the file's hash and the region, so a re-run of an
    unchanged folder renders nothing (rendering is most of the cost of writing a large report)."""
    if crop_dir is None or not n.source_sha256:
        return None
    spec = f"{n.source_sha256}|{page}|{[round(v, 1) for v in box]}|{[round(v, 1) for v in outline]}|v1"
    return crop_dir / (hashlib.sha256(spec.encode()).hexdigest() + ".png")


def pictures(summaries: list[NoticeSummary], crop_dir: Optional[Path] = None) -> tuple[dict, dict]:
    """PNG data: URIs of the source of every PDF finding with a page and box, keyed (notice_id, key); and, per
    notice, why there are none where they were due (the file changed or could not be rendered)."""
    out: dict[tuple[str, str], str] = {}
    problems: dict[str, str] = {}
    for s in summaries:
        n = s.notice
        due = [f for f in n.findings if f.page and f.box]
        if n.format != "pdf" or not due:
            continue
        kept = {}
        for f in due:
            path = _crop_path(crop_dir, n, f.page, _crop_box(f, s), f.box.as_list())
            if path is not None and path.is_file():
                kept[id(f)] = path.read_bytes()
        for f in due:
            if id(f) in kept:
                out[(n.notice_id, _key(f))] = "data:image/png;base64," + base64.b64encode(kept[id(f)]).decode("ascii")
        due = [f for f in due if id(f) not in kept]
        if not due:
            continue
        try:
            with open(n.source_file, "rb") as fh:
                data = fh.read()
        except OSError as exc:
            problems[n.notice_id] = f"无法再次打开源文件（{exc.strerror}），未附原件图片"
            continue
        if n.source_sha256 and hashlib.sha256(data).hexdigest() != n.source_sha256:
            problems[n.notice_id] = "源文件在读取后已改变，未附原件图片"
            continue
        from parsers.render import PageRenderer
        try:
            with PageRenderer(data) as renderer:
                for f in sorted(due, key=lambda x: x.page):
                    png = renderer.crop_png(f.page, _crop_box(f, s), outline=f.box.as_list(), margin=4)
                    path = _crop_path(crop_dir, n, f.page, _crop_box(f, s), f.box.as_list())
                    if path is not None:
                        _keep(path, png)
                    out[(n.notice_id, _key(f))] = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
        except Exception as exc:       # a picture is a help, not the finding: the report goes out without it
            problems[n.notice_id] = f"原件图片无法生成（{exc.__class__.__name__}: {exc}）"
    return out, problems


def _keep(path: Path, png: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(png)
        os.replace(tmp, path)
    except OSError:
        pass   # a crop not kept is only rendered again next time


# ------------------------------------------------------------------------------------------ report.md


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _md_finding(f: Finding, s: NoticeSummary) -> list[str]:
    out = [f"- **{_SEV_CN[f.severity]}** `{f.code}` {_where(f, s)}：{_md(f.message)}"]
    if _figures(f):
        out.append(f"  - 数字：{_figures(f)}")
    if f.source_text:
        out.append(f"  - 原文：`{f.source_text.strip() or ' '}`")
    hit = s.rows.get((f.table_id, f.row_no)) if f.table_id else None
    if hit:
        t, r = hit
        out.append(f"  - 提取：{_row_text(t, r, s.fixes.get((t.table_id, r.row_no)))}")
    if f.reviewed:
        out.append(f"  - 审核理由：{_md(f.review_reason)}")
    out.append(f"  - 键：`{s.notice.notice_id}` `{_key(f)}`")
    return out


def report_md(notices: list[Notice], reviews=None) -> str:
    summaries = [summarise(n) for n in notices]
    out = [f"# {TITLE}", ""]
    e = sum(s.count("error") for s in summaries)
    w = sum(s.count("warning") for s in summaries)
    i = sum(s.count("info") for s in summaries)
    done = sum(len(s.reviewed) for s in summaries)
    out += [f"共 {len(notices)} 个文件；未审核：错误 {e}，警告 {w}，提示 {i}；已审核 {done}。", ""]
    if reviews is not None:
        out += [f"审核决定：`{reviews.path}`（接受 {len(reviews.accepts)} 条，更正 {len(reviews.corrects)} 条）。", ""]
    for s in summaries:
        n, f = s.notice, s.notice.facts
        out += [f"## {f.title or n.notice_id}", ""]
        out.append(f"- 文件：`{n.source_file}`（{n.format or '未识别'}），编号 `{n.notice_id}`")
        if n.error:
            out.append(f"- **无法读取**：{n.error}")
        else:
            out.append(f"- 状态：{'草稿' if f.status == 'draft' else '正式'}；文号：{f.doc_number or '—'}；"
                       f"发文：{f.issuer or '—'}；成文：{f.signed_on or '—'}；印发：{f.issued_on or '—'}")
            head = f"- 总量：{f.total_target if f.total_target is not None else '—'} 人份"
            subs = [x for x in f.targets if x.kind == "sub"]
            if subs:
                head += "（其中 " + "；".join(f"{x.label} {x.portions}" for x in subs) + "）"
            out.append(head)
        out.append(f"- 未审核：错误 {s.count('error')}，警告 {s.count('warning')}，提示 {s.count('info')}；"
                   f"已审核 {len(s.reviewed)}")
        out.append("")
        if s.tables:
            out += ["| 表 | 标题 | 类型 | 行数 | 表列合计 | 逐项相加 | 核对 |", "|---|---|---|---|---|---|---|"]
            for ts in s.tables:
                t = ts.table
                out.append(f"| {t.table_id} | {_md(' '.join(x for x in (t.annex, t.title) if x))} | "
                           f"{_KIND_CN.get(t.kind, t.kind)} | {len(t.items)} | "
                           f"{ts.stated if ts.stated is not None else '—'} | {ts.computed} | {ts.check} |")
            out.append("")
        for fi in s.open:
            out += _md_finding(fi, s)
        if s.open:
            out.append("")
    if any(s.reviewed for s in summaries):
        out += ["## 已审核", ""]
        for s in summaries:
            if s.reviewed:
                out += [f"### {s.notice.notice_id}", ""]
                for fi in s.reviewed:
                    out += _md_finding(fi, s)
                out.append("")
    left = orphans(reviews, notices)
    if left:
        out += ["## 未用到的审核决定", "", "以下决定所指的文件不在本次读取的文件中（或无法读取），未应用：", ""]
        out += [f"- {d.label}：{_md(d.reason)}" for d in left]
        out.append("")
    return "\n".join(out) + "\n"


# ------------------------------------------------------------------------------------------ report.html

_CSS = """
*{box-sizing:border-box}
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","WenQuanYi Micro Hei","Microsoft YaHei","PingFang SC",sans-serif;
 margin:0;color:#1d1d1f;background:#f6f7f9;line-height:1.5}
main{max-width:1200px;margin:0 auto;padding:0 1.5em 3em}
h1{font-size:1.5em;margin:.8em 0 .3em} h2{font-size:1.2em;margin:0 0 .4em}
h3{font-size:1em;margin:1em 0 .4em}
.bar{position:sticky;top:0;z-index:5;background:#fff;border-bottom:1px solid #ddd;padding:.5em 1.5em;
 display:flex;flex-wrap:wrap;gap:.4em 1.4em;align-items:center}
.bar label{white-space:nowrap;cursor:pointer} .bar .shown{margin-left:auto;color:#555}
section.notice,section.part{background:#fff;border:1px solid #ddd;border-radius:6px;padding:1em 1.2em;margin:1em 0}
table{border-collapse:collapse;margin:.5em 0} td,th{border:1px solid #d5d5d5;padding:.2em .55em;text-align:left;vertical-align:top}
th{background:#f1f2f4;font-weight:600} td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.facts{margin:.2em 0 .6em;padding:0;list-style:none} .facts li{margin:.1em 0}
.counts .sev{margin:0 .3em 0 .5em}
.sev{display:inline-block;min-width:2.6em;text-align:center;border-radius:3px;padding:0 .35em;color:#fff;font-size:.85em}
.sev.error{background:#c8102e} .sev.warning{background:#b35c00} .sev.info{background:#3465a4}
tr.bad td{background:#fde7e9}
article.finding{border:1px solid #ddd;border-left:5px solid #3465a4;border-radius:4px;padding:.6em .8em;margin:.7em 0;background:#fff}
article.finding.error{border-left-color:#c8102e} article.finding.warning{border-left-color:#b35c00}
article.finding.reviewed{background:#f7faf7}
.head{display:flex;flex-wrap:wrap;gap:.3em .8em;align-items:baseline}
.head code.code{font-weight:600} .where{color:#444}
code{background:#f1f2f4;padding:0 .25em;border-radius:3px;font-family:"DejaVu Sans Mono",Consolas,monospace;font-size:.9em}
code.key{user-select:all;cursor:text;color:#555}
.msg{margin:.3em 0} .figs{margin:.2em 0} .figs b{font-size:1.1em;font-variant-numeric:tabular-nums} .figs span{margin-right:1.2em}
.pair{display:grid;grid-template-columns:minmax(0,3fr) minmax(0,2fr);gap:.8em;margin-top:.4em}
.pair>div{min-width:0} .pair .lbl{font-size:.8em;color:#666;margin-bottom:.15em}
img.src-img{max-width:100%;border:1px solid #ccc;display:block;background:#fff}
pre.src-text{margin:0;padding:.35em .5em;background:#fafafa;border:1px solid #ddd;white-space:pre-wrap;word-break:break-all;font-size:.9em}
table.row td,table.row th{font-size:.9em}
td.flag{background:#fff2b3;outline:2px solid #e0a800;outline-offset:-2px}
.reason{margin:.3em 0;color:#225522}
details{margin:.4em 0} summary{cursor:pointer;color:#2a5db0}
details.decide pre{background:#f4f6f8;border:1px solid #dde;padding:.4em .6em;margin:.3em 0;font-size:.85em;user-select:all}
details.extracted table{font-size:.9em}
details.extracted tr.flagged td{background:#fff8d6} details.extracted tr.flagged.error td{background:#fde7e9}
details.extracted tr.total td{font-weight:600}
.note{color:#8a5a00}
.empty{color:#666}
"""

_JS = """
(function(){
  function q(s,r){return Array.prototype.slice.call((r||document).querySelectorAll(s));}
  function apply(){
    var sev={}; q('.bar input[data-sev]').forEach(function(c){sev[c.dataset.sev]=c.checked;});
    var nid=document.getElementById('notice-filter').value;
    var shown=0,total=0;
    q('article.finding').forEach(function(a){
      var on=sev[a.dataset.severity]&&(nid===''||a.dataset.notice===nid);
      a.hidden=!on; total++; if(on)shown++;});
    q('[data-notice-block]').forEach(function(s){s.hidden=!(nid===''||s.dataset.noticeBlock===nid);});
    q('.group').forEach(function(g){g.hidden=!q('article.finding',g).some(function(a){return !a.hidden;});});
    document.getElementById('shown').textContent='显示 '+shown+' / '+total+' 条发现';
  }
  document.addEventListener('change',function(e){if(e.target.closest('.bar'))apply();});
  document.addEventListener('click',function(e){
    var a=e.target.closest('a[href^="#r-"]'); if(!a)return;
    var row=document.getElementById(a.getAttribute('href').slice(1));
    if(row){var d=row.closest('details'); if(d)d.open=true;}
  });
  apply();
})();
"""


def _e(x) -> str:
    return html.escape("" if x is None else str(x))


def _id(*parts) -> str:
    return "-".join(str(p) for p in parts).replace("/", "_").replace("#", "_")


def _html_row_table(t, r, s: NoticeSummary, flag: set[str]) -> str:
    fixes = s.fixes.get((t.table_id, r.row_no))
    cols = _columns(t)
    head = "".join(f"<th>{h}</th>" for _, h in cols)
    cells = "".join(f'<td{" class=flag" if fld in flag else ""}>{_e(_cell(r, fld, fixes))}</td>' for fld, _ in cols)
    kind = {"total": "合计行", "subtotal": "小计行"}.get(r.row_type, "")
    return (f'<table class="row"><tr><th>行</th>{head}</tr><tr><td class="num">'
            f'<a href="#{_id("r", s.notice.notice_id, t.table_id, r.row_no)}">{r.row_no}</a>'
            f'{"（" + kind + "）" if kind else ""}</td>{cells}</tr></table>')


def _html_finding(f: Finding, s: NoticeSummary, pics: dict) -> str:
    n = s.notice
    key = _key(f)
    out = [f'<article class="finding {f.severity}{" reviewed" if f.reviewed else ""}" id="{_id("f", n.notice_id, key)}" '
           f'data-severity="{f.severity}" data-notice="{_e(n.notice_id)}" data-key="{_e(key)}" data-code="{f.code}">',
           f'<div class="head"><span class="sev {f.severity}">{_SEV_CN[f.severity]}</span>'
           f'<code class="code">{f.code}</code><span class="where">{_e(_where(f, s))}</span>'
           f'<code class="key" title="审核决定中用的键（与 notice_id 一起）">{_e(key)}</code></div>',
           f'<p class="msg">{_e(f.message)}</p>']
    if f.expected is not None or f.actual is not None:
        figs = []
        if f.expected is not None:
            figs.append(f"<span>应为 <b>{f.expected}</b></span>")
        if f.actual is not None:
            figs.append(f"<span>{'实为' if f.expected is not None else '数值'} <b>{f.actual}</b></span>")
        out.append(f'<p class="figs">{"".join(figs)}</p>')
    if f.reviewed:
        out.append(f'<p class="reason">已接受：{_e(f.review_reason)}</p>')
    pic = pics.get((n.notice_id, key))
    hit = s.rows.get((f.table_id, f.row_no)) if f.table_id else None
    left = ""
    if pic:
        alt = f"原件第 {f.page} 页：{f.source_text.strip() or f.message}"
        row_box = hit[1].source.box.as_list() if hit and hit[1].source.box else None
        what = "单元格" if row_box and f.box.as_list() != row_box else "所在行"
        left = (f'<div class="lbl">原件（第 {f.page} 页，红框为{what}）</div>'
                f'<img class="src-img" alt="{_e(alt)}" src="{pic}">')
    elif f.source_text:
        left = f'<div class="lbl">原文</div><pre class="src-text">{_e(f.source_text)}</pre>'
    right = ""
    if hit:
        t, r = hit
        right = f'<div class="lbl">提取结果（{_e(t.table_id)}）</div>' + _html_row_table(t, r, s, _flag_fields(f))
    if left or right:
        out.append(f'<div class="pair"><div>{left}</div><div>{right}</div></div>')
    if not f.reviewed and f.code not in ("stale-review", "value-corrected"):
        snippets = [accept_snippet(f)]
        if hit and hit[0].kind in ("allocation", "monthly"):
            fld = f.field if f.field in rules().phrases.field_names else ("month_from" if f.field == "month" else "portions")
            snippets.append(correct_snippet(n.notice_id, hit[0].table_id, hit[1], fld))
        out.append('<details class="decide"><summary>记录审核决定（复制到 reviews.toml）</summary>'
                   + "".join(f"<pre>{_e(x)}</pre>" for x in snippets) + "</details>")
    out.append("</article>")
    return "\n".join(out)


def _html_extracted(t, s: NoticeSummary) -> str:
    n = s.notice
    flagged_rows = sum(1 for r in t.rows if (t.table_id, r.row_no) in s.flagged)
    cols = _columns(t)
    out = [f'<details class="extracted"><summary>{_e(t.table_id)} {_e(t.annex)} {_e(t.title)}：提取出的 {len(t.rows)} 行'
           f'{f"（{flagged_rows} 行有发现，已标出）" if flagged_rows else ""}</summary>',
           "<table><tr><th>行</th>" + "".join(f"<th>{h}</th>" for _, h in cols) + "<th>页</th><th>发现</th></tr>"]
    for r in t.rows:
        fs = s.flagged.get((t.table_id, r.row_no), [])
        worst = min((f.severity for f in fs), key=SEVERITY_ORDER.get, default="")
        flag = set().union(*(_flag_fields(f) for f in fs)) if fs else set()
        cls = " ".join(x for x in ("flagged" if fs else "", worst, r.row_type if r.row_type != "item" else "") if x)
        links = " ".join(f'<a href="#{_id("f", n.notice_id, _key(f))}">{f.code}</a>' for f in fs)
        fixes = s.fixes.get((t.table_id, r.row_no))
        cells = "".join(f'<td{" class=flag" if fld in flag else ""}>{_e(_cell(r, fld, fixes))}</td>' for fld, _ in cols)
        attr = f' class="{cls}"' if cls else ""
        out.append(f'<tr id="{_id("r", n.notice_id, t.table_id, r.row_no)}"{attr}>'
                   f'<td class="num">{r.row_no}</td>{cells}<td class="num">{_e(r.source.page)}</td><td>{links}</td></tr>')
    out.append("</table></details>")
    return "\n".join(out)


def _html_notice(s: NoticeSummary, pics: dict, problems: dict) -> str:
    n, f = s.notice, s.notice.facts
    out = [f'<section class="notice" id="{_id("n", n.notice_id)}" data-notice-block="{_e(n.notice_id)}">',
           f"<h2>{_e(f.title or n.notice_id)}</h2>", '<ul class="facts">',
           f"<li>文件 <code>{_e(n.source_file)}</code>（{_e(_FORMAT_CN.get(n.format, n.format or '未识别'))}），"
           f"编号 <code>{_e(n.notice_id)}</code></li>"]
    if n.error:
        out.append(f'<li class="note">无法读取：{_e(n.error)}</li>')
    else:
        out.append(f"<li>状态：{'草稿' if f.status == 'draft' else '正式'}；文号：{_e(f.doc_number or '—')}；"
                   f"发文：{_e(f.issuer or '—')}；成文：{_e(f.signed_on or '—')}；印发：{_e(f.issued_on or '—')}</li>")
        subs = [x for x in f.targets if x.kind == "sub"]
        head = f"<li>总量：<b>{_e(f.total_target if f.total_target is not None else '—')}</b> 人份"
        if subs:
            head += "，其中 " + "；".join(f"{_e(x.label)} <b>{x.portions}</b>" for x in subs)
        out.append(head + "</li>")
    out.append(f'<li class="counts">未审核：<span class="sev error">错误</span> {s.count("error")} '
               f'<span class="sev warning">警告</span> {s.count("warning")} '
               f'<span class="sev info">提示</span> {s.count("info")}；已审核 {len(s.reviewed)}</li>')
    if n.notice_id in problems:
        out.append(f'<li class="note">{_e(problems[n.notice_id])}</li>')
    out.append("</ul>")
    if s.tables:
        out.append('<table class="tables"><tr><th>表</th><th>标题</th><th>类型</th><th class="num">行数</th>'
                   '<th class="num">表列合计</th><th class="num">逐项相加</th><th>核对</th></tr>')
        for ts in s.tables:
            t = ts.table
            out.append(f'<tr{" class=bad" if ts.check == "不一致" else ""}><td>{_e(t.table_id)}</td>'
                       f"<td>{_e(' '.join(x for x in (t.annex, t.title) if x))}</td><td>{_KIND_CN.get(t.kind, t.kind)}</td>"
                       f'<td class="num">{len(t.items)}</td><td class="num">{_e(ts.stated if ts.stated is not None else "—")}</td>'
                       f'<td class="num">{ts.computed}</td><td>{ts.check}</td></tr>')
        out.append("</table>")
    out.append('<div class="group">')
    out.append(f"<h3>发现（{len(s.open)}）</h3>" if s.open else '<p class="empty">没有未审核的发现。</p>')
    out += [_html_finding(fi, s, pics) for fi in s.open]
    out.append("</div>")
    for ts in s.tables:
        out.append(_html_extracted(ts.table, s))
    out.append("</section>")
    return "\n".join(out)


def report_html(notices: list[Notice], reviews=None, with_pictures: bool = True,
                crop_dir: Optional[Path] = None) -> str:
    summaries = [summarise(n) for n in notices]
    pics, problems = pictures(summaries, crop_dir) if with_pictures else ({}, {})
    out = ["<!DOCTYPE html>", '<html lang="zh-CN"><head><meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>{TITLE}</title>", f"<style>{_CSS}</style></head><body>"]
    out.append('<div class="bar" role="toolbar" aria-label="筛选"><b>筛选</b>')
    for sev in sorted(SEVERITY_ORDER, key=SEVERITY_ORDER.get):
        k = sum(1 for s in summaries for f in s.notice.findings if f.severity == sev)
        out.append(f'<label><input type="checkbox" data-sev="{sev}" checked> '
                   f'<span class="sev {sev}">{_SEV_CN[sev]}</span> {k}</label>')
    out.append('<label>文件 <select id="notice-filter"><option value="">全部</option>')
    for n in notices:
        out.append(f'<option value="{_e(n.notice_id)}">{_e(n.notice_id)}</option>')
    out.append('</select></label><span class="shown" id="shown"></span></div>')
    out.append(f"<main><h1>{TITLE}</h1>")
    e = sum(s.count("error") for s in summaries)
    w = sum(s.count("warning") for s in summaries)
    i = sum(s.count("info") for s in summaries)
    done = sum(len(s.reviewed) for s in summaries)
    out.append(f"<p>共 {len(notices)} 个文件；未审核：错误 {e}，警告 {w}，提示 {i}；已审核 {done}。"
               + (f"审核决定来自 <code>{_e(reviews.path)}</code>（接受 {len(reviews.accepts)} 条，更正 "
                  f"{len(reviews.corrects)} 条）。" if reviews is not None else
                  "没有审核决定文件（reviews.toml）；每条发现下的“记录审核决定”给出可复制的条目。") + "</p>")
    out.append('<table class="overview"><tr><th>文件</th><th>标题</th><th>状态</th><th class="num">总量</th>'
               '<th class="num">错误</th><th class="num">警告</th><th class="num">提示</th><th class="num">已审核</th></tr>')
    for s in summaries:
        n = s.notice
        out.append(f'<tr data-notice-block="{_e(n.notice_id)}"><td><a href="#{_id("n", n.notice_id)}">{_e(n.notice_id)}</a></td>'
                   f"<td>{_e(n.facts.title or ('无法读取' if n.error else '—'))}</td>"
                   f"<td>{'' if n.error else ('草稿' if n.facts.status == 'draft' else '正式')}</td>"
                   f'<td class="num">{_e(n.facts.total_target if n.facts.total_target is not None else "—")}</td>'
                   f'<td class="num">{s.count("error")}</td><td class="num">{s.count("warning")}</td>'
                   f'<td class="num">{s.count("info")}</td><td class="num">{len(s.reviewed)}</td></tr>')
    out.append("</table>")
    for s in summaries:
        out.append(_html_notice(s, pics, problems))
    if any(s.reviewed for s in summaries):
        out.append('<section class="part" id="reviewed"><h2>已审核</h2>'
                   "<p>审核人已在 reviews.toml 中接受的发现：不再计入未审核，也不影响 --strict。</p>")
        for s in summaries:
            if s.reviewed:
                out.append(f'<div class="group" data-notice-block="{_e(s.notice.notice_id)}">'
                           f"<h3>{_e(s.notice.notice_id)}</h3>")
                out += [_html_finding(fi, s, pics) for fi in s.reviewed]
                out.append("</div>")
        out.append("</section>")
    left = orphans(reviews, notices)
    if left:
        out.append('<section class="part" id="orphans"><h2>未用到的审核决定</h2>'
                   "<p>以下决定所指的文件不在本次读取的文件中（或无法读取），未应用：</p><ul>")
        out += [f"<li>{_e(d.label)}：{_e(d.reason)}</li>" for d in left]
        out.append("</ul></section>")
    out.append(f"</main><script>{_JS}</script></body></html>")
    return "\n".join(out) + "\n"
