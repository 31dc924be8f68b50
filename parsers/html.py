"""Web pages (HTML as a browser saves it) into the document model, with lxml's HTML parser.

The page is decoded by its byte-order mark, else as UTF-8 when it is UTF-8, else as it declares (<meta charset>,
http-equiv, an XML declaration; GB2312 and GBK are read as their superset GB18030), else as GB18030, strictly:
nothing is replaced.
The tree is walked once, in document order, without recursion: page furniture (navigation, breadcrumbs, tools,
footers, scripts, styles; the words are data, in web_furniture.toml) is dropped, every other block-level element
ends a paragraph, inline runs (<span>, <font> …) are joined, <br> breaks a line, and an indent of &nbsp; or
ideographic spaces is removed. Each data <table> becomes a table of the model with its rowspan/colspan as merged
cells; a table that only lays out the page (one holding another table, or a single column) is read as flow.
"""
from __future__ import annotations

import codecs
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional

from lxml import etree
from lxml import html as lxml_html

from .limits import NO_LIMITS, GridBudget, Limits, over
from .model import Cell, Document, Line, Note, Paragraph, Table, UnreadableFile
from .sniff import utf16_without_bom

RULES_FILE = Path(__file__).with_name("web_furniture.toml")
# Elements that end a paragraph: everything a browser lays out as a block, and table parts.
BLOCKS = {"address", "article", "blockquote", "body", "caption", "center", "dd", "div", "dl", "dt", "fieldset",
          "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "html", "li", "main", "ol", "p", "pre",
          "section", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul"}
# HTML's own bounds on spans (the HTML standard clamps colspan at 1000 and rowspan at 65534). How many grid cells
# a document's tables may hold in all (parsers.limits.MAX_GRID_CELLS) bounds both the cells a few spans cover and
# the padding of ragged rows to the widest, so neither can make a huge grid out of a small page.
MAX_COLSPAN, MAX_ROWSPAN = 1000, 65534
# Encodings a page may declare, by their WHATWG labels, to the codec that reads them without loss.
GB_LABELS = {"gb2312", "gbk", "x-gbk", "gb_2312", "gb_2312-80", "chinese", "csgb2312", "csiso58gb231280",
             "iso-ir-58", "gb18030", "cp936", "windows-936", "euc-cn"}
# The encodings of the web (WHATWG's Encoding standard) that are ASCII-compatible, by Python's codec names: a label
# naming any other codec is not an encoding a browser would use, and is ignored as browsers ignore it. Python knows
# codecs no page is in: base64, zlib, rot13, unicode_escape (which reads backslashes as escapes), punycode, UTF-7,
# EBCDIC; and a page that declares UTF-16 in markup one could read as ASCII is not UTF-16 (the standard reads it as
# UTF-8). Latin-1 and ASCII labels mean windows-1252 on the web.
WEB_CODECS = {"utf-8": "utf-8", "big5": "big5", "big5hkscs": "big5hkscs", "euc_jp": "euc_jp",
              "iso2022_jp": "iso2022_jp", "shift_jis": "shift_jis", "euc_kr": "euc_kr", "cp949": "cp949",
              "koi8-r": "koi8-r", "koi8-u": "koi8-u", "mac-roman": "mac-roman", "cp866": "cp866",
              "iso8859-1": "cp1252", "ascii": "cp1252", "tis-620": "cp874", "iso8859-11": "cp874",
              **{f"cp{n}": f"cp{n}" for n in range(1250, 1259)},
              **{f"iso8859-{n}": f"iso8859-{n}" for n in (2, 3, 4, 5, 6, 7, 8, 10, 13, 14, 15, 16)}}
BREAK = "\u2028"           # where a <br> (or a block inside a cell) broke the line, until lines are split
_WS = " \t\r\n\f"


@dataclass(frozen=True)
class Furniture:
    """The words of web_furniture.toml, checked and ready to match."""

    drop_tags: frozenset
    outside_article: frozenset
    attribute_words: frozenset
    only: frozenset
    starts: tuple
    contains: tuple
    short_paragraph: int

    def is_furniture_text(self, text: str) -> bool:
        """Is a paragraph's text page furniture (a tool bar, a footer line, an index code)?"""
        squeezed = "".join(text.split())
        if not squeezed:
            return False
        if squeezed.startswith(self.starts):
            return True
        if len(squeezed) <= self.short_paragraph and any(w in squeezed for w in self.contains):
            return True
        words = text.translate(_SEPARATORS).split()
        return bool(words) and all(w in self.only for w in words)

    def is_furniture_element(self, el) -> bool:
        """Is an element page furniture by its tag, class or id (nav, footer, share links …)?"""
        names = " ".join(el.get(a, "") for a in ("class", "id")).lower()
        if not names.strip():
            return False
        return any(w in self.attribute_words for w in names.replace("-", " ").replace("_", " ").split())


_SEPARATORS = str.maketrans({c: " " for c in "【】[]［］|｜/·•:：\u00a0\u3000"})


@lru_cache(maxsize=1)
def furniture() -> Furniture:
    """web_furniture.toml, loaded once; a missing or mistyped entry is an error here, not a silent miss later."""
    data = tomllib.loads(RULES_FILE.read_text(encoding="utf-8"))

    def words(section: str, key: str) -> list[str]:
        value = data[section][key]
        if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
            raise ValueError(f"{RULES_FILE.name}: [{section}] {key} must be a list of non-empty strings")
        return value

    short = data["text"]["short_paragraph"]
    if not isinstance(short, int) or short <= 0:
        raise ValueError(f"{RULES_FILE.name}: [text] short_paragraph must be a positive integer")
    return Furniture(drop_tags=frozenset(words("tags", "drop")), outside_article=frozenset(words("tags", "outside_article")),
                     attribute_words=frozenset(w.lower() for w in words("attributes", "words")),
                     only=frozenset(words("text", "only")), starts=tuple(words("text", "starts")),
                     contains=tuple(words("text", "contains")), short_paragraph=short)


# ------------------------------------------------------------------------------------------------- decoding


def decode(data: bytes) -> tuple[str, str]:
    """The page's text and the codec it was decoded with: a BOM first; then UTF-8 if the bytes are UTF-8 (text in
    GBK is all but never valid UTF-8, while UTF-8 often decodes as GB18030 into nonsense, so a page saved as UTF-8
    under an old gb2312 declaration is read right); then the declared charset; then GB18030. Strict: a page that
    decodes in none of them is refused rather than read with replacements."""
    wide = utf16_without_bom(data)
    for bom, enc in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"),
                     (b"", wide)):
        if enc and data.startswith(bom):
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError as exc:
                how = "byte-order mark" if bom else "first bytes"
                raise UnreadableFile(f"HTML starts with {enc} {how} but does not decode as {enc}: "
                                     f"{exc.reason} at byte {exc.start}") from exc
    tried = []
    for enc in ["utf-8", declared_encoding(data), "gb18030"]:
        if not enc or enc in tried:
            continue
        tried.append(enc)
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError:
            continue
    raise UnreadableFile(f"HTML decodes in none of {', '.join(tried)}; not decoded, to avoid replacing characters")


