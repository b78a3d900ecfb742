"""The JSON API: same dicts as the CLI, one error shape."""

import json

import pytest
from click.testing import CliRunner

from indexer.cli import cli


def cli_json(*args):
    return json.loads(CliRunner().invoke(cli, [*args, "--json"]).stdout)


def test_api_search_equals_cli_search(client, index_dir):
    response = client.get("/api/search?q=%22双随机、一公开%22&agency=广州市花都区")
    cli_out = CliRunner().invoke(cli, ["search", '"双随机、一公开"', "--agency", "广州市花都区", "--index",
                                       str(index_dir), "--json"]).stdout
    assert response.get_json() == json.loads(cli_out)
    assert list(response.get_json()) == list(json.loads(cli_out))  # same keys, same order
    assert response.get_json()["total"] == 2


def test_api_search_with_filters_only(client):
    data = client.get("/api/search?measure=秒批&year=2019").get_json()
    assert data["total"] > 0 and {h["year"] for h in data["hits"]} == {2019}


def test_api_docs_equals_cli_docs(client, index_dir):
    assert client.get("/api/docs").get_json() == cli_json("docs", "--index", str(index_dir))


def test_api_doc_has_sections_with_text(client, index_dir):
    data = client.get("/api/doc/a4f27aab176fad9a").get_json()
    assert data == cli_json("show", "a4f27aab176fad9a", "--index", str(index_dir))
    assert data["agency"] == "广州市公安局海珠区分局"
    assert data["sections"][1]["body"].startswith("2024年，我局严格依法贯彻落实")


def test_api_measures(client):
    measures = {m["name"]: m for m in client.get("/api/measures").get_json()}
    assert measures["容缺受理"]["reports"] == 2 and "容缺后补" in measures["容缺受理"]["variants"]


@pytest.mark.parametrize(
    ("url", "status"),
    [("/api/search?q=(容缺", 400), ("/api/search?page=abc", 400), ("/api/search?year=abc", 400),
     ("/api/doc/nope", 404), ("/api/search?q=-广州", 400)],
)
def test_api_errors_share_one_shape(client, url, status):
    response = client.get(url)
    body = response.get_json()
    assert response.status_code == status
    assert set(body) == {"error"} and body["error"]["status"] == status and body["error"]["message"]


def test_random_queries_are_answered_or_explained_never_500(client):
    import random

    pieces = ['"', "(", ")", " OR ", " NOT ", "-", ":", "year:", "agency:", "measure:", "容缺", "受理", "、", " ",
              "*", "|", "＂", "（", "）", "AND", "2023", "廣州", "x", "?", "\\", "%", "<script>"]
    rng = random.Random(20261122)
    for _ in range(300):
        query = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 8)))
        response = client.get("/api/search", query_string={"q": query})
        assert response.status_code in (200, 400), query
        if response.status_code == 400:
            assert response.get_json()["error"]["message"]
