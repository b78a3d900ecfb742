"""Saved searches: kept in the index folder across rebuilds, re-run with what changed since."""

from __future__ import annotations

import json
import multiprocessing
from pathlib import Path

import pytest
from click.testing import CliRunner
from small_reports import report_text, write_report

from indexer import QueryError, SearchRequest, open_index
from indexer.cli import cli
from indexer.index.update import update_index
from indexer.research.saved import (
    SAVED_FILE,
    SavedSearchError,
    SavedSearchMissing,
    load_saved,
    mark_seen,
    run_saved,
    save_search,
)

ASK = SearchRequest("容缺受理", {"agency": ("江门",)})


@pytest.fixture
def corpus(tmp_path: Path) -> tuple[Path, Path]:
    """Reports 0–7 (two agencies per serial mod 4), indexed; serial 3 and 7 are 江门市交通运输局's."""
    src, index = tmp_path / "src", tmp_path / "index"
    for serial in range(8):
        write_report(src, serial)
    update_index([src], index)
    return src, index


def files(refs) -> set[str]:
    return {r.file for r in refs}


def test_a_saved_search_survives_rebuilds_and_says_what_changed(corpus):
    src, index = corpus
    saved = save_search(open_index(index), "江门 容缺", ASK)
    assert files(saved.reports) == {"r003.txt", "r007.txt"}
    assert (index / SAVED_FILE).exists() and not list(index.glob(f"gen-*/{SAVED_FILE}"))
    write_report(src, 11)  # another 江门 report
    (src / "r003.txt").unlink()
    (src / "r007.txt").write_text(report_text(7).replace("容缺受理", "帮办代办"), encoding="utf-8")  # no longer says it
    update_index([src], index)
    update_index([src], index, full=True)  # a full rebuild: a new generation from scratch
    run = run_saved(open_index(index), "江门 容缺")
    assert files(run.reports) == files(run.new) == {"r011.txt"}
    assert files(run.removed) == {"r003.txt", "r007.txt"}
    data = run.to_dict()
    assert data["since"] == saved.checked and data["total_reports"] == 1
    assert {r["file"] for r in data["removed"]} == {"r003.txt", "r007.txt"}
    mark_seen(open_index(index), "江门 容缺")
    again = run_saved(open_index(index), "江门 容缺")
    assert not again.changed and files(again.reports) == {"r011.txt"}


def test_names_and_queries_are_checked_and_nothing_is_lost(corpus):
    _, index = corpus
    ix = open_index(index)
    save_search(ix, "a", ASK)
    with pytest.raises(SavedSearchError, match="已有名为“a”"):
        save_search(ix, "a", SearchRequest("告知承诺"))
    assert save_search(ix, "a", SearchRequest("告知承诺"), replace=True).query == "告知承诺"
    with pytest.raises(QueryError):
        save_search(ix, "broken", SearchRequest('"双随机'))
    for bad in ("", "   ", "a/b", "x" * 41):
        with pytest.raises(SavedSearchError):
            save_search(ix, bad, ASK)
    with pytest.raises(SavedSearchMissing, match="已保存的有 a"):
        run_saved(ix, "nope")
    assert [s.name for s in load_saved(index)] == ["a"]


def _save_many(index: str, prefix: str) -> None:
    ix = open_index(Path(index))
    for i in range(6):
        save_search(ix, f"{prefix}{i}", ASK)


def test_two_processes_saving_at_once_lose_nothing(corpus):
    _, index = corpus
    ctx = multiprocessing.get_context("fork")
    procs = [ctx.Process(target=_save_many, args=(str(index), p)) for p in ("p", "q")]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(60)
    assert sorted(s.name for s in load_saved(index)) == sorted(f"{p}{i}" for p in "pq" for i in range(6))


