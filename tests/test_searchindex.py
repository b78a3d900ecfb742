"""The search-index seam: one SearchIndex per generation, and its contract."""

from __future__ import annotations

import json
import shutil

import pytest
from conftest import SEEDS

from indexer import IndexOutdated, SearchRequest, build_index, index_exists, open_index
from indexer.index.catalog import MANIFEST, taxonomy_hash
from indexer.index.storage import current_generation


def test_matches_hold_every_match_of_search(index):
    request = SearchRequest("监管 OR 电子证照")
    result = index.search(request)
    matches = index.matches(request)
    assert matches.total == result.total and len(matches.reports) == result.total_reports
    paged, near = set(), set()
    for page in range(1, result.pages + 1):
        hits = index.search(SearchRequest("监管 OR 电子证照", page=page)).hits
        paged |= {h.id for h in hits if h.grade == 1}
        near |= {h.id for h in hits if h.grade > 1}
    assert {s.id for r in matches.reports for s in r.sections} == paged
    assert len(near) == result.related  # listed after, counted apart


def test_matches_group_by_report_best_first(index):
    matches = index.matches(SearchRequest("监管"))
    assert all(r.sections and all(s.id.startswith(r.doc_id) for s in r.sections) for r in matches.reports)
    assert [r.doc_id for r in matches.reports] == [g.doc_id for g in
                                                  index.search(SearchRequest("监管", group=True, page_size=100)).groups]


def test_hits_highlight_given_passages(index):
    matches = index.matches(SearchRequest("容缺受理"))
    ids = [s.id for r in matches.reports for s in r.sections][:2]
    hits = index.hits(SearchRequest("容缺受理"), ids)
    assert [h.id for h in hits] == ids and all("<mark>" in "".join(h.highlights) for h in hits)


def test_document_round_trips_the_report(index, reports):
    original = reports["004"]
    stored = index.document(original.doc_id)
    assert stored is not None and stored.title == original.title and stored.agency == original.agency
    assert [s.body for s in stored.sections] == [s.body for s in original.sections]
    assert index.document("0" * 16) is None and index.report("0" * 16) is None


def test_reports_are_the_catalog(index, reports):
    assert {r["doc_id"] for r in index.reports()} == {r.doc_id for r in reports.values()}


def test_manifest_records_versions(index_dir):
    manifest = json.loads((index_dir / current_generation(index_dir) / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["taxonomy"] == taxonomy_hash() and manifest["sections"] == 106 and manifest["reports"] == 5
    assert "容缺受理" in manifest["measures"]


def test_an_index_of_an_older_format_is_refused_and_rebuilt(tmp_path):
    build_index([SEEDS["003"]], tmp_path)
    path = tmp_path / current_generation(tmp_path) / MANIFEST
    manifest = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps({**manifest, "format": 1}), encoding="utf-8")
    assert not index_exists(tmp_path)  # so the web app rebuilds it on start
    with pytest.raises(IndexOutdated, match="重新运行"):
        open_index(tmp_path)


def test_another_taxonomy_is_reported_in_results(tmp_path):
    build_index([SEEDS["003"]], tmp_path)
    path = tmp_path / current_generation(tmp_path) / MANIFEST
    manifest = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps({**manifest, "taxonomy": "0" * 16, "measures": manifest["measures"][:-1]}),
                    encoding="utf-8")
    data = open_index(tmp_path).search(SearchRequest("监管")).to_dict()
    assert data["warnings"] and "重建索引" in data["warnings"][0]


def test_a_new_generation_makes_the_old_index_stale(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(SEEDS["003"], src)
    build_index([src], tmp_path / "ix")
    old = open_index(tmp_path / "ix")
    shutil.copy(SEEDS["001"], src)
    build_index([src], tmp_path / "ix")
    assert old.is_stale() and len(old.reports()) == 1  # the old generation still answers
    assert len(open_index(tmp_path / "ix").reports()) == 2


def test_json_names_no_engine(index):
    data = index.search(SearchRequest('"双随机、一公开" -广州', page_size=1)).to_dict()
    assert "whoosh" not in json.dumps(data) and data["analysis"]["query"].startswith("(")


def test_the_web_app_never_replaces_an_outdated_index_of_other_reports(tmp_path):
    from webapp.index import ensure_index

    build_index([SEEDS["003"]], tmp_path / "ix")
    path = tmp_path / "ix" / current_generation(tmp_path / "ix") / MANIFEST
    path.write_text(json.dumps({**json.loads(path.read_text(encoding="utf-8")), "format": 1}), encoding="utf-8")
    with pytest.raises(IndexOutdated, match="--source"):
        ensure_index(tmp_path / "ix", SEEDS["000"].parent, rebuild_outdated=False)
    ensure_index(tmp_path / "ix", SEEDS["003"], rebuild_outdated=True)  # its own source given: rebuilt
    assert [r["file"] for r in open_index(tmp_path / "ix").reports()] == [SEEDS["003"].name]
