"""The review report, report.md and report.html, from the same summary so they never say different things."""
from __future__ import annotations

import html

from .findings import SEVERITY_ORDER
from .pipeline import Notice

_SEV_CN = {"error": "错误", "warning": "警告", "info": "提示"}
_KIND_CN = {"allocation": "目标分解表", "monthly": "月份计划表"}


def _where(f) -> str:
    parts = []
    if f.table_id:
        parts.append(f"表 {f.table_id}")
    if f.row_no:
        parts.append(f"第 {f.row_no} 行")
    if f.page:
        parts.append(f"第 {f.page} 页")
    return "，".join(parts) or "全文"


def _figures(f) -> str:
    if f.expected is None and f.actual is None:
        return ""
    if f.expected is None:
        return f"{f.actual}"
    if f.actual is None:
        return f"应为 {f.expected}"
    return f"应为 {f.expected}，实为 {f.actual}"


def _table_rows(n: Notice):
    for t in n.tables:
        total = t.total_row
        computed = sum(r.portions or 0 for r in t.items)
        stated = total.portions if total else None
        ok = "—" if stated is None else ("一致" if stated == computed else "不一致")
        yield t, stated, computed, ok


def report_md(notices: list[Notice]) -> str:
    out = ["# 无偿献血工作意见审核报告", ""]
    e = sum(n.count("error") for n in notices)
    w = sum(n.count("warning") for n in notices)
    out += [f"共 {len(notices)} 个文件；错误 {e}，警告 {w}。", ""]
    for n in notices:
        f = n.facts
        out += [f"## {f.title or n.notice_id}", ""]
        out.append(f"- 文件：`{n.source_file}`（{n.format or '未识别'}），编号 `{n.notice_id}`")
        if n.error:
            out += [f"- **无法读取**：{n.error}", ""]
            continue
        out.append(f"- 状态：{'草稿' if f.status == 'draft' else '正式'}；文号：{f.doc_number or '—'}；"
                   f"发文：{f.issuer or '—'}；成文：{f.signed_on or '—'}；印发：{f.issued_on or '—'}")
        head = f"- 总量：{f.total_target if f.total_target is not None else '—'} 人份"
        subs = [x for x in f.targets if x.kind == "sub"]
        if subs:
            head += "（其中 " + "；".join(f"{x.label} {x.portions}" for x in subs) + "）"
        out.append(head)
        out.append(f"- 发现：错误 {n.count('error')}，警告 {n.count('warning')}，提示 {n.count('info')}")
        out.append("")
        if n.tables:
            out += ["| 表 | 标题 | 类型 | 行数 | 表列合计 | 逐项相加 | 核对 |", "|---|---|---|---|---|---|---|"]
            for t, stated, computed, ok in _table_rows(n):
                out.append(f"| {t.table_id} | {t.annex} {t.title} | {_KIND_CN[t.kind]} | {len(t.items)} | "
                           f"{stated if stated is not None else '—'} | {computed} | {ok} |")
            out.append("")
        if n.findings:
            out += ["| 级别 | 代码 | 位置 | 说明 | 数字 | 原文 |", "|---|---|---|---|---|---|"]
            for fi in n.findings:
                src, msg = (x.replace("|", "\\|") for x in (fi.source_text, fi.message))
                out.append(f"| {_SEV_CN[fi.severity]} | `{fi.code}` | {_where(fi)} | {msg} | {_figures(fi)} | {src} |")
            out.append("")
    return "\n".join(out) + "\n"


_CSS = """
body{font-family:"Noto Sans CJK SC","WenQuanYi Micro Hei","Microsoft YaHei",sans-serif;margin:2em;color:#222}
h1{font-size:1.5em} h2{font-size:1.2em;border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:2em}
table{border-collapse:collapse;margin:.8em 0} td,th{border:1px solid #ccc;padding:.25em .6em;text-align:left;vertical-align:top}
th{background:#f3f3f3} .error{color:#b00020;font-weight:bold} .warning{color:#b36b00;font-weight:bold} .info{color:#3465a4}
.bad{background:#fde7e9} .filters label{margin-right:1em} code{background:#f5f5f5;padding:0 .2em}
"""

