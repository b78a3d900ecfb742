"""The measure taxonomy: a data file, variants, and section tags."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from indexer.ingest.measures import TaxonomyError, find_measures, load_measures, measure_named, taxonomy

REQUIRED = ["容缺受理", "双随机一公开", "告知承诺制", "一件事一次办", "全流程网办", "秒批", "电子证照", "好差评",
            "一窗通办", "证照分离", "最多跑一次", "不见面审批", "全城通办", "信用监管", "中介服务", "12345热线"]


def test_taxonomy_has_the_required_measures():
    names = [m.name for m in taxonomy()]
    assert set(REQUIRED) <= set(names)


@pytest.mark.parametrize(
    ("variant", "name"),
    [("容缺办理", "容缺受理"), ("“容缺”受理", "容缺受理"), ("“双随机、一公开”", "双随机一公开"),
     ("一窗综合受理", "一窗通办"), ("跨域通办", "全城通办"), ("容缺後補", "容缺受理")],
)
def test_variants_name_their_measure(variant, name):
    assert measure_named(variant).name == name


def test_sections_are_tagged_with_the_measures_they_mention(reports):
    tagged = [s for s in reports["001"].sections if "容缺受理" in s.measures]
    assert {s.heading for s in tagged} == {"(一)依法实施情况", "(五)创新方式情况"}
    assert "12345热线" in find_measures("畅通12345政务服务便民热线")
    assert find_measures("一般性描述") == ()


def test_malformed_taxonomy_file_is_a_clear_error(tmp_path: Path):
    bad = tmp_path / "measures.toml"
    bad.write_text("[[measure]]\nvariants = ['x']\n", encoding="utf-8")
    with pytest.raises(TaxonomyError, match="measures.toml"):
        load_measures(bad)


def test_a_bad_pattern_names_its_entry_in_one_line(tmp_path: Path):
    bad = tmp_path / "measures.toml"
    bad.write_text('[[measure]]\nname = "秒批"\nvariants = ["秒批"]\n\n[[measure]]\nname = "容缺受理"\n'
                   'variants = ["容缺受理"]\npatterns = ["(unclosed"]\n', encoding="utf-8")
    with pytest.raises(TaxonomyError) as err:
        load_measures(bad)
    assert "第 2 个措施“容缺受理”" in str(err.value) and "(unclosed" in str(err.value) and "\n" not in str(err.value)


def _run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "indexer", *args], capture_output=True, text=True,
                          env={**os.environ, **env}, cwd=Path(__file__).parent.parent, timeout=120)


def test_cli_reports_a_bad_taxonomy_in_one_line(tmp_path: Path):
    bad = tmp_path / "measures.toml"
    bad.write_text('[[measure]]\nname = "秒批"\npatterns = ["(unclosed"]\n', encoding="utf-8")
    done = _run("build", "--index", str(tmp_path / "ix"), env={"ZCJS_MEASURES_FILE": str(bad)})
    assert done.returncode == 1
    assert done.stderr.strip().count("\n") == 0 and "“秒批”" in done.stderr and "Traceback" not in done.stderr


def test_a_measure_added_without_rebuild_says_so(tmp_path: Path, index_dir: Path):
    from indexer.config import MEASURES_FILE

    more = tmp_path / "measures.toml"
    more.write_text(MEASURES_FILE.read_text(encoding="utf-8")
                    + '\n[[measure]]\nname = "首违不罚"\nvariants = ["首违不罚", "轻微违法不罚"]\n', encoding="utf-8")
    env = {"ZCJS_MEASURES_FILE": str(more)}
    browse = _run("search", "", "--measure", "首违不罚", "--index", str(index_dir), env=env)
    assert browse.returncode == 1 and "重新建索引" in browse.stderr
    text = _run("search", "监管", "--index", str(index_dir), env=env)
    assert text.returncode == 0 and "新增 首违不罚" in text.stderr
