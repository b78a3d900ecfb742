"""A report's sections → HTML (generated, text escaped) → sanitized HTML.

Raw report text is never interpreted as markup: each section becomes a heading and one
paragraph per line, their text HTML-escaped, query terms wrapped in <mark>, and the HTML
is cleaned with nh3. (Written directly, not through Markdown, whose inline pass is worse
than quadratic: a 20,000-character paragraph took 8 s.)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import nh3

from indexer.search.passages import find_spans, mark

ALLOWED_TAGS = {"h2", "h3", "h4", "h5", "p", "mark", "br"}


def _marked(text: str, terms: Sequence[str]) -> str:
    text = text.strip()
    return mark(text, find_spans(text, terms))


def section_html(section: dict[str, Any], level: int, terms: Sequence[str]) -> str:
    """HTML for one section: its heading (if any) and one paragraph per line."""
    lines = []
    if section["heading"]:
        tag = f"h{min(level + 1, 5)}"
        lines.append(f"<{tag}>{_marked(section['heading'], terms)}</{tag}>")
    lines += [f"<p>{_marked(p, terms)}</p>" for p in section["body"].split("\n") if p.strip()]
    return "\n".join(lines)


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
    return nh3.clean(section_html(section, level, chosen), tags=ALLOWED_TAGS, attributes={})