def declared_encoding(data: bytes) -> Optional[str]:
    """The codec named by <meta charset>, <meta http-equiv="Content-Type" content="…; charset=…">, or an XML
    declaration, found by parsing the start of the page (its bytes as Latin-1, which keeps ASCII markup as is)."""
    head = data[:16384].decode("latin-1")
    labels = []
    if head.lstrip().startswith("<?xml"):
        decl = head.lstrip()[:head.lstrip().find("?>") + 2]
        labels.append(_attribute_in_declaration(decl, "encoding"))
    try:
        root = lxml_html.document_fromstring(head.encode("utf-8"), parser=_parser())
        for meta in root.iter("meta"):
            if meta.get("charset"):
                labels.append(meta.get("charset"))
            elif (meta.get("http-equiv") or "").strip().lower() == "content-type":
                labels.append((meta.get("content") or "").lower().partition("charset=")[2].split(";")[0])
    except (etree.ParserError, ValueError):
        pass
    for label in labels:
        codec = _codec(label)
        if codec:
            return codec
    return None


def _attribute_in_declaration(decl: str, name: str) -> str:
    _, sep, rest = decl.partition(name + "=")
    if not sep or not rest:
        return ""
    quote = rest[0]
    return rest[1:].partition(quote)[0] if quote in "'\"" else rest.split()[0] if rest.split() else ""


def _codec(label: str) -> Optional[str]:
    label = (label or "").strip().strip("'\"").lower()
    if not label:
        return None
    if label in GB_LABELS:
        return "gb18030"
    if label in ("utf8", "utf-8", "unicode-1-1-utf-8"):
        return "utf-8"
    try:
        return WEB_CODECS.get(codecs.lookup(label).name)
    except LookupError:
        return None


def _parser():
    # no_network: a page never makes us fetch anything; comments and processing instructions are not content.
    return lxml_html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True,
                                recover=True, default_doctype=False)


# ------------------------------------------------------------------------------------------------- reading


