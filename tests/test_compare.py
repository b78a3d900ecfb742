"""The peer matrix on the seeds, checked against the report texts read independently here."""

from __future__ import annotations

import json
import re
from html import unescape
from itertools import product

import pytest
from click.testing import CliRunner
from conftest import SEEDS

from indexer import SearchRequest, build_index, open_index
from indexer.cli import cli
from indexer.ingest.parsing import parse_report
from indexer.ingest.reading import read_source
from indexer.research.compare import build_matrix, side_by_side
from indexer.text.normalize import fold

# The measure's names as the taxonomy lists them, written out again here (not read from it).
VARIANTS = {
    "容缺受理": ("容缺受理", "容缺办理", "容缺后补", "容缺登记", "容缺审批", "容缺机制", "容缺预审"),
    "双随机一公开": ("双随机一公开", "双随机抽查", "双随机监管", "随机抽取检查对象", "随机选派执法检查人员"),
}


def squeeze(text: str) -> str:
    """Simplified characters, no punctuation or space: “双随机、一公开” → 双随机一公开."""
    return re.sub(r"[\W_]", "", fold(text))


def mentions(text: str, measure: str) -> bool:
    return any(v in squeeze(text) for v in VARIANTS[measure])


@pytest.fixture(scope="module")
def seeds():
    """(agency, year, raw text, parsed report) of each seed file."""
    out = []
    for path in SEEDS.values():
        report = parse_report(read_source(path))
        out.append((report.agency, report.year, path.read_text(encoding="utf-8"), report))
    return out


@pytest.mark.parametrize("measure", sorted(VARIANTS))
def test_every_cell_matches_the_texts(index, seeds, measure):
    matrix = build_matrix(index, SearchRequest(filters={"measure": (measure,)}))
    indexed = {(a, y): (text, report) for a, y, text, report in seeds}
    assert set(matrix.agencies) == {a for a, _ in indexed} and set(matrix.years) == {y for _, y in indexed}
    assert len(matrix.to_dict()["cells"]) == len(matrix.agencies) * len(matrix.years)
    for agency, year in product(matrix.agencies, matrix.years):
        cell = matrix.cell(agency, year)
        if (agency, year) not in indexed:
            assert cell.status == "no_report" and cell.count == 0 and not cell.passage
            continue
        text, report = indexed[(agency, year)]
        if not mentions(text, measure):
            assert cell.status == "not_mentioned" and cell.count == 0 and cell.reports == (report.doc_id,)
            continue
        assert cell.status == "mentioned"
        assert cell.count == sum(mentions(s.text, measure) for s in report.sections)
        assert cell.doc_id == report.doc_id and cell.passage_id.startswith(report.doc_id + "-")
        assert "<mark>" in cell.passage


def test_known_cells_of_the_seeds(index):
    """What a reader of the five seeds finds: 容缺 in 花都区 2022 and the 2019 work plan only."""
    rongque = build_matrix(index, SearchRequest(filters={"measure": ("容缺受理",)}))
    statuses = {(c.agency[:6], c.year): c.status for c in rongque.cells.values() if c.status != "no_report"}
    assert statuses == {("广州市花都区", 2022): "mentioned", ("广州市人民政", 2019): "mentioned",
                        ("广州市规划和", 2023): "not_mentioned", ("广州市公安局", 2024): "not_mentioned",
                        ("广州市黄埔区", 2019): "not_mentioned"}
    assert rongque.summary().startswith("5 家机构中有 2 家的报告提及")
    shuang = build_matrix(index, SearchRequest(filters={"measure": ("双随机一公开",)}))
    assert [c.status for c in shuang.cells.values() if c.status != "no_report"].count("mentioned") == 4
    huangpu = next(a for a in shuang.agencies if "黄埔" in a)
    assert shuang.cell(huangpu, 2019).status == "not_mentioned"
    assert shuang.cell(huangpu, 2022).status == "no_report"


