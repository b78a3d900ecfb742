"""Exports open in the tools researchers use: CSV (csv module, Excel's BOM), XLSX (openpyxl), JSON."""

from __future__ import annotations

import csv
import io
import json

import pytest
from openpyxl import load_workbook

from indexer.ingest.facts import ROW_COLUMNS, ROW_HEADERS, extract_figures
from indexer.research.export import FORMATS, citation, display_width, to_csv, to_json, to_xlsx

COLUMNS = ["agency", "year", "text", "measures", "score"]
HEADERS = {"agency": "机构", "year": "年度", "text": "段落"}
LONG = "全面推行容缺受理，" * 30
ROWS = [
    {"agency": "广州市花都区政务服务数据管理局", "year": 2022, "text": "推行“容缺受理”，材料后补。",
     "measures": ["容缺受理", "告知承诺"], "score": 1.5, "ignored": "x"},
    {"agency": "某局, 逗号\"引号\"", "year": None, "text": "第一行\n第二行", "measures": [], "score": 0},
    {"agency": "=HYPERLINK(\"http://x\")", "year": 2023, "text": LONG, "measures": ("秒批",), "score": -1},
]


def read_csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_csv_has_bom_and_reads_back_in_chinese():
    data = to_csv(ROWS, COLUMNS, HEADERS)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = read_csv(data)
    assert rows[0] == ["机构", "年度", "段落", "measures", "score"]
    assert rows[1] == ["广州市花都区政务服务数据管理局", "2022", "推行“容缺受理”，材料后补。", "容缺受理；告知承诺", "1.5"]
    assert rows[2] == ["某局, 逗号\"引号\"", "", "第一行\n第二行", "", "0"]
    assert len(rows) == 4


def test_csv_cell_that_excel_would_run_is_quoted_as_text():
    rows = read_csv(to_csv(ROWS, COLUMNS))
    assert rows[3][0] == "'=HYPERLINK(\"http://x\")"
    assert rows[3][4] == "-1"  # numbers are not text


def test_xlsx_header_cells_widths_and_frozen_row():
    book = load_workbook(io.BytesIO(to_xlsx(ROWS, COLUMNS, HEADERS, sheet="检索结果")))
    ws = book["检索结果"]
    assert [c.value for c in ws[1]] == ["机构", "年度", "段落", "measures", "score"]
    assert all(c.font.bold for c in ws[1])
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:E4"
    assert ws["A2"].value == "广州市花都区政务服务数据管理局"
    assert ws["B2"].value == 2022 and ws["E2"].value == 1.5  # numbers stay numbers
    assert ws["D2"].value == "容缺受理；告知承诺"
    assert ws["B3"].value is None and ws["C3"].value == "第一行\n第二行"
    assert ws["A4"].value == "=HYPERLINK(\"http://x\")" and ws["A4"].data_type == "s"  # text, not a formula
    widths = {col: ws.column_dimensions[col].width for col in "ABCDE"}
    assert widths["A"] >= display_width("广州市花都区政务服务数据管理局")  # Chinese counts double
    assert widths["C"] == 60 and ws["C4"].alignment.wrap_text  # long text capped and wrapped
    assert 6 <= widths["B"] < widths["A"]
    assert ws.max_row == 4


def test_xlsx_of_no_rows_is_a_header_only():
    ws = load_workbook(io.BytesIO(to_xlsx([], COLUMNS))).active
    assert ws.max_row == 1 and ws["A1"].value == "agency"


def test_json_keeps_exactly_the_columns_in_order():
    data = json.loads(to_json(ROWS, COLUMNS, HEADERS).decode("utf-8"))
    assert [list(row) for row in data] == [COLUMNS] * 3
    assert data[0]["measures"] == ["容缺受理", "告知承诺"] and data[1]["year"] is None
    assert "容缺受理".encode() in to_json(ROWS, COLUMNS)  # not \\u-escaped


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_formats_table(fmt):
    spec = FORMATS[fmt]
    assert spec.extension == fmt and spec.render(ROWS, COLUMNS, HEADERS)


def test_figures_table_round_trips_through_csv_and_xlsx(reports):
    rows = [extract_figures(reports[key]).to_row() for key in sorted(reports)]
    csv_rows = read_csv(to_csv(rows, ROW_COLUMNS, ROW_HEADERS))
    header = csv_rows[0]
    assert header[:3] == ["机构", "年度", "许可事项数"]
    by_year = {r[1]: dict(zip(header, r, strict=True)) for r in csv_rows[1:]}
    assert by_year["2022"]["申请量"] == "1801779" and by_year["2022"]["不予许可"] == "2675"
    assert by_year["2024"]["网上办结"] == "10120"
    ws = load_workbook(io.BytesIO(to_xlsx(rows, ROW_COLUMNS, ROW_HEADERS))).active
    col = [c.value for c in ws[1]].index("受理量") + 1
    assert sorted(v for v in (ws.cell(row=i, column=col).value for i in range(2, 7)) if v) == [16840, 865310, 1795742]


def test_citation_full():
    text = citation(
        agency="广州市花都区政务服务数据管理局",
        year=2022,
        title="2022年度行政许可实施和监督管理情况报告",
        section="三、监督管理情况",
        published="2023-01-10",
        source="https://example.org/r/1.html",
        file="001_e6dd32f972327dd2.txt",
        doc_id="86886a773e152663",
        passage_id="86886a773e152663-004",
    )
    assert text == (
        "广州市花都区政务服务数据管理局：《2022年度行政许可实施和监督管理情况报告》，“三、监督管理情况”，"
        "2023-01-10，来源：https://example.org/r/1.html（文件 001_e6dd32f972327dd2.txt，段落 86886a773e152663-004）"
    )


def test_citation_sparse_and_on_one_line():
    text = citation(agency="某局", year=2019, title="法治政府建设\n报告", doc_id="abc")
    assert text == "某局：《法治政府建设 报告》，2019年度（报告 abc）"
    assert citation(agency="", year=None) == "《报告》"
    assert citation(agency="广州市人民政府办公厅", title="关于印发《工作方案》的通知", year=2019).startswith(
        "广州市人民政府办公厅：《关于印发〈工作方案〉的通知》，2019年度"
    )
    assert "\n" not in citation(agency="某\n局", section="一、\n基本情况", year=2020)