_JS = """
function applyFilters(){
  var sev={}; document.querySelectorAll('.filters input[data-sev]').forEach(function(c){sev[c.dataset.sev]=c.checked});
  var nid=document.getElementById('notice-filter').value;
  document.querySelectorAll('tr.finding').forEach(function(r){
    r.style.display=(sev[r.dataset.severity] && (nid==='' || r.dataset.notice===nid))?'':'none';});
  document.querySelectorAll('section.notice').forEach(function(s){
    s.style.display=(nid==='' || s.dataset.notice===nid)?'':'none';});
}
document.addEventListener('change', applyFilters);
"""


def report_html(notices: list[Notice]) -> str:
    esc = html.escape
    out = ["<!DOCTYPE html>", '<html lang="zh-CN"><head><meta charset="utf-8">',
           "<title>无偿献血工作意见审核报告</title>", f"<style>{_CSS}</style></head><body>",
           "<h1>无偿献血工作意见审核报告</h1>"]
    out.append('<div class="filters">')
    for sev in sorted(SEVERITY_ORDER, key=SEVERITY_ORDER.get):
        out.append(f'<label><input type="checkbox" data-sev="{sev}" checked> {_SEV_CN[sev]}</label>')
    out.append('<label>通知 <select id="notice-filter"><option value="">全部</option>')
    for n in notices:
        out.append(f'<option value="{esc(n.notice_id)}">{esc(n.notice_id)}</option>')
    out.append("</select></label></div>")
    for n in notices:
        f = n.facts
        out.append(f'<section class="notice" data-notice="{esc(n.notice_id)}">')
        out.append(f"<h2>{esc(f.title or n.notice_id)}</h2>")
        out.append(f"<p>文件 <code>{esc(n.source_file)}</code>（{esc(n.format or '未识别')}）</p>")
        if n.error:
            out.append(f'<p class="error">无法读取：{esc(n.error)}</p></section>')
            continue
        out.append(f"<p>状态：{'草稿' if f.status == 'draft' else '正式'}；文号：{esc(f.doc_number or '—')}；"
                   f"发文：{esc(f.issuer or '—')}；成文：{esc(f.signed_on or '—')}；印发：{esc(f.issued_on or '—')}；"
                   f"总量：{f.total_target if f.total_target is not None else '—'} 人份；"
                   f"错误 {n.count('error')}，警告 {n.count('warning')}，提示 {n.count('info')}</p>")
        if n.tables:
            out.append("<table><tr><th>表</th><th>标题</th><th>类型</th><th>行数</th><th>表列合计</th><th>逐项相加</th><th>核对</th></tr>")
            for t, stated, computed, ok in _table_rows(n):
                cls = ' class="bad"' if ok == "不一致" else ""
                out.append(f"<tr{cls}><td>{t.table_id}</td><td>{esc(t.annex)} {esc(t.title)}</td><td>{_KIND_CN[t.kind]}</td>"
                           f"<td>{len(t.items)}</td><td>{stated if stated is not None else '—'}</td><td>{computed}</td><td>{ok}</td></tr>")
            out.append("</table>")
        if n.findings:
            out.append("<table><tr><th>级别</th><th>代码</th><th>位置</th><th>说明</th><th>数字</th><th>原文</th></tr>")
            for fi in n.findings:
                out.append(f'<tr class="finding" data-severity="{fi.severity}" data-notice="{esc(n.notice_id)}">'
                           f'<td class="{fi.severity}">{_SEV_CN[fi.severity]}</td><td><code>{fi.code}</code></td>'
                           f"<td>{esc(_where(fi))}</td><td>{esc(fi.message)}</td><td>{esc(_figures(fi))}</td>"
                           f"<td>{esc(fi.source_text)}</td></tr>")
            out.append("</table>")
        out.append("</section>")
    out.append(f"<script>{_JS}</script></body></html>")
    return "\n".join(out) + "\n"
