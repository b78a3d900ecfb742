"""A generation is mapped files: what a search needs is computed at build (and update) time, and an
open maps it without reading texts, decoding summaries or counting lines."""

from __future__ import annotations

import mmap

import numpy as np
import pytest
from small_reports import write_report

import indexer.search.boilerplate as boilerplate
import indexer.search.facets as facets
import indexer.search.scan as scan
from indexer import SearchRequest, build_index, open_index
from indexer.index.mapped import Strings, save_strings
from indexer.index.update import update_index
from indexer.search.boilerplate import find_demotions
from indexer.search.facets import FacetTables


def test_an_open_computes_nothing_from_the_texts(index_dir, monkeypatch):
    def refuse(*_args, **_kwargs):
        raise AssertionError("computed at open")

    monkeypatch.setattr(boilerplate, "find_demotions", refuse)
    monkeypatch.setattr(boilerplate, "line_weights", refuse)
    monkeypatch.setattr(facets, "report_columns", refuse)
    index = open_index(index_dir)
    assert isinstance(index.catalog.texts, Strings) and isinstance(index.catalog.texts.buffer, mmap.mmap)
    assert isinstance(index.engine.lengths, np.memmap) and isinstance(index.tables.report_of_row, np.memmap)
    assert index.search(SearchRequest("容缺受理")).total > 0
    index.close()


@pytest.mark.parametrize("share", [0.0, 1.0])  # every term found by one scan, or in its candidate rows
def test_occurrences_located_in_the_mapped_texts_count_as_the_computed_ones(index, share, monkeypatch):
    monkeypatch.setattr(scan, "SCAN_SHARE", share)
    texts = list(index.catalog.texts)
    demotion = find_demotions(texts)  # what an open computed before generations were mapped
    assert len(demotion.rows) > 0
    keys = {"电话", "索引号", "扫一扫", "行政许可", "监督管理", "2023", "受理", "容缺受理"}
    keys |= {line[2:6] for row in demotion.rows[:20].tolist() for line, _ in demotion.lines[row]}
    for key in sorted(k for k in keys if len(k) >= 2):
        rows = np.array([r for r, t in enumerate(texts) if key in t], dtype=np.int32)
        tf = np.array([texts[r].count(key) for r in rows], dtype=np.int32)
        found, discounted = index.engine.scan.occurrences(key)
        assert found.tolist() == rows.tolist(), key
        assert np.allclose(discounted, demotion.discounted(key, rows, tf)), key


def test_stored_facets_count_as_the_computed_ones(index):
    catalog = index.catalog
    summaries = [catalog.summaries[i] for i in range(len(catalog.summaries))]
    computed = FacetTables(summaries, catalog.arrays["report"], catalog.arrays["section_type"],
                           catalog.arrays["measures"], catalog.manifest["measures"], catalog.manifest["section_types"])
    rows = index.engine.occurrences("监管")[0]
    mask = np.zeros(index.engine.n, dtype=bool)
    mask[rows] = True
    for facet in facets.FACETS:
        assert computed.counts(facet, mask) == index.tables.counts(facet, mask), facet


def test_title_keys_are_searched_in_one_buffer(tmp_path):
    save_strings(tmp_path, "t", ["广州市政务服务数据管理局", "", "深圳市行政许可报告", "许可"])
    table = Strings.open(tmp_path, "t")
    assert table.holding("许可").tolist() == [2, 3]
    assert table.holding("告许").tolist() == []  # never across two titles
    assert table.holding("").tolist() == [] and table[0] == "广州市政务服务数据管理局" and table[1] == ""


def test_an_update_rewrites_the_maps(tmp_path):
    src, ix = tmp_path / "src", tmp_path / "ix"
    for serial in (0, 1):
        write_report(src, serial)
    build_index([src], ix)
    before = open_index(ix)
    gone = before.search(SearchRequest("监督管理")).total
    (src / "r001.txt").unlink()
    write_report(src, 2)
    update_index([src], ix)
    after = open_index(ix)
    assert len(after.reports()) == 2 and {r["file"] for r in after.reports()} == {"r000.txt", "r002.txt"}
    dead = np.flatnonzero(~np.asarray(after.catalog.alive))
    assert len(dead) and all(after.catalog.texts[int(r)] == "" for r in dead)  # removed rows match nothing
    assert after.search(SearchRequest("监督管理")).total == gone  # one report out, one of the same form in
    removed = next(r["doc_id"] for r in before.reports() if r["file"] == "r001.txt")
    assert after.report(removed) is None and before.report(removed) is not None
    before.close()
    after.close()


@pytest.mark.parametrize("doc_id", ["0" * 16, "ffffffffffffffff", ""])
def test_unknown_doc_ids_are_no_report(index, doc_id):
    assert index.catalog.report_of.get(doc_id) is None and index.report(doc_id) is None


def _scan_of(texts: list[str], demoted: dict[int, float], dead: set[int] = frozenset()) -> scan.TextScan:
    """A TextScan over `texts` joined as a generation stores them; `demoted`: line number → weight (row 0)."""
    encoded = [t.encode("utf-8") for t in texts]
    starts = np.cumsum([0] + [len(e) + 1 for e in encoded[:-1]])
    ends = starts + [len(e) for e in encoded]
    ends[list(dead)] = starts[list(dead)]
    offsets = np.cumsum([0] + [len(line.encode("utf-8")) + 1 for line in texts[0].split("\n")])
    line_starts = np.array([offsets[i] for i in sorted(demoted)], dtype=np.int64)
    line_ends = np.array([offsets[i + 1] - 1 for i in sorted(demoted)], dtype=np.int64)
    weights = np.array([demoted[i] for i in sorted(demoted)], dtype=np.float32)
    every = np.arange(len(texts))
    return scan.TextScan(b"\x1e".join(encoded) + b"\x1e", starts, ends, line_starts, line_ends, weights,
                         doc_frequency=lambda _gram: len(texts), candidates=lambda _key: every)


@pytest.mark.parametrize("share", [0.0, 1.0])
def test_a_scan_counts_as_str_count_and_weighs_by_line(share, monkeypatch):
    monkeypatch.setattr(scan, "SCAN_SHARE", share)
    texts = ["标题哈哈\n电话哈哈哈哈哈\n正文哈哈", "哈", "哈哈哈", "哈哈"]  # row 1 + row 2 never join into 哈哈
    found = _scan_of(texts, {1: 0.2}, dead={3})
    rows, tf = found.occurrences("哈哈")
    assert rows.tolist() == [0, 2]  # the dead row matches nothing
    assert tf.tolist() == pytest.approx([1 + 2 * 0.2 + 1, 1])  # 哈哈哈哈哈 holds two, as str.count says
    assert found.occurrences("没有")[0].tolist() == [] and found.occurrences("")[0].tolist() == []
