"""Year-over-year changes of one body: its reports of two years aligned section by section.

Sections are paired by section type, then by heading similarity (the ordinal 一、/（二）/3. set
aside), then by how much of their text they share; a section without a partner was added or
removed whole. Within a pair the sentences (split by `indexer.text.sentences`) are compared in
order: a sentence on both sides is unchanged (folded away: only counted), one on a single side
added or removed, and an old sentence facing a new one that differs only by its numbers or by
a few characters is `reworded` (kept as [old, new]).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import TYPE_CHECKING, Any

from indexer.models import Report, Section
from indexer.research.compare import agency_of
from indexer.search.facets import UNKNOWN
from indexer.text.normalize import compact
from indexer.text.sentences import sentences

if TYPE_CHECKING:
    from indexer.search.searchindex import SearchIndex

ORDINAL = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+[.．、])\s*")
DIGITS = re.compile(r"\d+(?:[.,]\d+)*")
REWORDED_RATIO = 0.8  # characters shared by an old and a new sentence for one to be a rewording
HEADING_RATIO = 0.5  # heading similarity for two sections to be paired on their headings alone
BODY_RATIO = 0.5  # text shared for two sections of one type with unlike headings to be paired


class ChangesError(LookupError):
    """The two reports to compare could not be found (the message says what is missing)."""


@dataclass(frozen=True)
class SectionChanges:
    """One aligned section: what its sentences did from one year to the next."""

    section_type: str
    heading: str  # the newer heading (the older one for a section removed whole)
    from_heading: str | None
    status: str  # changed, unchanged, added, removed
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    reworded: tuple[tuple[str, str], ...] = ()
    unchanged: int = 0  # sentences on both sides, folded away
    from_passage_id: str | None = None
    to_passage_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"section_type": self.section_type, "heading": self.heading, "from_heading": self.from_heading,
                "status": self.status, "added": list(self.added), "removed": list(self.removed),
                "reworded": [list(p) for p in self.reworded], "unchanged": self.unchanged,
                "from_passage_id": self.from_passage_id, "to_passage_id": self.to_passage_id}


@dataclass(frozen=True)
class Changes:
    """Two reports of one agency compared; `to_dict()` is the JSON of the CLI and /api/changes."""

    agency: str
    from_year: int | None  # None: the agency has no earlier report to compare with
    to_year: int
    from_doc: str | None
    to_doc: str
    sections: tuple[SectionChanges, ...]
    years: tuple[int, ...] = ()  # every year the agency has a report
    message: str = ""  # why there is nothing to compare, if so

    def counts(self) -> dict[str, int]:
        return {"added": sum(len(s.added) for s in self.sections),
                "removed": sum(len(s.removed) for s in self.sections),
                "reworded": sum(len(s.reworded) for s in self.sections),
                "unchanged": sum(s.unchanged for s in self.sections)}

    def to_dict(self) -> dict[str, Any]:
        return {"agency": self.agency, "from": self.from_year, "to": self.to_year, "from_doc": self.from_doc,
                "to_doc": self.to_doc, "years": list(self.years), "counts": self.counts(),
                "sections": [s.to_dict() for s in self.sections], "message": self.message or None}


def _key(sentence: str) -> str:
    return compact(sentence)


def _bare_heading(heading: str) -> str:
    return compact(ORDINAL.sub("", heading))


def _ratio(a: str, b: str) -> float:
    return SequenceMatcher(None, a, b, autojunk=False).ratio() if a and b else 0.0


def is_rewording(old: str, new: str) -> bool:
    """A changed number, or a few characters: the same sentence said again."""
    a, b = _key(old), _key(new)
    return DIGITS.sub("0", a) == DIGITS.sub("0", b) or _ratio(a, b) >= REWORDED_RATIO


def _pair_rewordings(old: Sequence[str], new: Sequence[str]) -> tuple[list[tuple[str, str]], list[str], list[str]]:
    """Within a block of replaced sentences: rewordings (best pairs first, in order), then the rest."""
    scored = sorted(((_ratio(_key(o), _key(n)), i, j) for i, o in enumerate(old) for j, n in enumerate(new)
                     if is_rewording(o, n)), reverse=True)
    used_old: set[int] = set()
    used_new: set[int] = set()
    pairs = []
    for _, i, j in scored:
        if i not in used_old and j not in used_new:
            used_old.add(i)
            used_new.add(j)
            pairs.append((i, j))
    pairs.sort()
    return ([(old[i], new[j]) for i, j in pairs], [o for i, o in enumerate(old) if i not in used_old],
            [n for j, n in enumerate(new) if j not in used_new])


def sentence_changes(old_text: str, new_text: str) -> tuple[list[str], list[str], list[tuple[str, str]], int]:
    """(added, removed, reworded, unchanged count) between two texts, sentence by sentence."""
    old, new = sentences(old_text), sentences(new_text)
    matcher = SequenceMatcher(None, [_key(s) for s in old], [_key(s) for s in new], autojunk=False)
    added: list[str] = []
    removed: list[str] = []
    reworded: list[tuple[str, str]] = []
    unchanged = 0
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            unchanged += i2 - i1
            continue
        pairs, gone, new_ones = _pair_rewordings(old[i1:i2], new[j1:j2])
        reworded += pairs
        removed += gone
        added += new_ones
    # a sentence that moved within the section is neither added nor removed
    moved = {_key(s) for s in added} & {_key(s) for s in removed}
    unchanged += sum(1 for s in added if _key(s) in moved)
    return ([s for s in added if _key(s) not in moved], [s for s in removed if _key(s) not in moved],
            reworded, unchanged)


def _pairs(text: str) -> set[str]:
    key = compact(text)
    return {key[i:i + 2] for i in range(len(key) - 1)}


def _shared(old: str, new: str) -> float:
    """The share of character pairs two texts have in common (Jaccard): fast, order-blind."""
    a, b = _pairs(old), _pairs(new)
    return len(a & b) / len(a | b) if a and b else 0.0


def _pair_score(old: Section, new: Section) -> float | None:
    """How well two sections correspond (None: not at all): type first, then heading, then text."""
    heading = _ratio(_bare_heading(old.heading), _bare_heading(new.heading))
    same_type = old.section_type == new.section_type
    if not old.heading and not new.heading:  # two preambles
        heading = 1.0
    body = _shared(old.body, new.body) if heading < HEADING_RATIO and same_type else 0.0
    if heading < HEADING_RATIO and not (same_type and body >= BODY_RATIO):
        return None
    return (2.0 if same_type else 0.0) + heading + body


def align(old: Sequence[Section], new: Sequence[Section]) -> list[tuple[Section | None, Section | None]]:
    """Pairs (old, new) in the newer report's order, removed sections after the section they followed."""
    scored = sorted(((score, i, j) for i, o in enumerate(old) for j, n in enumerate(new)
                     if (score := _pair_score(o, n)) is not None), key=lambda t: (-t[0], t[1], t[2]))
    partner: dict[int, int] = {}
    taken: set[int] = set()
    for _, i, j in scored:
        if j not in partner and i not in taken:
            partner[j] = i
            taken.add(i)
    out: list[tuple[Section | None, Section | None]] = []
    last_old = -1
    for j, n in enumerate(new):
        i = partner.get(j)
        if i is not None:
            out += [(old[k], None) for k in range(last_old + 1, i) if k not in taken]
            last_old = max(last_old, i)
        out.append((old[i] if i is not None else None, n))
    out += [(old[k], None) for k in range(last_old + 1, len(old)) if k not in taken]
    return out


