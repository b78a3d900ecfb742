"""The measure taxonomy: a data file, variants, and section tags."""

from pathlib import Path

import pytest

from indexer.measures import TaxonomyError, find_measures, load_measures, measure_named, taxonomy

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
