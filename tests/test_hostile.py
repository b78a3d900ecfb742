"""Random and hostile queries and parameters at /search and /api/search: an answer, never a 500."""

from __future__ import annotations

from urllib.parse import quote_from_bytes

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from webapp.params import SEARCH_PARAMS

SYNTAX = ['"', "“", "”", "‘", "’", "「", "」", "『", "』", "《", "》", "〈", "〉", "«", "»", "„", "‚", "‹", "›", "＂",
          "＇", "〝", "〞", "'", "(", ")", "（", "）", "[", "]", "{", "}", "AND", "OR", "NOT", "and", "or", "not",
          "-", "－", "+", ":", "：", "*", "?", "~", "^", "\\", "/", "!", "&", "|", ";", "%", "#", "<", ">", "=", "年份:",
          "year:", "year:2030-2019", "year:-", "机构:", "agency:", "title:", "measure:", "foo:bar", "未注明", "容缺受理",
          "双随机、一公开", "花都区", "广州", "2023", "\x00", "\t", "\n", "\u200b", "\ufeff", "\u202e", "\ud800", "\udfff",
          "𠀀", "😀", "ⅷ", "١٢٣", "Ω", "ß", "é"]
SCRIPTS = st.characters(exclude_categories=())  # every code point, lone surrogates and controls included
PIECES = st.one_of(st.sampled_from(SYNTAX), st.text(SCRIPTS, max_size=8), st.integers(-10**20, 10**20).map(str))
SHORT = st.lists(PIECES, max_size=8).map(" ".join) | st.lists(PIECES, max_size=8).map("".join)
VALUE = st.one_of(SHORT, st.builds(lambda piece, n: piece * n, PIECES, st.integers(20, 600)))
UNKNOWN = ["format", "q[]", "页", "", "x" * 300, "\x00", "\ud800", "query"]
NAMES = st.sampled_from([*SEARCH_PARAMS * 20, *UNKNOWN])  # mostly known: an unknown one is refused at once
GOOD = {"page": ["1", "2", "1000"], "size": ["1", "10", "100"], "limit": ["5", "100"], "sort": ["relevance", "year"],
        "group": ["1", "true", "report", ""], "doc": ["86886a773e152663", "0123456789abcdef"],
        "measure": ["容缺受理", "秒批", "双随机一公开"], "year": ["2022", "2019-2023", "-2020", "未注明"],
        "doc_type": ["licensing_report", "other"], "section_type": ["存在问题", "其他"], "agency": ["花都", "未注明"],
        "region": ["广州", "广东省", "黄埔"]}  # valid values, so that most requests get past validation


def param(name: str) -> st.SearchStrategy[tuple[str, str]]:
    values = st.one_of(st.sampled_from(GOOD[name]), VALUE) if name in GOOD else VALUE
    return st.tuples(st.just(name), values)


PARAMS = st.lists(NAMES.flatmap(param), max_size=5)


def encoded(text: str) -> str:
    """Percent-encoded UTF-8 (lone surrogates as their raw 3-byte forms, as a broken client sends them)."""
    return quote_from_bytes(text.encode("utf-8", "surrogatepass"), safe="")


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(path=st.sampled_from(["/search", "/api/search"]), params=PARAMS)
def test_hostile_parameters_never_make_a_server_error(app, path, params):
    query = "&".join(f"{encoded(name)}={encoded(value)}" for name, value in params)
    response = app.test_client().get(f"{path}?{query}")
    assert response.status_code < 500, (path, params, response.get_data(as_text=True)[:300])
    if path == "/api/search":
        assert response.is_json