def compare_reports(old: Report, new: Report) -> tuple[SectionChanges, ...]:
    """Every section of the two reports, aligned, with its sentences' changes."""
    out = []
    for o, n in align(old.sections, new.sections):
        if o is None and n is not None:
            out.append(SectionChanges(n.section_type, n.heading or "前言", None, "added",
                                      added=tuple(sentences(n.body)), to_passage_id=new.passage_id(n)))
        elif n is None and o is not None:
            out.append(SectionChanges(o.section_type, o.heading or "前言", o.heading or "前言", "removed",
                                      removed=tuple(sentences(o.body)), from_passage_id=old.passage_id(o)))
        elif o is not None and n is not None:
            added, removed, reworded, same = sentence_changes(o.body, n.body)
            status = "changed" if added or removed or reworded or o.heading != n.heading else "unchanged"
            out.append(SectionChanges(n.section_type, n.heading or "前言", o.heading or "前言", status,
                                      tuple(added), tuple(removed), tuple(reworded), same,
                                      old.passage_id(o), new.passage_id(n)))
    return tuple(out)


def _reports_by_year(index: SearchIndex, agency: str) -> dict[int, list[Mapping[str, Any]]]:
    by_year: dict[int, list[Mapping[str, Any]]] = {}
    for summary in index.reports():
        if agency_of(summary) == agency and summary.get("year") is not None:
            by_year.setdefault(int(summary["year"]), []).append(summary)
    return by_year


