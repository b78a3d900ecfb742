"""Web pages saved from a portal: the article text, its title and header fields, no chrome.

Navigation, site header/footer, menus, breadcrumbs, scripts, styles and share/print links
are dropped. Portal header fields (发布机构, 发布日期, 来源, 成文日期, 索引号 …) come out as
"label：value" lines, which the metadata reads as page chrome.
"""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser

from indexer.ingest.conventions import CHROME_LABELS
from indexer.ingest.readers.base import Extracted, TextBuilder, join_cjk_breaks
from indexer.ingest.readers.encoding import decode

SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "nav", "aside", "form", "select",
                       "button", "iframe", "svg", "object", "head", "footer"})
VOID_TAGS = frozenset({"br", "img", "hr", "meta", "link", "input", "area", "base", "col", "embed",
                       "source", "track", "wbr"})
BLOCK_TAGS = frozenset({"p", "div", "li", "ul", "ol", "tr", "table", "tbody", "thead", "section",
                        "article", "main", "header", "dl", "dt", "dd", "blockquote", "pre", "center",
                        "h1", "h2", "h3", "h4", "h5", "h6", "br", "hr", "caption", "figure"})
CELL_TAGS = frozenset({"td", "th"})
CONTAINER_TAGS = frozenset({"html", "body", "main", "article"})  # never chrome, whatever their class
CONTENT_CLASS = re.compile(r"(?:^|[\s_-])(?:article|content|detail|main|zoom|trs_editor|xxgk|zw)(?:$|[\s_\d-])",
                           re.IGNORECASE)