def test_a_query_and_a_measure_say_the_same(index):
    by_query = build_matrix(index, SearchRequest(text="容缺受理"))
    by_measure = build_matrix(index, SearchRequest(filters={"measure": ("容缺受理",)}))
    assert {k: (c.status, c.count) for k, c in by_query.cells.items()} == \
        {k: (c.status, c.count) for k, c in by_measure.cells.items()}


def test_report_filters_shrink_the_universe_not_the_mentions(index):
    matrix = build_matrix(index, SearchRequest(filters={"measure": ("容缺受理",), "year": ("2019",)}))
    assert matrix.years == (2019,)
    assert {a[:6] for a in matrix.agencies} == {"广州市人民政", "广州市黄埔区"}
    districts = build_matrix(index, SearchRequest(filters={"measure": ("双随机一公开",), "region": ("花都区",)}))
    assert len(districts.agencies) == 1 and "花都区" in districts.agencies[0]


def test_sorting(index):
    matrix = build_matrix(index, SearchRequest(filters={"measure": ("双随机一公开",)}))
    by_mentions = matrix.sorted("mentions", descending=True)
    counts = [r.mentions for r in by_mentions.rows]
    assert counts == sorted(counts, reverse=True) and counts[-1] == 0
    assert list(matrix.sorted("agency").agencies) == sorted(matrix.agencies)
    regions = [r.region for r in matrix.sorted("region").rows]
    assert regions == sorted(regions)


def test_section_type_side_by_side(index, reports):
    columns = side_by_side(index, SearchRequest(filters={"section_type": ("存在问题",)}))
    expected = {}
    for report in reports.values():
        n = sum(s.section_type == "存在问题" for s in report.sections)
        if n:
            expected[report.agency] = n
    assert {c.agency: c.total for c in columns} == expected
    assert all(h.section_type == "存在问题" for c in columns for h in c.hits)


def plain(html: str) -> str:
    return unescape(re.sub(r"</?mark>", "", html))


def test_section_type_alone_shows_the_fullest_passage_not_a_bare_heading(index, index_dir, reports):
    """No query: every 存在问题 section ties, so the cell shows the one with the most text under its heading."""
    matrix = build_matrix(index, SearchRequest(filters={"section_type": ("存在问题",)}))
    by_doc = {r.doc_id: r for r in reports.values()}
    mentioned = [c for c in matrix.cells.values() if c.status == "mentioned"]
    assert len(mentioned) == sum(any(s.section_type == "存在问题" for s in r.sections) for r in reports.values())
    bare = 0
    for cell in mentioned:
        report = by_doc[cell.doc_id]
        typed = [s for s in report.sections if s.section_type == "存在问题"]
        bare += sum(not s.body.strip() for s in typed)
        fullest = max(typed, key=lambda s: len(s.body.strip()))
        assert cell.passage_id == report.passage_id(fullest)
        assert fullest.body.strip() and plain(cell.passage).replace(fullest.heading, "", 1).strip()
    assert bare >= 2  # the seeds do have bare headings (二、存在问题和困难) that must not be chosen
    result = invoke("compare", "--section-type", "存在问题", "--index", str(index_dir), "--json")
    cells = [c for c in json.loads(result.stdout)["cells"] if c["status"] == "mentioned"]
    assert {c["passage_id"] for c in cells} == {c.passage_id for c in mentioned}


def test_with_a_query_the_best_passage_is_the_best_ranked(index):
    request = SearchRequest(text="监管")
    ranked = {r.doc_id: r.sections for r in index.matches(request).reports}
    matrix = build_matrix(index, request)
    mentioned = [c for c in matrix.cells.values() if c.status == "mentioned"]
    assert mentioned
    for cell in mentioned:
        best = ranked[cell.doc_id]
        chosen = next(s for s in best if s.id == cell.passage_id)
        assert (chosen.grade, chosen.score) == (best[0].grade, best[0].score)


def test_side_by_side_puts_bare_headings_last(index, reports):
    columns = side_by_side(index, SearchRequest(filters={"section_type": ("存在问题",)}))
    bodies = {r.passage_id(s): s.body.strip() for r in reports.values() for s in r.sections}
    for column in columns:
        said = [bool(bodies[h.id]) for h in column.hits]
        assert said[0] and said == sorted(said, reverse=True)
    for column in side_by_side(index, SearchRequest(filters={"section_type": ("存在问题",)}), limit=1):
        assert len(column.hits) == 1 and bodies[column.hits[0].id]  # a bare heading does not take the only place


