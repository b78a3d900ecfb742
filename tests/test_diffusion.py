"""Diffusion on a corpus written for it: first years, earlier reports, curve and regions, each
checked against a brute-force reading of the indexed texts."""

from __future__ import annotations

import json

from click.testing import CliRunner
from research_reports import EARLIER, FIRST_YEARS

from indexer import SearchRequest
from indexer.cli import cli
from indexer.ingest.measures import measure_named
from indexer.research.diffusion import build_diffusion
from indexer.research.downloads import diffusion_table, render
from indexer.text.normalize import compact


def brute_force(index, holds) -> dict[str, dict]:
    """Per agency, read every section of every report: years whose reports hold the term."""
    out: dict[str, dict] = {}
    for summary in index.reports():
        report = index.document(summary["doc_id"])
        mine = out.setdefault(summary["agency"], {"years": set(), "dated": [], "region": summary["region"]})
        mine["dated"].append(summary["year"])
        if any(holds(compact(s.text)) for s in report.sections):
            mine["years"].add(summary["year"])
    for mine in out.values():
        mine["first"] = min(mine["years"]) if mine["years"] else None
        mine["earlier"] = sum(1 for y in mine["dated"] if mine["first"] is None or y < mine["first"])
    return out


def test_first_years_match_a_brute_force_reading(research_index):
    measure = measure_named("容缺受理")
    keys = [compact(k) for k in (measure.name, *measure.variants)]
    expected = brute_force(research_index, lambda text: any(k in text for k in keys))
    found = build_diffusion(research_index, SearchRequest(filters={"measure": ("容缺受理",)}))
    got = {a.agency: a for a in found.agencies}
    assert set(got) == set(expected)
    for agency, want in expected.items():
        assert got[agency].first_year == want["first"], agency
        assert set(got[agency].years) == want["years"], agency
        assert got[agency].earlier_reports == want["earlier"], agency
    assert {a: got[a].first_year for a in FIRST_YEARS} == FIRST_YEARS  # and what the corpus was written to say
    assert {a: got[a].earlier_reports for a in EARLIER} == EARLIER


def test_the_first_passage_holds_the_term_and_is_from_the_first_year(research_index):
    found = build_diffusion(research_index, SearchRequest("容缺受理"))
    for a in found.adopters:
        summary = research_index.report(a.doc_id)
        assert summary["agency"] == a.agency and summary["year"] == a.first_year
        body = next(s for s in research_index.document(a.doc_id).sections
                    if research_index.document(a.doc_id).passage_id(s) == a.passage_id)
        assert "容缺受理" in compact(body.text) and "<mark>" in a.passage


def test_near_matches_never_date_an_adoption(research_index):
    """容缺 … 受理 apart (韶关 2020) is related at best: its first year stays 2021."""
    words = "容缺 先行受理"
    found = build_diffusion(research_index, SearchRequest(words))
    expected = brute_force(research_index, lambda text: all(w in text for w in words.split()))
    assert {a.agency: a.first_year for a in found.agencies} == {k: v["first"] for k, v in expected.items()}
    matched = research_index.matches(SearchRequest(words), related=True)
    assert any(s.grade > 1 for r in matched.reports for s in r.sections)  # near matches exist, and were not counted


def test_curve_is_cumulative_and_regions_name_who_came_first(research_index):
    found = build_diffusion(research_index, SearchRequest(filters={"measure": ("容缺受理",)}))
    firsts = {a.agency: a.first_year for a in found.agencies if a.first_year}
    regions = {a.agency: a.region for a in found.agencies}
    for point in found.curve:
        by_then = [a for a, y in firsts.items() if y <= point.year]
        assert point.agencies == len(by_then)
        assert point.regions == len({regions[a] for a in by_then})
        assert point.new == sum(1 for y in firsts.values() if y == point.year)
    shunde = next(r for r in found.regions if r.region.endswith("顺德区"))
    assert shunde.first_year == 2020 and shunde.agencies == ("佛山市顺德区行政审批局",)


def test_cli_json_is_the_api_json_and_exports_have_a_row_per_agency(research_index, research_index_dir):
    from webapp import create_app

    out = CliRunner().invoke(cli, ["diffusion", "容缺受理", "--index", str(research_index_dir), "--json"])
    assert out.exit_code == 0, out.output
    cli_json = json.loads(out.output)
    app = create_app({"TESTING": True, "INDEX_DIR": str(research_index_dir), "BUILD_IF_MISSING": False})
    api_json = app.test_client().get("/api/diffusion?measure=容缺受理").get_json()
    assert cli_json == api_json
    assert {"measure", "query", "filters", "agencies", "curve"} <= set(api_json)
    assert {"agency", "region", "first_year", "doc_id", "passage_id", "years", "earlier_reports"} <= set(
        api_json["agencies"][0])
    assert {"year", "agencies", "regions", "new"} <= set(api_json["curve"][0])
    table = diffusion_table(research_index, SearchRequest(filters={"measure": ("容缺受理",)}))
    assert len(table.rows) == len(api_json["agencies"])
    document = json.loads(render(table, "json"))
    rows = document["rows"]
    assert document["query"] == "" and document["filters"] == {"measure": ["容缺受理"]} and document["exported_at"]
    assert [r["first_year"] for r in rows] == [a["first_year"] for a in api_json["agencies"]]
    assert render(table, "csv").startswith("\ufeff".encode()) and render(table, "xlsx")[:2] == b"PK"


def test_diffusion_asks_for_something_and_rejects_bad_input(research_index_dir):
    from webapp import create_app

    client = create_app({"TESTING": True, "INDEX_DIR": str(research_index_dir), "BUILD_IF_MISSING": False}).test_client()
    assert "选择一项政策措施" in client.get("/diffusion").get_data(as_text=True)
    assert client.get("/api/diffusion?q=((").status_code == 400
    assert client.get("/diffusion?nonsense=1").status_code == 400
    out = CliRunner().invoke(cli, ["diffusion", "--index", str(research_index_dir)])
    assert out.exit_code != 0


def test_only_the_first_adopters_are_highlighted_when_asked(research_index, monkeypatch, research_index_dir):
    from webapp import create_app, tools

    request = SearchRequest(filters={"measure": ("容缺受理",)})
    some = build_diffusion(research_index, request, passages=2)
    assert [bool(a.passage) for a in some.adopters] == [True, True, False, False]
    assert all(a.passage_id for a in some.adopters)  # every first passage is still named and linked
    monkeypatch.setattr(tools, "DIFFUSION_PASSAGES", 2)
    client = create_app({"TESTING": True, "INDEX_DIR": str(research_index_dir), "BUILD_IF_MISSING": False}).test_client()
    page = client.get("/diffusion?measure=容缺受理").get_data(as_text=True)
    assert page.count('<tr data-agency=') == 2 and "列出了最早提及的 2 家机构（共 5 家，其中 4 家提及）" in page