def read(path: str, data: bytes, limits: Limits = NO_LIMITS, on_ocr_page=None) -> Document:
    """Every failure is an UnreadableFile saying why in one line."""
    text, encoding = decode(data)
    if "\x00" in text:
        raise UnreadableFile("HTML contains NUL characters: probably a binary file")
    # The parsed tree takes some 300 bytes an element, and the walk a few microseconds: a page of a few hundred
    # megabytes of tags would take gigabytes and minutes before --max-chars is known. A page's markup counts
    # against the limit as its text does: more tags than characters allowed is refused before parsing.
    tags = text.count("<")
    if over(limits.max_chars, tags):
        raise UnreadableFile(f"HTML has {tags} tags, over the limit of {limits.max_chars} (--max-chars, which "
                             f"bounds a web page's tags as well as its text)")
    parser = _parser()
    try:
        root = lxml_html.document_fromstring(text.encode("utf-8"), parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise UnreadableFile(f"HTML could not be parsed: {exc}") from exc
    # libxml2 stops at its resource limits (elements nested over 256 deep …) and, recovering, would drop the rest
    # of the page without a word: refuse instead, since what it dropped may hold figures.
    limit = next((e.message for e in parser.error_log if e.type_name == "ERR_RESOURCE_LIMIT"), None)
    if limit:
        raise UnreadableFile(f"HTML is beyond the parser's limits ({limit.split(',')[0]}): refused rather than "
                             f"read in part")
    doc = Document(source_file=path, format="html", encoding=encoding)
    _Walker(doc, furniture()).walk(root)
    n_chars = sum(len(line.text) for p in doc.paragraphs() for line in p.lines) + \
        sum(len(c.text) for t in doc.tables() for row in t.rows for c in row)
    if over(limits.max_chars, n_chars):
        raise UnreadableFile(f"HTML has {n_chars} characters of text, over the limit of {limits.max_chars} "
                             f"(--max-chars)")
    if not any(True for _ in doc.blocks):
        raise UnreadableFile("HTML page has no text once navigation, scripts and footers are left out")
    return doc


class _Walker:
    """One pass over the tree (lxml's iterwalk: no recursion, however deep the page nests)."""

    def __init__(self, doc: Document, rules: Furniture):
        self.doc, self.rules = doc, rules
        self.buffer: list[str] = []
        self.style: Optional[str] = None
        self.n_paragraphs = self.n_tables = 0
        self.dropped = 0
        self.grid = GridBudget("HTML")

    def walk(self, root) -> None:
        """The body's text and tables, in document order, without recursion (deep pages are common)."""
        walker = etree.iterwalk(root, events=("start", "end"))
        skipped: set = set()
        in_article = 0
        for event, el in walker:
            tag = el.tag if isinstance(el.tag, str) else ""
            if event == "start":
                in_article += tag in ("article", "main")
                if self._skip(el, tag, in_article):
                    skipped.add(el)
                    walker.skip_subtree()
                    continue
                if tag in BLOCKS:
                    self.flush()
                    self.style = tag if tag[:1] == "h" and tag[1:].isdigit() else None
                if tag == "table" and not _is_layout_table(el):
                    self.table(el)
                    skipped.add(el)
                    walker.skip_subtree()
                    continue
                if tag == "br":
                    self.buffer.append(BREAK)
                self.buffer.append(el.text or "")
            else:
                in_article -= tag in ("article", "main")
                if el not in skipped and tag in BLOCKS:
                    self.flush()
                self.buffer.append(el.tail or "")
        self.flush()
        if self.dropped:
            self.doc.notes.append(Note("web-furniture", count=self.dropped))

    def _skip(self, el, tag: str, in_article: int) -> bool:
        if not tag or tag in self.rules.drop_tags:      # (no tag: a comment or entity the parser kept)
            return True
        if tag in self.rules.outside_article and not in_article:
            return True
        return tag not in ("html", "body", "td", "th", "tr", "tbody", "thead", "tfoot", "table") \
            and self.rules.is_furniture_element(el)

    def flush(self) -> None:
        """The text gathered since the last block becomes a paragraph, unless it is page furniture (then
        counted as dropped)."""
        lines = flow_lines("".join(self.buffer))
        self.buffer.clear()
        if not lines:
            return
        if self.rules.is_furniture_text(" ".join(lines)):
            self.dropped += 1
            return
        self.n_paragraphs += 1
        self.doc.blocks.append(Paragraph(lines=[Line(text=t, source_index=self.n_paragraphs) for t in lines],
                                         style=self.style))

    def table(self, el) -> None:
        """A <table>: its caption a paragraph, its rows a table of the model with merged cells."""
        caption = el.find("caption")
        if caption is not None:
            self.buffer.append(_inline_text(caption))
            self.flush()
        rows = _table_rows(el)
        if not rows:
            return
        self.n_tables += 1
        table = _grid(rows, self.n_tables, self.grid)
        if any(c.text for r in table.rows for c in r):
            self.doc.blocks.append(table)


def flow_lines(raw: str) -> list[str]:
    """Text as a browser shows it, one string per line: runs of blanks are one space, a line break in the source
    between two CJK characters is no space at all (CSS's rule for East Asian text), an indent is removed."""
    out = []
    for part in raw.split(BREAK):
        text = _collapse(part).strip(_WS + "\u00a0\u3000").replace("\u00a0", " ")
        if text:
            out.append(text)
    return out


def _collapse(text: str) -> str:
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch not in _WS:
            out.append(ch)
            i += 1
            continue
        j = i
        while j < n and text[j] in _WS:
            j += 1
        newline = "\n" in text[i:j] or "\r" in text[i:j]
        before, after = (out[-1] if out else ""), (text[j] if j < n else "")
        if not (newline and _wide(before) and _wide(after)):
            out.append(" ")
        i = j
    return "".join(out)


def _wide(ch: str) -> bool:
    return bool(ch) and unicodedata.east_asian_width(ch) in ("W", "F")


# ------------------------------------------------------------------------------------------------- tables


def _is_layout_table(table) -> bool:
    """A table that lays out the page rather than holding data: it holds another table, or every row has at most
    one cell."""
    if any(True for _ in table.iterdescendants("table")):
        return True
    return all(len(cells) <= 1 for cells in _table_rows(table))


def _table_rows(table) -> list[list]:
    """The table's own rows (not a nested table's), header and footer sections in place, each as its cells."""
    rows = []
    for child in table:
        if child.tag == "tr":
            rows.append(child)
        elif child.tag in ("thead", "tbody", "tfoot"):
            rows.extend(tr for tr in child if tr.tag == "tr")
    return [[td for td in tr if td.tag in ("td", "th")] for tr in rows]


def _span(value: Optional[str], limit: int) -> int:
    """A span attribute as browsers read it: its leading digits, 1 when there are none, at most `limit`."""
    digits = ""
    for ch in (value or "").strip():
        if not ch.isascii() or not ch.isdigit():
            break
        digits += ch
        if len(digits) > 6:
            break
    return min(max(int(digits) if digits else 1, 1), limit)


def _grid(rows: list[list], index: int, budget: GridBudget) -> Table:
    """Place each cell at the first free column of its row, covering the positions its spans reach (HTML's table
    model): the origin keeps the text and the spans, the covered positions point at it. Refused when the positions
    covered, or the grid once every row is padded to the widest, would pass the document's bound (budget)."""
    n_rows = len(rows)
    at: dict[tuple[int, int], Cell] = {}
    width = 0
    for r, tds in enumerate(rows):
        c = 0
        for td in tds:
            while (r, c) in at:
                c += 1
            rowspan = _span(td.get("rowspan"), MAX_ROWSPAN)
            rowspan = n_rows - r if td.get("rowspan", "").strip() == "0" else min(rowspan, n_rows - r)
            colspan = _span(td.get("colspan"), MAX_COLSPAN)
            if len(at) + rowspan * colspan > budget.left():
                raise UnreadableFile(f"HTML table {index} spans more than {budget.limit} cells with the page's "
                                     f"other tables: refused (rowspan/colspan built to exhaust memory?)")
            lines = flow_lines(_inline_text(td))
            origin = Cell(text="\n".join(lines), row=r, col=c, rowspan=rowspan, colspan=colspan,
                          lines=[Line(text=t, source_index=index) for t in lines])
            for rr in range(r, r + rowspan):
                for cc in range(c, c + colspan):
                    at[rr, cc] = origin if (rr, cc) == (r, c) else Cell(text="", row=rr, col=cc, merged_into=(r, c))
            c += colspan
            width = max(width, c)
    budget.add(n_rows, width)
    grid = [[at.get((r, c)) or Cell(text="", row=r, col=c) for c in range(width)] for r in range(n_rows)]
    return Table(rows=grid, strategy="html", source_index=index, merges_known=True)


def _inline_text(el) -> str:
    """The text of a cell or caption: a <br> or a block inside it breaks the line; scripts and styles are left out."""
    out: list[str] = []
    walker = etree.iterwalk(el, events=("start", "end"))
    for event, node in walker:
        tag = node.tag if isinstance(node.tag, str) else ""
        if event == "start":
            if node is not el and (not tag or tag in furniture().drop_tags):
                walker.skip_subtree()
                continue
            if tag == "br" or (node is not el and tag in BLOCKS):
                out.append(BREAK)
            out.append(node.text or "")
        elif node is not el:
            if tag in BLOCKS:
                out.append(BREAK)
            out.append(node.tail or "")
    return "".join(out)