def test_unknown_agency_and_year_have_their_own_row_and_column(tmp_path):
    src = tmp_path / "reports"
    src.mkdir()
    (src / "note.txt").write_text("关于推行容缺受理的说明\n一、基本情况\n对材料不全的申请推行容缺受理。\n", encoding="utf-8")
    (src / "other.txt").write_text("工作情况\n一、基本情况\n加强监管。\n", encoding="utf-8")
    build_index([src], tmp_path / "index")
    index = open_index(tmp_path / "index")
    matrix = build_matrix(index, SearchRequest(filters={"measure": ("容缺受理",)}))
    assert matrix.agencies == ("未注明",) and matrix.years == (None,)
    cell = matrix.cell("未注明", None)
    assert cell.status == "mentioned" and cell.count == 2 and len(cell.reports) == 2  # the title and the body
    assert matrix.to_dict()["cells"][0]["year"] is None


def invoke(*args):
    return CliRunner().invoke(cli, list(args))


def test_cli_compare_json_is_the_library_matrix(index, index_dir):
    result = invoke("compare", "容缺受理", "--index", str(index_dir), "--json", "--sort", "mentions", "--desc")
    assert result.exit_code == 0, result.output
    expected = build_matrix(index, SearchRequest(filters={"measure": ("容缺受理",)})).sorted("mentions", True)
    assert json.loads(result.stdout) == expected.to_dict()
    data = json.loads(result.stdout)
    assert list(data)[:5] == ["measure", "query", "filters", "summary", "agencies"]
    assert {c["status"] for c in data["cells"]} == {"mentioned", "not_mentioned", "no_report"}
    query = invoke("compare", "--query", "容缺受理", "--year", "2022", "--index", str(index_dir), "--json")
    assert json.loads(query.stdout)["years"] == [2022]


def test_cli_compare_readable(index_dir):
    result = invoke("compare", "双随机一公开", "--index", str(index_dir))
    assert result.exit_code == 0 and "5 家机构中有 4 家的报告提及" in result.output and "未提及" in result.output


def test_api_compare_is_the_cli_json(client, index):
    data = client.get("/api/compare?measure=容缺受理&sort=region").get_json()
    assert data == build_matrix(index, SearchRequest(filters={"measure": ("容缺受理",)})).sorted("region").to_dict()
    pairs = [(c["agency"], c["year"]) for c in data["cells"]]
    assert len(pairs) == len(set(pairs)) == len(data["agencies"]) * len(data["years"])
    cell = next(c for c in data["cells"] if c["status"] == "mentioned")
    assert set(cell) >= {"agency", "year", "status", "count", "doc_id", "section", "passage"}


def test_only_the_agencies_and_years_that_mention_it(index, index_dir, client):
    full = build_matrix(index, SearchRequest(filters={"measure": ("容缺受理",)}))
    only = full.mentioned_only()
    assert 0 < len(only.agencies) < len(full.agencies) and 0 < len(only.years) < len(full.years)
    assert all(r.mentions for r in only.rows)
    assert all(any(only.cell(a, y).status == "mentioned" for a in only.agencies) for y in only.years)
    dropped = [a for a in full.agencies if a not in only.agencies]
    assert all(full.cell(a, y).status != "mentioned" for a in dropped for y in full.years)
    assert client.get("/api/compare?measure=容缺受理&only=mentioned").get_json() == only.to_dict()
    cli_json = invoke("compare", "容缺受理", "--only-mentioned", "--json", "--index", str(index_dir)).stdout
    assert json.loads(cli_json) == only.to_dict()


@pytest.mark.parametrize("url", ["/api/compare?sort=score", "/api/compare?order=up", "/api/compare?colour=red",
                                 "/api/compare?only=all"])
def test_api_compare_bad_parameters(client, url):
    response = client.get(url)
    assert response.status_code == 400 and "error" in response.get_json()
