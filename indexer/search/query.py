"""User query text → an engine-neutral query tree, with a report of how it was read.

Syntax: words (graded: all in one section first, then most of them, then spread over one
report's sections; each with its near-terms from synonyms.toml at a lower weight), "quoted
phrases" (exact, punctuation ignored; “” ‘’ 「」 『』
count as quotes), OR, AND, NOT / -word (operators in either case), parentheses, and
field:value (agency: region: year: doc_type: section_type: measure: title:, or 机构: 地区:
年份: 类型: 章节: 措施: 标题:, in either script). A field term constrains only the group it
stands in, and NOT/- in front of it excludes. A plain word that names a policy measure
(容缺办理) also finds its variants (容缺受理, 容缺后补 …); a quoted one does not.
Anything unparsable raises QueryError with a sentence saying what to fix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from indexer.config import MAX_QUERY_LENGTH
from indexer.ingest.measures import measure_named
from indexer.search import querytree as qt
from indexer.search.expansion import (
    WHOLE_WEIGHT,
    Words,
    compound_node,
    graded,
    measure_node,
    name_words,
    near_node,
    query_words,
)
from indexer.search.querytree import QueryError, year_bounds
from indexer.text.analysis import segment
from indexer.text.normalize import compact, fold, fold_width
from indexer.text.vocabulary import near_terms

FIELDS = ("agency", "region", "year", "doc_type", "section_type", "measure", "title")
FIELD_ALIASES = {
    "agency": "agency", "机构": "agency", "单位": "agency",
    "region": "region", "地区": "region",
    "year": "year", "年份": "year", "年度": "year",
    "doc_type": "doc_type", "type": "doc_type", "类型": "doc_type",
    "section_type": "section_type", "section": "section_type", "章节": "section_type",
    "measure": "measure", "措施": "measure",
    "title": "title", "标题": "title",
}
FIELD_HELP = "agency/机构、region/地区、year/年份、doc_type/类型、section_type/章节、measure/措施、title/标题"
QUOTES = {'"': '"', "“": "”", "‘": "’", "「": "」", "『": "』", "”": "”"}
_QUOTE_OPEN = "".join(re.escape(q) for q in QUOTES)
_TOKEN = re.compile(
    rf'\s*(?:(?P<quote>[{_QUOTE_OPEN}])|(?P<open>\()|(?P<close>\))|(?P<word>[^\s(){_QUOTE_OPEN}’」』]+))'
)
_FIELD = re.compile(r"^(?P<name>[A-Za-z_]+|[\u4e00-\u9fff]{2,3})[:：](?P<value>.*)$")
OPERATORS = {"or": "OR", "|": "OR", "and": "AND", "&&": "AND", "not": "NOT", "-": "NOT"}


@dataclass
class QueryPlan:
    """A parsed query: the tree (None: match all), what to highlight, and how it was read."""

    tree: qt.Node | None
    highlight_terms: list[str] = field(default_factory=list)
    fallback_terms: list[str] = field(default_factory=list)  # words of a split term
    terms: list[dict[str, Any]] = field(default_factory=list)
    filters: dict[str, list[str]] = field(default_factory=dict)  # field terms, for display

    def analysis(self) -> dict[str, Any]:
        """How the query was read, for the user: terms, segmentation, expansions, filters."""
        return {
            "terms": self.terms,
            "filters": self.filters,
            "segmented": " ".join(w for t in self.terms if not t["negated"] for w in t["words"]),
            "query": qt.render(self.tree),
        }


def _tokens(text: str) -> list[tuple[str, str]]:
    """Lex the query into (kind, text) pairs; quotes of every script pair up."""
    out: list[tuple[str, str]] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            if text[pos:].strip():
                raise QueryError(f"无法识别的字符“{text[pos]}”：引号请成对使用。")
            break
        kind = m.lastgroup or ""
        if kind == "quote":
            opening = m.group("quote")
            close = text.find(QUOTES[opening], m.end())
            if close < 0:
                raise QueryError(f"引号不成对：请补上结尾的 {QUOTES[opening]}，或删去多余的引号。")
            value, pos = text[m.end():close], close + 1
            if out and out[-1][0] == "word" and _FIELD.match(out[-1][1]) and out[-1][1].endswith((":", "：")):
                out[-1] = ("word", out[-1][1] + value)  # agency:"广州市 花都区"
                continue
            out.append(("quote", value))
            continue
        pos = m.end()
        out.append((kind, m.group(kind)))
    return out


def _operator(token: tuple[str, str] | None) -> str | None:
    if token is None or token[0] != "word":
        return None
    return OPERATORS.get(token[1].lower(), token[1] if token[1] in ("OR", "AND", "NOT") else None)


def field_node(name: str, value: str) -> qt.Node:
    """The node of one field term; raises QueryError for an unknown field or empty value."""
    canonical = FIELD_ALIASES.get(fold(name).lower())
    if canonical is None:
        raise QueryError(f"未知的字段“{name}:”：可用的字段有 {FIELD_HELP}。")
    value = value.strip()
    if not value:
        raise QueryError(f"字段“{name}:”后面缺少取值，例如 {name}:2023 或 {name}:花都区。")
    if canonical == "year":
        year_bounds(value)
    if canonical == "title":
        return qt.Field("title", compact(value))
    return qt.Field(canonical, value, exact=False)


class _Parser:
    """Recursive descent from tokens to a query tree."""

    def __init__(self, tokens: list[tuple[str, str]], plan: QueryPlan) -> None:
        self.tokens, self.i, self.plan = tokens, 0, plan

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def parse(self) -> qt.Node | None:
        node = self.or_expr()
        if self.peek() is not None:
            raise QueryError("括号不成对：多了一个右括号“)”。")
        return node

    def or_expr(self) -> qt.Node | None:
        parts = [self.and_expr()]
        while _operator(self.peek()) == "OR":
            self.i += 1
            parts.append(self.and_expr())
        if len(parts) == 1:
            return parts[0]
        present = [p for p in parts if p is not None]
        if len(present) < len(parts):
            raise QueryError("OR 两侧都需要检索词，例如：容缺受理 OR 告知承诺。")
        return qt.Or(tuple(present))

    def and_expr(self) -> qt.Node | None:
        positives: list[qt.Node] = []
        negatives: list[qt.Node] = []
        words: list[Words] = []
        while (tok := self.peek()) and tok[0] != "close" and _operator(tok) != "OR":
            negated = False
            if _operator(tok) == "NOT":
                negated = True
                self.i += 1
                if (following := self.peek()) is None or following[0] == "close":
                    raise QueryError("NOT 或 - 后面需要一个要排除的检索词，例如：容缺受理 -广州。")
            elif tok[0] == "word" and tok[1].startswith("-") and len(tok[1]) > 1:
                negated = True
                self.tokens[self.i] = ("word", tok[1][1:])
            elif _operator(tok) == "AND":
                self.i += 1
                continue
            node = self.unary(negated)
            if isinstance(node, Words):
                words.append(node)
            elif node is not None:
                (negatives if negated else positives).append(node)
        if words:
            positives.insert(0, graded(words))
        if not positives and negatives:
            positives.append(qt.Everything())
            self.plan.terms.append({"text": "*", "kind": "all", "negated": False, "words": []})
        if not positives:
            return None
        nodes = positives + [qt.Not(n) for n in negatives]
        return nodes[0] if len(nodes) == 1 else qt.And(tuple(nodes))

    def unary(self, negated: bool) -> qt.Node | Words | None:
        kind, value = self.tokens[self.i]
        self.i += 1
        if kind == "open":
            inner = self.or_expr()
            if (following := self.peek()) is None or following[0] != "close":
                raise QueryError("括号不成对：缺少右括号“)”。")
            self.i += 1
            if inner is None:
                raise QueryError("括号内没有检索词。")
            return inner
        if kind == "close":
            raise QueryError("括号不成对：多了一个右括号“)”。")
        if kind == "word" and (m := _FIELD.match(value)):
            node = field_node(m.group("name"), m.group("value"))
            key = ("-" if negated else "") + str(getattr(node, "field", ""))
            self.plan.filters.setdefault(key, []).append(m.group("value").strip())
            return node
        return self.term(value, phrase=kind == "quote", negated=negated)

    def term(self, text: str, phrase: bool, negated: bool) -> qt.Node | Words | None:
        if not compact(text):
            return None
        info: dict[str, Any] = {"text": text, "kind": "phrase" if phrase else "term", "negated": negated}
        self.plan.terms.append(info)
        if phrase:
            info["words"] = [w for w, _, _ in segment(text)]
            self.highlight([text], [], negated)
            return qt.Text(text, compact(text))
        return self.expand(text, info, negated)

    def highlight(self, terms: list[str], fallback: list[str], negated: bool) -> None:
        if not negated:
            self.plan.highlight_terms.extend(terms)
            self.plan.fallback_terms.extend(fallback)

    def expand(self, text: str, info: dict[str, Any], negated: bool) -> qt.Node | Words:
        """A plain term: a measure's variants, or its words (graded with the group's other
        words; all required when excluded), each with its near-terms, or itself."""
        info["words"] = [w for w, _, _ in segment(text)]
        whole = qt.Text(text, compact(text))
        if (measure := measure_named(text)) is not None:
            self.highlight([text, *measure.variants], [], negated)
            node = measure_node(measure, text, info)
            return node if negated else Words((node,), (), name_words(text))
        words, dropped = query_words(info["words"])
        if dropped:
            info["dropped"] = dropped
        if len(words) <= 1:  # 2023年, 容缺的: one string
            words = [text]
        parts: list[qt.Node] = []
        fallback: list[str] = []
        for word in words:
            if (measure := measure_named(word)) is not None:
                parts.append(measure_node(measure, word, info))
                fallback += [word, *measure.variants]
                continue
            exact = compound_node(word, negated)
            near = () if negated else near_terms(word)
            if not near:
                parts.append(exact)
                fallback.append(word)
                continue
            info.setdefault("synonyms", []).append({"word": word, "terms": list(near)})
            expansions = [near_node(t) for t in near]
            parts.append(qt.Or((exact, *expansions)))
            fallback += [word, *(leaf.text for e in expansions for leaf in qt.leaves(e) if isinstance(leaf, qt.Text))]
        if len(parts) > 1:
            info["parts"] = list(words)
        self.highlight([text], fallback, negated)
        if negated:
            return qt.Or((qt.And(tuple(parts)), whole)) if len(parts) > 1 else parts[0]
        bonus = (qt.Text(text, compact(text), WHOLE_WEIGHT),) if len(words) > 1 else ()
        return Words(tuple(parts), bonus)


def parse_query(text: str, has_filters: bool = False) -> QueryPlan:
    """Parse a user's query; raises QueryError with a helpful sentence.

    `has_filters` tells whether facet filters narrow the search: only then may a query
    consist of exclusions alone (NOT 广州 over everything is almost surely a mistake).
    """
    text = fold_width(text).strip()  # ＂（） typed on a Chinese keyboard are operators too
    if len(text) > MAX_QUERY_LENGTH:
        raise QueryError(f"查询过长（{len(text)} 字）：请控制在 {MAX_QUERY_LENGTH} 字以内。")
    plan = QueryPlan(tree=None)
    tokens = _tokens(text)
    if not tokens:
        return plan
    plan.tree = _Parser(tokens, plan).parse()
    if plan.tree is None:
        raise QueryError("查询中没有可检索的字词（只有标点或运算符）：请输入要查找的词，例如 容缺受理。")
    only_exclusions = any(t["kind"] == "all" for t in plan.terms)
    if only_exclusions and not (qt.fields_in(plan.tree) or has_filters):
        raise QueryError("只有排除条件的查询会匹配几乎全部段落：请加上一个检索词或筛选条件，例如 容缺受理 -广州。")
    return plan