SITE_CLASS = re.compile(r"(?:^|[\s_-])(?:header|head|top|logo|banner)(?:$|[\s_\d-])", re.IGNORECASE)
CHROME_CLASS = re.compile(
    r"(?:^|[\s_-])(?:nav|navbar|menu|menus|breadcrumbs?|crumbs?|position|location|share|bdshare|"
    r"toolbar|sidebar|footer|foot|bottom|copyright|topbar|login|search|skip|fontsize|"
    r"related|pager)(?:$|[\s_\d-])",
    re.IGNORECASE,
)
CHROME_TEXT = re.compile(
    r"^[\s【】\[\]|｜/、]*(?:(?:我要纠错|纠错|打印此页|打印本页|打印|关闭窗口|关闭|分享到|分享|收藏|返回顶部|返回|字体|字号|"
    r"大|中|小|默认|保存|扫一扫|微信|微博|在手机上查看)[\s【】\[\]|｜/：:、]*)+$"
)
LOCATION = re.compile(r"^(?:当前位置|您的位置|你的位置|您现在的位置)[：:]")
META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w-]+)""", re.IGNORECASE)
LABEL_CELL = re.compile(rf"^({'|'.join(CHROME_LABELS)})\s*[:：]?$")
OTHER_FIELD = re.compile(r"^[\u4e00-\u9fff]{2,8}[:：]$")
LABEL_SPLIT = re.compile(rf"\s+(?=(?:{'|'.join(CHROME_LABELS)})\s*[:：])")
SITE_SUFFIX = re.compile(r"\s*[_|｜\-—–]+\s*[^_|｜\-—–]*(?:网|网站|门户|政府|平台)[^_|｜\-—–]*$")
CHARSET_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "big5": "big5",
                   "utf8": "utf-8"}


class _Extractor(HTMLParser):
    """Walks the page once, keeping text outside chrome, with h1–h6 as headings."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out = TextBuilder()
        self.title = ""
        self.stack: list[tuple[str, bool, bool]] = []  # (tag, skipped region, article content)
        self.open_tags: Counter[str] = Counter()  # tags on the stack: asked per tag in O(1), not by a scan
        self.in_content = 0  # article-content elements on the stack
        self.skip = 0
        self.in_title = False
        self.heading_level = 0
        self.buffer: list[str] = []
        self.rows: list[list[list[tuple[str, int]]]] = []  # open rows → cells → (text, heading level)
        self.link_in_list = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = " ".join(v or "" for k, v in attrs if k in ("class", "id", "role"))
        if tag == "title":
            self.in_title = True
            return
        if tag in VOID_TAGS:
            if tag in BLOCK_TAGS:
                self._break()
            return
        in_article = self.in_content > 0
        content = tag in ("article", "main") or bool(CONTENT_CLASS.search(names))
        skipped = tag in SKIP_TAGS or (
            tag not in CONTAINER_TAGS
            and (bool(CHROME_CLASS.search(names))  # main-nav, content-share: chrome wins
                 or (not content and not in_article and (tag == "header" or bool(SITE_CLASS.search(names)))))
        )
        self.stack.append((tag, skipped, content))
        self.open_tags[tag] += 1
        self.in_content += content
        if skipped:
            self.skip += 1
        if tag == "a" and self.open_tags["li"]:
            self.link_in_list += 1
        if tag in BLOCK_TAGS or tag in CELL_TAGS:
            self._break()
        if tag == "tr":
            self.rows.append([])
        elif tag in CELL_TAGS:
            if not self.rows:
                self.rows.append([])  # a cell outside any row
            self.rows[-1].append([])
        if re.fullmatch(r"h[1-6]", tag):
            self.heading_level = int(tag[1])

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
            return
        if not self.open_tags[tag]:
            return  # a stray end tag
        while self.stack:
            open_tag, skipped, content = self.stack.pop()
            self.open_tags[open_tag] -= 1
            self.in_content -= content
            if skipped:
                self.skip -= 1
            if open_tag == "a" and self.link_in_list:
                self.link_in_list -= 1
            if open_tag in BLOCK_TAGS or open_tag in CELL_TAGS:
                self._break()
            if re.fullmatch(r"h[1-6]", open_tag):
                self.heading_level = 0
            if open_tag == "tr" and self.rows:
                self._end_row()
            if open_tag == tag:
                break

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title += data
        elif not self.skip and not self.link_in_list:
            self.buffer.append(data)

    def _break(self) -> None:
        text = re.sub(r"[ \t\r\f\v\xa0\u3000]+", " ", join_cjk_breaks("".join(self.buffer)))
        text = " ".join(text.split("\n")).strip()
        self.buffer = []
        if text and not CHROME_TEXT.match(text) and not LOCATION.match(text):
            self._put(text, self.heading_level)

    def _put(self, text: str, level: int = 0) -> None:
        """A line into the open table cell, else out (several header fields: a line each)."""
        if not text:
            return
        if self.rows and self.rows[-1]:
            self.rows[-1][-1].append((text, level))
        elif level:
            self.out.heading(text, level)
        else:
            for part in LABEL_SPLIT.split(text):
                if part:
                    self.out.add(part)

    def _end_row(self) -> None:
        """A finished table row, into the enclosing cell or out.

        A row of one-line cells is data: one line, cells two spaces apart; in a row of
        header fields each label and value become one line, and other fields (主题分类：…)
        are page chrome, dropped. A cell of paragraphs is page layout: its lines as they are.
        """
        row = self.rows.pop()
        if any(len(cell) > 1 or any(level for _, level in cell) for cell in row):
            for text, level in (entry for cell in row for entry in cell):
                self._put(text, level)
            return
        cells = [cell[0][0] for cell in row if cell]
        fields = any(_label(cell) for cell in cells)
        parts: list[str] = []
        i = 0
        while i < len(cells):
            pair = i + 1 < len(cells) and not _label(cells[i + 1])
            if (m := _label(cells[i])) and pair:
                self._put("  ".join(parts))
                parts = []
                self._put(f"{m.group(1)}：{cells[i + 1]}")
                i += 2
            elif fields and pair and OTHER_FIELD.match("".join(cells[i].split())):
                i += 2
            else:
                parts.append(cells[i])
                i += 1
        self._put("  ".join(parts))

    def close(self) -> None:
        super().close()
        self._break()
        while self.rows:
            self._end_row()


def _label(cell: str) -> re.Match[str] | None:
    """A table cell that is a header-field label: "发布机构", "索  引  号：", "标　　题："."""
    return LABEL_CELL.match("".join(cell.split())) if len(cell) <= 16 else None


def declared_charset(data: bytes) -> str:
    """The charset a page declares in its first bytes (`<meta charset>`), as a codec name."""
    m = META_CHARSET.search(data[:4096])
    name = m.group(1).decode("ascii", "replace").lower() if m else ""
    return CHARSET_ALIASES.get(name, name)


def page_title(title: str) -> str:
    """The <title> without the site name after it (…报告_某某区人民政府门户网站)."""
    title = " ".join(title.split())
    return SITE_SUFFIX.sub("", title) or title


def read_html(data: bytes) -> Extracted:
    """An .html/.htm page: title first (unless the article repeats it), then the article."""
    declared = declared_charset(data)
    try:
        "".encode(declared) if declared else None
    except LookupError:
        declared = ""
    text, encoding = decode(data, declared)
    parser = _Extractor()
    parser.feed(text)
    parser.close()
    built = parser.out.build(encoding)
    title = page_title(parser.title)
    lines = built.text.split("\n") if built.text else []
    if title and not parser.out.has_title and title not in lines[:12]:
        return Extracted("\n".join([title, *lines]), encoding, {i + 1: lv for i, lv in built.headings.items()})
    return built
