"""User query text → whoosh query, with a report of how it was segmented and expanded.

Syntax: words (all must match), "quoted phrases" (exact, punctuation ignored), OR,
NOT / -word, parentheses, and filters field:value (agency: region: year: doc_type:
section_type: measure:, or 机构: 地区: 年份: 类型: 章节: 措施:). A plain word that names a
policy measure (容缺办理) also finds its variants (容缺受理, 容缺后补 …); a quoted one does not.
Anything unparsable raises QueryError with a sentence saying what to fix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from whoosh import query as wq

from . import schema as f
from .analysis import BigramTokenizer, WordTokenizer, segment
from .config import MAX_QUERY_LENGTH
from .measures import Measure, measure_named
from .normalize import compact, fold_width, is_han

VARIANT_BOOST = 0.3  # a variant of a measure counts less than the form the user typed


class QueryError(ValueError):
    """A query or filter that cannot be run; the message tells the user what to fix."""


FIELD_ALIASES = {
    "agency": f.AGENCY, "机构": f.AGENCY, "单位": f.AGENCY,
    "region": f.REGION, "地区": f.REGION,
    "year": f.YEAR, "年份": f.YEAR, "年度": f.YEAR,
    "doc_type": f.DOC_TYPE, "type": f.DOC_TYPE, "类型": f.DOC_TYPE,
    "section_type": f.SECTION_TYPE, "section": f.SECTION_TYPE, "章节": f.SECTION_TYPE,
    "measure": f.MEASURE, "措施": f.MEASURE,
}
_TOKEN = re.compile(r'\s*(?:(?P<quote>"[^"]*"?)|(?P<open>\()|(?P<close>\))|(?P<word>[^\s()"]+))')
_FILTER = re.compile(rf"^(?P<name>{'|'.join(map(re.escape, FIELD_ALIASES))}):(?P<value>.+)$", re.IGNORECASE)


@dataclass
class QueryPlan:
    """A parsed query: the whoosh query (None: match all), filters, and what to highlight."""

    query: wq.Query | None
    filters: dict[str, list[str]] = field(default_factory=dict)
    highlight_terms: list[str] = field(default_factory=list)
    fallback_terms: list[str] = field(default_factory=list)  # words of a split term
    terms: list[dict[str, Any]] = field(default_factory=list)

    def analysis(self) -> dict[str, Any]:
        """How the query was read, for the user: terms, segmentation, expansions, filters."""
        return {
            "terms": self.terms,
            "filters": self.filters,
            "segmented": " ".join(w for t in self.terms if not t["negated"] for w in t["words"]),
            "whoosh": str(self.query) if self.query is not None else None,
        }


def _tokens(text: str) -> list[tuple[str, str]]:
    """Lex the query into (kind, text) pairs."""
    out: list[tuple[str, str]] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            break
        pos = m.end()
        kind = m.lastgroup or ""
        value = m.group(kind)
        if kind == "quote":
            if len(value) < 2 or not value.endswith('"'):
                raise QueryError('引号不成对：请补上结尾的 "，或删去多余的引号。')
            value = value[1:-1]
        out.append((kind, value))
    return out


def _word_tokens(text: str) -> list[str]:
    return [t.text for t in WordTokenizer()(text, mode="query")]


def gram_query(text: str) -> wq.Query | None:
    """Bigram phrase for `text`: matches it anywhere, even inside a longer word."""
    grams = [t.text for t in BigramTokenizer()(text, mode="query")]
    if not grams:
        return None
    last = grams[-1]
    if len(last) == 1 and is_han(last):  # a lone trailing character: any bigram starting with it
        if len(grams) == 1:
            return wq.Prefix(f.GRAMS, last)
        return wq.Sequence([*(wq.Term(f.GRAMS, g) for g in grams[:-1]), wq.Prefix(f.GRAMS, last)])
    # whoosh sums the scores of a phrase's terms: divide, so a long phrase does not outrank a short one
    return wq.Term(f.GRAMS, last) if len(grams) == 1 else wq.Phrase(f.GRAMS, grams, boost=1 / len(grams))


def contiguous_query(text: str) -> wq.Query | None:
    """`text` as one contiguous string: the word field ranks, the bigram field catches."""
    words = _word_tokens(text)
    grams = gram_query(text)
    if grams is None:
        return None
    if not words:
        return grams
    word_q = wq.Term(f.WORDS, words[0]) if len(words) == 1 else wq.Phrase(f.WORDS, words, boost=1 / len(words))
    return wq.Or([word_q, grams])


class _Compiler:
    """Recursive-descent parser from tokens to whoosh queries."""

    def __init__(self, tokens: list[tuple[str, str]], plan: QueryPlan) -> None:
        self.tokens, self.i, self.plan = tokens, 0, plan

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def parse(self) -> wq.Query | None:
        node = self.or_expr()
        if self.peek() is not None:
            raise QueryError("括号不成对：多了一个右括号“)”。")
        return node

    def or_expr(self) -> wq.Query | None:
        parts = [self.and_expr()]
        while (tok := self.peek()) and tok[0] == "word" and tok[1] in ("OR", "|"):
            self.i += 1
            parts.append(self.and_expr())
        if len(parts) == 1:
            return parts[0]
        present = [p for p in parts if p is not None]
        if len(present) < len(parts):
            raise QueryError("OR 两侧都需要检索词，例如：容缺受理 OR 告知承诺。")
        return wq.Or(present)

    def and_expr(self) -> wq.Query | None:
        positives: list[wq.Query] = []
        negatives: list[wq.Query] = []
        while (tok := self.peek()) and tok[0] != "close" and not (tok[0] == "word" and tok[1] in ("OR", "|")):
            negated = False
            if tok == ("word", "NOT") or tok == ("word", "-"):
                negated = True
                self.i += 1
                if (following := self.peek()) is None or following[0] == "close":
                    raise QueryError("NOT 或 - 后面需要一个要排除的检索词，例如：容缺受理 -广州。")
            elif tok[0] == "word" and tok[1].startswith("-") and len(tok[1]) > 1:
                negated = True
                self.tokens[self.i] = ("word", tok[1][1:])
            elif tok == ("word", "AND"):
                self.i += 1
                continue
            node = self.unary(negated)
            if node is not None:
                (negatives if negated else positives).append(node)
        if not positives and negatives:
            positives.append(wq.Every())
            self.plan.terms.append({"text": "*", "kind": "all", "negated": False, "words": []})
        if not positives:
            return None
        query = positives[0] if len(positives) == 1 else wq.And(positives)
        return wq.AndNot(query, wq.Or(negatives)) if negatives else query

    def unary(self, negated: bool) -> wq.Query | None:
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
        if kind == "word" and (m := _FILTER.match(value)):
            self.plan.filters.setdefault(FIELD_ALIASES[m.group("name").lower()], []).append(m.group("value"))
            return None
        return self.term(value, phrase=kind == "quote", negated=negated)

    def term(self, text: str, phrase: bool, negated: bool) -> wq.Query | None:
        if not compact(text):
            return None
        info: dict[str, Any] = {"text": text, "kind": "phrase" if phrase else "term", "negated": negated}
        self.plan.terms.append(info)
        if phrase:
            info["words"] = _word_tokens(text)
            self.highlight([text], [], negated)
            return contiguous_query(text)
        return self.expand(text, info, negated)

    def highlight(self, terms: list[str], fallback: list[str], negated: bool) -> None:
        if not negated:
            self.plan.highlight_terms.extend(terms)
            self.plan.fallback_terms.extend(fallback)

    def expand(self, text: str, info: dict[str, Any], negated: bool) -> wq.Query | None:
        """A plain term: a measure's variants, or its words (all required), or itself."""
        words = [w for w, _, _ in segment(text)]
        info["words"] = words
        if (measure := measure_named(text)) is not None:
            self.highlight([text, *measure.variants], [], negated)
            return self.measure_query(measure, text, info)
        # Single characters (的, 年) are not required on their own; with fewer than two
        # real words left, the text is looked up as one string (2023年, 容缺的).
        content = [w for w in words if len(w) > 1 or not is_han(w)]
        if len(content) <= 1:
            self.highlight([text], [], negated)
            return contiguous_query(text)
        parts: list[wq.Query | None] = []
        fallback: list[str] = []
        for word in content:
            if (measure := measure_named(word)) is not None:
                parts.append(self.measure_query(measure, word, info))
                fallback += [word, *measure.variants]
            else:
                parts.append(contiguous_query(word))
                fallback.append(word)
        self.highlight([text], fallback, negated)
        whole = contiguous_query(text)
        required = wq.And([p for p in parts if p is not None])
        return wq.Or([required, whole.with_boost(2.0)]) if whole else required

    @staticmethod
    def measure_query(measure: Measure, typed: str, info: dict[str, Any]) -> wq.Query:
        """Any variant of the measure; the form the user typed ranks first."""
        info.setdefault("measures", []).append({"measure": measure.name, "variants": list(measure.variants)})
        queries = [q if v == typed else q.with_boost(VARIANT_BOOST)
                   for v in dict.fromkeys([typed, measure.name, *measure.variants])
                   if (q := contiguous_query(v))]
        # sections tagged at index time (the tags also know the taxonomy's regex patterns)
        tagged: wq.Query = wq.Term(f.MEASURE, measure.name, boost=VARIANT_BOOST)
        return wq.Or([*queries, tagged])


def parse_query(text: str, has_filters: bool = False) -> QueryPlan:
    """Parse a user's query; raises QueryError with a helpful sentence.

    `has_filters` tells whether facet filters narrow the search: only then may a query
    consist of exclusions alone (NOT 广州 over everything is almost surely a mistake).
    """
    text = fold_width(text).strip()  # ＂（） typed on a Chinese keyboard are operators too
    if len(text) > MAX_QUERY_LENGTH:
        raise QueryError(f"查询过长（{len(text)} 字）：请控制在 {MAX_QUERY_LENGTH} 字以内。")
    plan = QueryPlan(query=None)
    tokens = _tokens(text)
    if not tokens:
        return plan
    plan.query = _Compiler(tokens, plan).parse()
    if plan.query is None and not plan.filters:
        raise QueryError("查询中没有可检索的字词（只有标点或运算符）：请输入要查找的词，例如 容缺受理。")
    if any(t["kind"] == "all" for t in plan.terms) and not (plan.filters or has_filters):
        raise QueryError("只有排除条件的查询会匹配几乎全部段落：请加上一个检索词或筛选条件，例如 容缺受理 -广州。")
    return plan