def _pick(candidates: Sequence[Mapping[str, Any]], doc_type: str | None) -> Mapping[str, Any]:
    """The report of a year to compare: one of `doc_type` if there is one, else the first."""
    return next((c for c in candidates if c.get("doc_type") == doc_type), candidates[0])


def build_changes(index: SearchIndex, agency: str = "", from_year: int | None = None, to_year: int | None = None,
                  doc_id: str | None = None) -> Changes:
    """What `agency` changed from `from_year` to `to_year` (defaults: its two latest years, or the year
    of report `doc_id` and the one before it); ChangesError when a report asked for is missing, an answer
    without sections (and a message) when the agency has no report before the later year."""
    fixed: Mapping[str, Any] | None = None
    if doc_id:
        fixed = index.report(doc_id)
        if fixed is None:
            raise ChangesError(f"没有编号为 {doc_id} 的报告。")
        agency, to_year = agency_of(fixed), fixed.get("year")
        if to_year is None:
            raise ChangesError("这份报告没有注明年份，无法与上一年比较。")
    if not agency:
        raise ChangesError("请给出机构（agency）或报告编号（doc）。")
    if agency == UNKNOWN:
        raise ChangesError("这份报告的机构不详：无法确定哪一份是它的上一年报告。")
    by_year = _reports_by_year(index, agency)
    if not by_year:
        raise ChangesError(f"索引中没有机构“{agency}”注明年份的报告（机构名称须与分面中的写法一致）。")
    years = sorted(by_year)
    to_year = to_year if to_year is not None else years[-1]
    listed = "、".join(map(str, years))
    if to_year not in by_year:
        raise ChangesError(f"“{agency}”没有 {to_year} 年的报告（已索引的年份：{listed}）。")
    new = fixed or _pick(by_year[to_year], None)
    if from_year is None:
        earlier = [y for y in years if y < to_year]
        if not earlier:  # nothing to compare with: an answer, not an error
            return Changes(agency, None, to_year, None, new["doc_id"], (), tuple(years),
                           f"“{agency}”在 {to_year} 年之前没有已索引的报告（已索引的年份：{listed}）。")
        from_year = earlier[-1]
    if from_year not in by_year:
        raise ChangesError(f"“{agency}”没有 {from_year} 年的报告（已索引的年份：{listed}）。")
    old = _pick(by_year[from_year], new.get("doc_type"))
    old_report, new_report = index.document(old["doc_id"]), index.document(new["doc_id"])
    if old_report is None or new_report is None:
        raise ChangesError("报告已从索引中删除，请刷新后再试。")
    return Changes(agency, from_year, to_year, old["doc_id"], new["doc_id"], compare_reports(old_report, new_report),
                   tuple(years))


def previous_year(index: SearchIndex, summary: Mapping[str, Any]) -> int | None:
    """The latest year before this report's in which its agency has a report (None: there is none)."""
    year, agency = summary.get("year"), agency_of(summary)
    if year is None or agency == UNKNOWN:
        return None
    earlier = [y for y in _reports_by_year(index, agency) if y < year]
    return max(earlier) if earlier else None
