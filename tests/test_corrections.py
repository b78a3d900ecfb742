"""The researcher's corrections: export → edit → metadata.csv → build, in process on a temporary folder."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from small_reports import write_report

import indexer.index.build as build_module
from indexer import SearchRequest, open_index
from indexer.cli import cli
from indexer.index.storage import current_generation
from indexer.index.update import update_index
from indexer.ingest.corrections import COLUMNS, parse_corrections

EDITED = "佛山市南海区政务服务和数据管理局"


@pytest.fixture
def corpus(tmp_path: Path) -> tuple[Path, Path]:
    """Two small reports in a source folder, indexed."""
    src, index = tmp_path / "src", tmp_path / "index"
    write_report(src, 0)  # 广州市白云区市场监督管理局 2019
    write_report(src, 1)  # 佛山市南海区行政审批局 2020
    update_index([src], index)
    return src, index


def _cli(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def _docs(index: Path) -> dict[str, dict]:
    return {d["file"]: d for d in json.loads(_cli("docs", "--index", str(index), "--json"))}


def _export(index: Path, target: Path) -> list[list[str]]:
    _cli("metadata", "export", "--index", str(index), "-o", str(target))
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: Excel opens it
    with target.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def _save(src: Path, rows: list[list[str]], encoding: str = "utf-8") -> None:
    with (src / "metadata.csv").open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle).writerows(rows)


def _agency_facet(index: Path) -> dict[str, int]:
    result = open_index(index).search(SearchRequest("", {}, page_size=10))
    return {str(v.value): v.count for v in result.facets["agency"]}


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])  # as Excel saves it, with or without BOM
def test_export_edit_build_round_trip(corpus, tmp_path, monkeypatch, encoding):
    src, index = corpus
    rows = _export(index, tmp_path / "元数据.csv")
    assert rows[0] == list(COLUMNS)
    line = next(i for i, r in enumerate(rows) if r[0] == "r001.txt")
    rows[line][2] = EDITED
    _save(src, rows, encoding)  # every other cell as exported: the same values are not corrections
    parsed: list[str] = []
    real = build_module.parse_report
    monkeypatch.setattr(build_module, "parse_report", lambda source: parsed.append(source.name) or real(source))

    stats = update_index([src], index)

    assert parsed == [] and stats.unchanged == 2 and stats.corrections_changed and stats.corrected == 1
    assert _agency_facet(index) == {"广州市白云区市场监督管理局": 1, EDITED: 1}
    doc = _docs(index)["r001.txt"]
    assert (doc["agency"], doc["agencies"]) == (EDITED, [EDITED])
    assert doc["provenance"]["agency"] == {"rule": "corrected", "line": f"metadata.csv 第 {line + 1} 行"}
    assert doc["provenance"]["title"]["rule"] == "title_lines"  # untouched fields keep where they came from
    assert doc["extracted"]["agency"] == "佛山市南海区行政审批局"
    assert "metadata.csv" not in _docs(index)  # never indexed as a report
    hits = open_index(index).search(SearchRequest("容缺受理", {"agency": (EDITED,)})).hits
    assert {h.file for h in hits} == {"r001.txt"} and {h.agency for h in hits} == {EDITED}  # citations too
    figures = {f.file: f.agency for f in open_index(index).figures()}
    assert figures == {"r000.txt": "广州市白云区市场监督管理局", "r001.txt": EDITED}  # the figures table too


def test_a_change_to_metadata_csv_alone_is_reapplied_and_undone(corpus):
    src, index = corpus
    _save(src, [list(COLUMNS), ["r000.txt", "", "", "", "2021", "", ""]])
    update_index([src], index)
    assert _docs(index)["r000.txt"]["year"] == 2021
    live = current_generation(index)
    assert not update_index([src], index).changed and current_generation(index) == live  # unchanged: no generation

    (src / "metadata.csv").unlink()
    stats = update_index([src], index)
    assert stats.corrections_changed and stats.corrected == 0
    doc = _docs(index)["r000.txt"]
    assert doc["year"] == 2019 and doc["provenance"]["year"]["rule"] == "title" and "extracted" not in doc


def test_bad_rows_are_named_by_line_and_skipped(corpus):
    src, index = corpus
    _save(src, [list(COLUMNS), ["无此文件.txt", "", "某局", "", "", "", ""], ["r000.txt", "", "", "", "二零", "", ""],
                ["r001.txt", "", "", "", "", "公文", ""], ["r001.txt", "更正后的标题", "", "", "", "", ""]])
    stats = update_index([src], index)
    assert any("第 2 行" in w and "无此文件.txt" in w for w in stats.warnings)
    assert any("第 3 行" in w and "二零" in w for w in stats.warnings)
    assert any("第 4 行" in w and "公文" in w for w in stats.warnings)
    docs = _docs(index)
    assert docs["r000.txt"]["year"] == 2019  # the bad row changed nothing
    assert docs["r001.txt"]["title"] == "更正后的标题" and docs["r001.txt"]["provenance"]["title"]["rule"] == "corrected"


def test_a_full_build_applies_metadata_csv_too(corpus, tmp_path):
    src, _ = corpus
    _save(src, [list(COLUMNS), ["r000.txt", "", "", "广东省广州市白云区", "", "notice", ""]])
    full = tmp_path / "full"
    stats = update_index([src], full, full=True)
    assert stats.corrected == 1
    doc = _docs(full)["r000.txt"]
    assert (doc["region"], doc["doc_type"]) == ("广东省广州市白云区", "notice")
    assert "广东省广州市" in doc["region_parts"]  # filters by any level of the corrected region


def test_rows_parse_with_labels_and_empty_cells():
    rows, problems = parse_corrections("file,year,doc_type,agency\na.txt,2023年,政策解读,\n,2020,,\n", "metadata.csv")
    assert [(r.file, r.values, r.line) for r in rows] == [("a.txt", {"year": 2023, "doc_type": "interpretation"}, 2)]
    assert problems == ["metadata.csv 第 3 行：file 为空，已跳过"]
    assert parse_corrections("名称,年份\n", "metadata.csv")[1][0].startswith("metadata.csv：第 1 行应为列名")


def test_the_document_view_shows_where_each_field_came_from_escaped(tmp_path):
    from webapp import create_app

    src, index = tmp_path / "src", tmp_path / "index"
    src.mkdir()
    (src / "a.txt").write_text("某某县<b>行政审批局</b>2023年度法治政府建设情况报告\n"
                               "2023年，我局深入推进依法行政。现将有关情况报告如下：\n一、主要做法\n推行告知承诺制。\n",
                               encoding="utf-8")
    update_index([src], index)
    doc_id = next(iter(_docs(index).values()))["doc_id"]
    client = create_app({"TESTING": True, "INDEX_DIR": str(index), "BUILD_IF_MISSING": False}).test_client()
    html = client.get(f"/doc/{doc_id}").get_data(as_text=True)
    assert html.count('class="provenance"') >= 3 and "<summary>标题来源</summary>标题行「某某县" in html
    assert "<b>行政审批局</b>" not in html and "&lt;b&gt;行政审批局&lt;/b&gt;" in html


def test_one_row_per_body_in_the_matrix_with_the_names_as_written(tmp_path):
    from indexer.research.compare import build_matrix

    src, index = tmp_path / "src", tmp_path / "index"
    body = "一、基本情况\n{y}年，我局推行容缺受理，全年受理申请{n}件。\n"
    for name, year, agency in (("a.txt", 2022, "佛山市顺德区政务服务数据管理局"), ("b.txt", 2024, "佛山市顺德区政务服务和数据管理局"),
                               ("c.txt", 2023, "顺德区政务服务数据管理局")):
        write = src / name
        write.parent.mkdir(parents=True, exist_ok=True)
        write.write_text(f"{agency}{year}年度行政许可实施和监督管理情况报告\n" + body.format(y=year, n=year - 2000),
                         encoding="utf-8")
    update_index([src], index)
    matrix = build_matrix(open_index(index), SearchRequest("", {"measure": ("容缺受理",)}))
    assert [r.agency for r in matrix.rows] == ["佛山市顺德区政务服务和数据管理局"]
    assert matrix.rows[0].forms == ("佛山市顺德区政务服务数据管理局", "顺德区政务服务数据管理局")
    assert {str(v.value) for v in open_index(index).search(SearchRequest("", {})).facets["agency"]} == {
        "佛山市顺德区政务服务和数据管理局"}
