"""Query semantics and facet counts, each checked against a brute-force count over the texts.

The corpus is the five seeds plus four small reports of other places and kinds
(tests/data/semantics/): a plan whose title alone names its measure, a notice from 江苏,
a report without a year, one without an agency.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import SEED_DIR

from indexer import QueryError, SearchRequest, build_index, open_index
from indexer.ingest.parsing import parse_report
from indexer.ingest.reading import find_sources, read_source
from indexer.search.passages import highlight
from indexer.text.normalize import compact

EXTRA_DIR = Path(__file__).parent / "data" / "semantics"
SENTENCES = re.compile(r"[。！？；!?;\n]")


@pytest.fixture(scope="module")
def corpus():
    return [parse_report(read_source(p)) for p in find_sources([SEED_DIR, EXTRA_DIR])]


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    target = tmp_path_factory.mktemp("mixed_index")
    build_index([SEED_DIR, EXTRA_DIR], target)
    return open_index(target)


def says(text: str, term: str) -> bool:
    """Brute force: some sentence of `text`, punctuation removed, holds the term."""
    key = compact(term)
    return any(key in compact(sentence) for sentence in SENTENCES.split(text))


def brute(corpus, term, where=lambda report: True) -> set[str]:
    """Passage ids whose text (the first section also the title) says `term`."""
    return {r.passage_id(s) for r in corpus if where(r) for s in r.sections
            if says(s.text, term) or (s.ordinal == 0 and says(r.title, term))}


def ids(index, text="", **filters) -> set[str]:
    request = SearchRequest(text, {k: tuple(v) for k, v in filters.items()}, page_size=100)
    found, page = set(), 1
    while True:
        result = index.search(SearchRequest(request.text, request.filters, page=page, page_size=100))
        found |= {h.id for h in result.hits}
        if page >= result.pages:
            return found
        page += 1


# ── 1. a negated field excludes ──
@pytest.mark.parametrize("form", ['"许可" -year:2022', '"许可" NOT year:2022', '"许可" not 年份:2022'])
def test_negated_year_excludes(mixed, corpus, form):
    expected = brute(corpus, "许可", lambda r: r.year != 2022)
    assert ids(mixed, form) == expected
    assert expected and not expected & ids(mixed, '"许可" year:2022')


def test_negated_agency_excludes(mixed, corpus):
    expected = brute(corpus, "许可", lambda r: "花都区" not in r.agency)
    assert ids(mixed, '"许可" -机构:花都区') == expected != brute(corpus, "许可")


# ── 2. a field inside a group constrains only its group ──
def test_field_in_an_or_group_constrains_only_that_group(mixed, corpus):
    left = brute(corpus, "容缺受理", lambda r: "花都区" in r.agency)
    right = brute(corpus, "秒批")
    found = ids(mixed, '("容缺受理" agency:花都区) OR "秒批"')
    assert found == left | right
    assert right - brute(corpus, "秒批", lambda r: "花都区" in r.agency)  # 秒批 elsewhere is kept


# ── 3. fields in both scripts, title:, unknown fields, lowercase operators ──
def test_traditional_field_names(mixed):
    assert ids(mixed, "機構:花都區 監管") == ids(mixed, "机构:花都区 监管") != set()
    assert ids(mixed, "章節:存在问题 电子证照") == ids(mixed, "章节:存在问题 电子证照") != set()


def test_unknown_field_is_an_error_naming_the_fields(mixed):
    with pytest.raises(QueryError, match="agency/机构"):
        mixed.search(SearchRequest("foo:bar"))


def test_title_field_searches_titles(mixed, corpus):
    expected = {r.doc_id for r in corpus if "抽查" in r.title}
    assert expected and {i.split("-")[0] for i in ids(mixed, "title:抽查")} == expected
    assert {i.split("-")[0] for i in ids(mixed, "标题:抽查")} == expected


def test_lowercase_operators(mixed):
    assert ids(mixed, '"秒批" or "电子证照"') == ids(mixed, '"秒批" OR "电子证照"')
    assert ids(mixed, '"许可" not "监管"') == ids(mixed, '"许可" NOT "监管"')


# ── 4. titles are searched and tagged ──
def test_a_title_alone_finds_and_tags_the_report(mixed, corpus):
    plan = next(r for r in corpus if r.file == "plan_sz.txt")
    assert not any(says(s.text, "双随机一公开") for s in plan.sections)  # only the title says it
    hits = mixed.search(SearchRequest('"双随机、一公开"', page_size=100)).hits
    assert plan.doc_id in {h.doc_id for h in hits}
    assert "双随机一公开" in mixed.report(plan.doc_id)["measures"]
    browse = ids(mixed, measure=["双随机一公开"])
    assert plan.passage_id(plan.sections[0]) in browse


# ── 5. a passage never ends inside a marked term ──
def test_fragment_never_cuts_a_marked_term():
    text = "甲" * 50 + "营商环境" + "乙" * 88 + "营商环境" + "丙" * 30 + "。"  # the window's edge falls inside the second
    (passage,) = highlight(text, ["营商环境"])
    assert passage.count("<mark>营商环境</mark>") == 2 and "<mark>营商</mark>" not in passage


# ── 6. facet counts equal what they open, in reports and in passages ──
@pytest.mark.parametrize("facet", ["agency", "region", "year", "doc_type", "section_type", "measure"])
def test_facet_counts_open_exactly_that_many(mixed, facet):
    result = mixed.search(SearchRequest("监管", page_size=1))
    assert result.facets[facet]
    for value in result.facets[facet]:
        opened = mixed.search(SearchRequest("监管", {facet: (str(value.value),)}, page_size=1))
        assert (opened.total_reports, opened.total) == (value.reports, value.passages), value
        assert value.count == (value.reports if facet in ("agency", "region", "year", "doc_type") else value.passages)


def test_agency_value_filters_exactly_and_partial_names_are_explicit(mixed, corpus):
    exact = mixed.search(SearchRequest("", {"agency": ("广州市花都区推进政府职能转变和“放管服”改革协调小组办公室",)}))
    assert exact.total_reports == 1
    partial = {i.split("-")[0] for i in ids(mixed, "agency:广州市")}
    assert partial == {r.doc_id for r in corpus if "广州市" in r.agency}


# ── 7. reports without a value are reachable ──
def test_unknown_year_and_agency_can_be_selected(mixed, corpus):
    result = mixed.search(SearchRequest("", page_size=1))
    years = {str(v.value): v.reports for v in result.facets["year"]}
    agencies = {str(v.value): v.reports for v in result.facets["agency"]}
    no_year = {r.doc_id for r in corpus if r.year is None}
    no_agency = {r.doc_id for r in corpus if not r.agency}
    assert no_year and years["未注明"] == len(no_year)
    assert no_agency and agencies["未注明"] == len(no_agency)
    assert {i.split("-")[0] for i in ids(mixed, year=["未注明"])} == no_year
    assert {i.split("-")[0] for i in ids(mixed, agency=["未注明"])} == no_agency


# ── 8. regions roll up, and take names as people write them ──
def test_region_hierarchy_counts_include_the_levels_below(mixed, corpus):
    values = {v.value: v for v in mixed.search(SearchRequest("", page_size=1)).facets["region"]}
    assert values["广东省"].reports == sum(1 for r in corpus if r.region.startswith("广东省"))
    assert values["广东省广州市"].reports == sum(1 for r in corpus if r.region.startswith("广东省广州市"))
    assert values["广东省"].depth == 0 and values["广东省广州市"].depth == 1 and values["江苏省南京市"].depth == 1


@pytest.mark.parametrize(("name", "prefix"), [("广州", "广东省广州市"), ("广州市", "广东省广州市"), ("广东", "广东省"),
                                              ("黄埔", "广东省广州市黄埔区"), ("南京", "江苏省南京市")])
def test_region_names_as_people_write_them(mixed, corpus, name, prefix):
    expected = {r.doc_id for r in corpus if r.region.startswith(prefix)}
    assert expected and {i.split("-")[0] for i in ids(mixed, region=[name])} == expected
    assert {i.split("-")[0] for i in ids(mixed, f"地区:{name}")} == expected


# ── issue 10: curly quotes, empty fields, reversed ranges ──
@pytest.mark.parametrize("quoted", ["“容缺受理”", "「容缺受理」", "『容缺受理』", "‘容缺受理’"])
def test_chinese_quotes_are_exact(mixed, quoted):
    assert ids(mixed, quoted) == ids(mixed, '"容缺受理"') != ids(mixed, "容缺受理")


@pytest.mark.parametrize(("text", "message"), [("“容缺受理", "引号不成对"), ("机构:", "缺少取值"), ("agency: 监管", "缺少取值"),
                                               ("year:2030-2019", "起止颠倒"), ("year:abc", "年份")])
def test_bad_field_terms_are_errors(mixed, text, message):
    with pytest.raises(QueryError, match=message):
        mixed.search(SearchRequest(text))


def test_a_facet_shows_its_most_matched_values_and_says_how_many_there_are(mixed):
    everything = mixed.search(SearchRequest("", page_size=1))
    rows = mixed.engine.everything().mask
    top, size = mixed.tables.counts("agency", rows, limit=2)
    assert size == everything.facet_sizes["agency"] == len(everything.facets["agency"]) > 2
    full = sorted((v.count for v in everything.facets["agency"]), reverse=True)
    assert sorted((v.count for v in top), reverse=True) == full[:2]
    chosen = everything.facets["agency"][-1].value
    with_selected, _ = mixed.tables.counts("agency", rows, (str(chosen),), limit=2)
    assert chosen in {v.value for v in with_selected} and len(with_selected) <= 3
