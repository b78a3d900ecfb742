"""A report's sections → Markdown (generated, text escaped) → sanitized HTML.

Raw report text is never fed to Markdown: each section becomes a heading and paragraphs
whose characters are escaped for both HTML and Markdown, query terms are wrapped in
<mark>, and the HTML that comes out is cleaned with nh3.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import markdown
import nh3

from indexer.search.passages import find_spans, mark

ALLOWED_TAGS = {"h2", "h3", "h4", "h5", "p", "mark", "br"}
_MD_SPECIAL = str.maketrans({c: f"&#{ord(c)};" for c in "\\`*_{}[]()#+-.!|~"})


def _escape_md(html: str) -> str:
    """Neutralize Markdown syntax in already HTML-escaped text (entities survive)."""
    parts = re.split(r"(<mark>|</mark>|&[#\w]+;)", html)
    return "".join(p if i % 2 else p.translate(_MD_SPECIAL) for i, p in enumerate(parts))


def _marked(text: str, terms: Sequence[str]) -> str:
    return _escape_md(mark(text, find_spans(text, terms)))


def section_markdown(section: dict[str, Any], level: int, terms: Sequence[str]) -> str:
    """Markdown for one section: its heading (if any) and one paragraph per line."""
    lines = []
    if section["heading"]:
        lines.append("#" * min(level + 1, 5) + " " + _marked(section["heading"], terms))
    lines += [_marked(p, terms) for p in section["body"].split("\n") if p.strip()]
    return "\n\n".join(lines)


def section_terms(section: dict[str, Any], terms: Sequence[str], fallback: Sequence[Sequence[str]]) -> Sequence[str]:
    """The terms to mark in a section: `terms`, or the first tier of `fallback` that occurs
    where none of them does (the rule the result list's passages follow)."""
    text = f"{section['heading']}\n{section['body']}"
    if find_spans(text, terms):
        return terms
    return next((tier for tier in fallback if tier and find_spans(text, tier)), terms)


def render_section(
    section: dict[str, Any], level: int, terms: Sequence[str] = (), fallback: Sequence[Sequence[str]] = ()
) -> str:
    """Sanitized HTML of one section, the terms (or fallback terms) marked."""
    chosen = section_terms(section, terms, fallback)
    html = markdown.markdown(section_markdown(section, level, chosen), output_format="html")
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes={})