def test_cli_saved_commands_speak_the_api_json(corpus):
    src, index = corpus
    runner = CliRunner()
    added = runner.invoke(cli, ["saved", "add", "江门", "容缺受理", "--agency", "江门", "--index", str(index), "--json"])
    assert added.exit_code == 0, added.output
    assert json.loads(added.stdout)["filters"] == {"agency": ["江门"]}
    write_report(src, 15)
    update_index([src], index)
    run = runner.invoke(cli, ["saved", "run", "江门", "--index", str(index)])
    assert run.exit_code == 0 and "新增 1 份" in run.stdout and "+ 江门市交通运输局" in run.stdout
    seen = runner.invoke(cli, ["saved", "run", "江门", "--seen", "--json", "--index", str(index)])
    assert {r["file"] for r in json.loads(seen.stdout)["new"]} == {"r015.txt"}
    assert "没有变化" in runner.invoke(cli, ["saved", "run", "江门", "--index", str(index)]).stdout
    listed = json.loads(runner.invoke(cli, ["saved", "list", "--json", "--index", str(index)]).stdout)
    assert [(s["name"], s["reports"]) for s in listed] == [("江门", 3)]
    missing = runner.invoke(cli, ["saved", "run", "nope", "--index", str(index)])
    assert missing.exit_code == 1 and "没有名为“nope”" in missing.output
    assert runner.invoke(cli, ["saved", "remove", "江门", "--index", str(index)]).exit_code == 0
    assert load_saved(index) == []


@pytest.fixture
def web(corpus):
    from webapp import create_app

    _, index = corpus
    return create_app({"TESTING": True, "INDEX_DIR": str(index), "BUILD_IF_MISSING": False}).test_client()


def test_save_from_the_search_page_list_on_home_and_rerun(web, corpus):
    src, index = corpus
    page = web.get("/search?q=容缺受理&agency=江门").get_data(as_text=True)
    assert 'action="/saved"' in page and 'name="agency" value="江门"' in page
    response = web.post("/saved", data={"action": "save", "name": "江门 容缺", "q": "容缺受理", "agency": "江门"})
    assert response.status_code == 303 and response.headers["Location"].startswith("/saved?name=")
    home = web.get("/").get_data(as_text=True)
    assert "保存的检索" in home and "江门 容缺" in home and "容缺受理 · 机构=江门" in home
    write_report(src, 19)
    update_index([src], index)
    web.application.extensions["live_index"].refresh()  # what the app's watcher does within a second
    shown = web.get("/saved?name=江门 容缺").get_data(as_text=True)
    assert "新增 <strong>1</strong> 份" in shown and "不再匹配 <strong>0</strong> 份" in shown
    new = shown[shown.index('class="plain saved-new"'):]
    assert new[:new.index("</ul>")].count("<li>") == 1 and "江门市交通运输局" in new
    assert 'value="seen"' in shown
    assert web.post("/saved", data={"action": "seen", "name": "江门 容缺"}).status_code == 303
    assert "没有变化" in web.get("/saved?name=江门 容缺").get_data(as_text=True)
    assert web.get("/saved?name=nope").status_code == 404
    assert web.post("/saved", data={"action": "save", "name": "x", "q": '"双随机'}).status_code == 400
    assert web.post("/saved", data={"action": "delete", "name": "江门 容缺"}).status_code == 303
    assert "江门 容缺" not in web.get("/").get_data(as_text=True)


def test_api_saved_is_the_cli_json(web, corpus):
    _, index = corpus
    created = web.post("/api/saved", json={"name": "r", "q": "容缺受理", "filters": {"agency": ["江门"]}})
    assert created.status_code == 201 and created.get_json()["name"] == "r"
    cli_run = CliRunner().invoke(cli, ["saved", "run", "r", "--json", "--index", str(index)])
    assert web.get("/api/saved?name=r").get_json() == json.loads(cli_run.stdout)
    assert [s["name"] for s in web.get("/api/saved").get_json()] == ["r"]
    for body, status in (({"name": "r", "q": "x"}, 400), ({"name": "r", "action": "jump"}, 400),
                         ({"name": "r", "filters": {"colour": ["red"]}}, 400), ("[]", 400),
                         ({"name": "zz", "action": "seen"}, 404)):
        response = web.post("/api/saved", json=body)
        assert response.status_code == status and "error" in response.get_json(), body
    assert web.post("/api/saved", json={"name": "r", "action": "delete"}).get_json() == {"deleted": "r"}
