"""Request parsing and URL helpers of the web app."""

import pytest
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import BadRequest

from webapp.params import parse_search_request, url_with, url_with_toggled, url_without_filters


@pytest.mark.parametrize(
    ("args", "name", "value", "expected"),
    [
        ([("q", "监管")], "agency", "甲", "?q=%E7%9B%91%E7%AE%A1&agency=%E7%94%B2"),
        ([("agency", "甲"), ("agency", "乙")], "agency", "甲", "?agency=%E4%B9%99"),
        ([("year", "2023"), ("page", "3")], "year", "2022", "?year=2023&year=2022"),
    ],
)
def test_url_with_toggled(args, name, value, expected):
    assert url_with_toggled(MultiDict(args), name, value) == expected


def test_url_with_resets_page_and_removes():
    args = MultiDict([("q", "x"), ("page", "2"), ("sort", "year")])
    assert url_with(args, sort=None) == "?q=x"
    assert url_with(args, page="3") == "?q=x&sort=year&page=3"


def test_url_without_filters_keeps_query():
    assert url_without_filters(MultiDict([("q", "x"), ("agency", "a"), ("sort", "year")])) == "?q=x&sort=year"


def test_parse_search_request_reads_repeatable_filters():
    req = parse_search_request(MultiDict([("q", " 容缺受理 "), ("year", "2023"), ("year", "2022"), ("page", "2")]))
    assert req.text == "容缺受理" and req.filters == {"year": ("2023", "2022")} and req.page == 2


@pytest.mark.parametrize(
    "args",
    [[("page", "-1")], [("page", "abc")], [("page", "0")], [("size", "1000")], [("sort", "random")], [("q", "容" * 300)]],
)
def test_bad_parameters_are_400_with_a_sentence(args):
    with pytest.raises(BadRequest) as err:
        parse_search_request(MultiDict(args))
    assert err.value.description


@pytest.mark.parametrize("value", ["9" * 5000, "²", "１２", "0x10", "-1"])
def test_odd_numbers_are_400s_not_500s(client, value):
    for path in ("/search", "/api/search"):
        response = client.get(path, query_string={"q": "监管", "page": value})
        assert response.status_code == 400, (path, value)
