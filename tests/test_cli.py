"""The CLI speaks the library's JSON and fails with one line."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from conftest import SEED_DIR

from indexer import SearchRequest
from indexer.cli import cli


def invoke(*args):
    return CliRunner().invoke(cli, list(args))


def test_build_json(tmp_path):
    result = invoke("build", "--source", str(SEED_DIR), "--index", str(tmp_path), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"documents": 5, "sections": 106, "skipped": [], "full": True,
                                         "reason": "索引不存在", "added": 5, "updated": 0, "removed": 0, "unchanged": 0,
                                         "corrected": 0, "corrections_changed": False, "warnings": []}
    again = invoke("build", "--source", str(SEED_DIR), "--index", str(tmp_path), "--json")
    assert json.loads(again.stdout) == {"documents": 5, "sections": 106, "skipped": [], "full": False,
                                        "reason": "", "added": 0, "updated": 0, "removed": 0, "unchanged": 5,
                                        "corrected": 0, "corrections_changed": False, "warnings": []}


def test_search_json_is_the_library_result(index, index_dir):
    result = invoke("search", '"双随机、一公开"', "--agency", "广州市花都区", "--json", "--index", str(index_dir))
    assert result.exit_code == 0, result.output
    expected = index.search(SearchRequest('"双随机、一公开"', {"agency": ("广州市花都区",)})).to_dict()
    assert json.loads(result.stdout) == expected
    assert {h["file"] for h in expected["hits"]} == {"001_e6dd32f972327dd2.txt"}


def test_empty_query_browses_with_filters(index_dir):
    result = invoke("search", "", "--measure", "秒批", "--json", "--index", str(index_dir))
    data = json.loads(result.stdout)
    assert data["total"] > 0 and all("秒批" in h["measures"] for h in data["hits"])


def test_plain_output_is_readable(index_dir):
    result = invoke("search", "容缺受理", "--index", str(index_dir))
    assert result.exit_code == 0 and "容缺受理" in result.output and "共 " in result.output


def test_bad_query_is_one_line_and_nonzero(index_dir):
    result = invoke("search", '"双随机', "--index", str(index_dir))
    assert result.exit_code != 0
    assert result.output.strip().count("\n") == 0 and "引号" in result.output


def test_missing_index_is_explained(tmp_path):
    result = invoke("search", "x", "--index", str(tmp_path / "none"))
    assert result.exit_code != 0 and "indexer build" in result.output


def test_docs_json(index_dir):
    data = json.loads(invoke("docs", "--json", "--index", str(index_dir)).stdout)
    assert len(data) == 5
    assert {"doc_id", "file", "title", "agency", "region", "year", "doc_type", "sections"} <= set(data[0])
    assert {"heading", "section_type"} <= set(data[0]["sections"][0])


def test_text_output_groups_by_report_with_a_page_line(index_dir):
    result = invoke("search", "监管", "--limit", "2", "--index", str(index_dir))
    assert result.exit_code == 0, result.output
    first_line = result.output.splitlines()[0]
    assert "第 1/3 页" in first_line and "分词：监管" in first_line
    titles = [line for line in result.output.splitlines() if line and not line.startswith(" ") and "[" in line]
    assert len(titles) == 2 == len(set(titles))  # each report's title once, two reports on the page


def test_browse_prints_no_empty_segmentation(index_dir):
    result = invoke("search", "", "--measure", "秒批", "--index", str(index_dir))
    assert result.exit_code == 0 and "分词" not in result.output


def test_size_is_an_alias_of_limit(index_dir):
    a = json.loads(invoke("search", "监管", "--size", "3", "--json", "--index", str(index_dir)).stdout)
    b = json.loads(invoke("search", "监管", "--limit", "3", "--json", "--index", str(index_dir)).stdout)
    assert a == b and a["page_size"] == 3


def test_page_past_the_end_says_so(index_dir):
    result = invoke("search", "监管", "--page", "9", "--limit", "2", "--index", str(index_dir))
    assert result.exit_code == 0 and "超出结果范围" in result.output and "--page 3" in result.output


ROOT = Path(__file__).resolve().parent.parent
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("command", ["", *sorted(cli.commands)])
def test_help_answers_in_chinese(command):
    """`python -m indexer [COMMAND] --help` in a fresh process: exit 0, no index opened, described in Chinese."""
    args = [sys.executable, "-m", "indexer", *([command] if command else []), "--help"]
    run = subprocess.run(args, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True,
                         text=True, encoding="utf-8", timeout=60)
    assert run.returncode == 0 and not run.stderr, run.stderr
    description, _, options = run.stdout.partition("Options:")
    assert CJK.search(description) and options
    if not command:  # the list of commands: each described in Chinese, none cut short
        listed = run.stdout.split("Commands:")[1].strip().splitlines()
        assert len(listed) == len(cli.commands)
        assert all(CJK.search(line) and "..." not in line for line in listed), listed


def test_every_command_and_option_is_described_in_chinese():
    for name, command in cli.commands.items():
        assert command.help and CJK.search(command.help.partition("\n\n")[0]), name
        for param in command.params:
            if isinstance(param, click.Option):
                assert param.help and CJK.search(param.help), (name, param.opts)


def test_an_exact_phrase_is_shown_whole_not_segmented(index_dir, client):
    first_line = invoke("search", '"双随机、一公开" 监管', "--index", str(index_dir)).output.splitlines()[0]
    assert "分词：“双随机、一公开” 监管" in first_line and "双随机 一 公开" not in first_line
    page = client.get('/search?q="双随机、一公开"').get_data(as_text=True)
    analysis = page[page.index('class="analysis"'):]
    analysis = analysis[:analysis.index("</p>")]
    assert "“双随机、一公开”" in analysis and "精确短语" in analysis and "双随机 / 一" not in analysis
