"""Year-over-year changes on two reports of one body written with known differences, checked
against the list of them and against a brute-force comparison of the sentences."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from click.testing import CliRunner
from research_reports import CHANGES, SHUNDE

from indexer.cli import cli
from indexer.research.changes import ChangesError, build_changes, compare_reports
from indexer.search.facets import UNKNOWN
from indexer.text.normalize import compact
from indexer.text.sentences import sentences


def test_the_known_changes_are_found_section_by_section(research_index):
    found = build_changes(research_index, SHUNDE, 2020, 2021)
    changed = {s.heading: (list(s.added), list(s.removed), [tuple(p) for p in s.reworded])
               for s in found.sections if s.status != "unchanged"}
    assert changed == {h: (a, r, [tuple(p) for p in w]) for h, (a, r, w) in CHANGES.items()}
    same = [s for s in found.sections if s.status == "unchanged"]
    assert [s.heading for s in same] == ["三、存在问题"] and same[0].unchanged == 2
    renamed = next(s for s in found.sections if s.heading == "二、主要做法和成效")
    assert renamed.from_heading == "二、主要做法" and renamed.section_type == "主要做法"


def test_every_sentence_is_accounted_for_as_a_brute_force_comparison_says(research_index):
    """Sentences only in the old text are removed or the old side of a rewording, sentences only in
    the new one added or the new side; every other sentence is unchanged."""
    for old_year, new_year in ((2019, 2020), (2020, 2021), (2019, 2021)):
        found = build_changes(research_index, SHUNDE, old_year, new_year)
        old = research_index.document(found.from_doc)
        new = research_index.document(found.to_doc)
        old_set = {compact(t) for s in old.sections for t in sentences(s.body)}
        new_set = {compact(t) for s in new.sections for t in sentences(s.body)}
        gone = {compact(t) for s in found.sections for t in s.removed} | {
            compact(o) for s in found.sections for o, _ in s.reworded}
        came = {compact(t) for s in found.sections for t in s.added} | {
            compact(n) for s in found.sections for _, n in s.reworded}
        assert gone == old_set - new_set and came == new_set - old_set, (old_year, new_year)
        kept = sum(s.unchanged for s in found.sections)
        assert kept == len(old_set & new_set)


def test_sections_are_aligned_by_type_then_heading(research_index):
    old = research_index.document(build_changes(research_index, SHUNDE, 2020, 2021).from_doc)
    flipped = compare_reports(old, replace(old, sections=tuple(reversed(old.sections))))
    assert all(s.status == "unchanged" for s in flipped)  # order changed, nothing else


def test_defaults_cli_api_and_errors(research_index, research_index_dir):
    from webapp import create_app

    latest = build_changes(research_index, SHUNDE)
    assert (latest.from_year, latest.to_year) == (2020, 2021)
    by_doc = build_changes(research_index, doc_id=latest.to_doc)
    assert by_doc.to_dict() == latest.to_dict()
    out = CliRunner().invoke(cli, ["changes", "--agency", SHUNDE, "--from", "2020", "--to", "2021", "--index",
                                   str(research_index_dir), "--json"])
    assert out.exit_code == 0, out.output
    client = create_app({"TESTING": True, "INDEX_DIR": str(research_index_dir), "BUILD_IF_MISSING": False}).test_client()
    api = client.get(f"/api/changes?agency={SHUNDE}&from=2020&to=2021").get_json()
    assert json.loads(out.output) == api
    assert {"agency", "from", "to", "sections"} <= set(api)
    assert {"section_type", "heading", "added", "removed", "reworded"} <= set(api["sections"][0])
    missing = client.get(f"/api/changes?agency={SHUNDE}&from=2017&to=2021")
    assert missing.status_code == 404 and "2017" in missing.get_json()["error"]["message"]
    assert client.get("/api/changes?agency=不存在的机构").status_code == 404
    assert client.get(f"/api/changes?agency={SHUNDE}&from=二〇二〇").status_code == 400
    for nobody in ("", UNKNOWN):  # no agency, or the row of reports whose agency is not known
        with pytest.raises(ChangesError):
            build_changes(research_index, nobody)
    alone = build_changes(research_index, "江门市交通运输局")
    assert alone.from_year is None and not alone.sections and "之前没有" in alone.message


def test_reworded_sentences_are_marked_and_escaped():
    from webapp.tools import inline_diff

    old, new = inline_diff("受理<script>1</script>件", "受理<script>12</script>件")
    assert "<script>" not in old + new and "&lt;script&gt;" in new and "<ins>2</ins>" in new
