"""A damaged index (issue 20): one line, the previous generation served if there is one, a clear
page if not (never a 500), and `build` rebuilds it by itself."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from small_reports import write_report

from indexer import IndexMissing, SearchRequest, open_index
from indexer.cli import cli
from indexer.index.storage import CURRENT, IndexDamaged, current_generation
from indexer.index.update import update_index


def _live(index: Path) -> Path:
    return index / str(current_generation(index))


def _truncate_catalog(index: Path) -> None:
    with open(_live(index) / "catalog.sqlite", "r+b") as handle:
        handle.truncate(4096)


def _delete_segment(index: Path) -> None:
    next(p for p in _live(index).iterdir() if p.suffix in (".seg", ".pst")).unlink()  # compound or in parts


def _delete_toc(index: Path) -> None:
    next(_live(index).glob("*.toc")).unlink()


def _garbage_manifest(index: Path) -> None:
    (_live(index) / "manifest.json").write_bytes(b"\x00{not json")


def _same_size_arrays(index: Path) -> None:
    path = _live(index) / "m.report.npy"  # a mapped array every open reads (arrays.npz: only the writer)
    path.write_bytes(b"x" * path.stat().st_size)


def _garbage_search_text(index: Path) -> None:
    (_live(index) / "search.txt").write_bytes(b"\xff\xfe" * 8)


def _binary_current(index: Path) -> None:
    (index / CURRENT).write_bytes(b"\xff\xfe\x00gen")


def _current_to_nowhere(index: Path) -> None:
    (index / CURRENT).write_text("gen-20990101T000000-1-000001", encoding="utf-8")


DAMAGES: dict[str, Callable[[Path], None]] = {
    "truncated catalog": _truncate_catalog, "deleted segment": _delete_segment, "deleted toc": _delete_toc,
    "garbage manifest": _garbage_manifest, "same-size garbage arrays": _same_size_arrays,
    "garbage search text": _garbage_search_text, "binary CURRENT": _binary_current,
    "CURRENT to nowhere": _current_to_nowhere,
}
LIVE_ONLY = ("truncated catalog", "deleted segment", "garbage manifest", "same-size garbage arrays",
             "garbage search text")  # damages of the live generation's files (CURRENT's need none)


def _index(tmp_path: Path, generations: int) -> tuple[Path, Path]:
    """Three reports indexed; with 2 generations the previous one holds a fourth."""
    src, index = tmp_path / "src", tmp_path / "index"
    for serial in range(3):
        write_report(src, serial)
    if generations == 2:
        write_report(src, 99)
        update_index([src], index)
        (src / "r099.txt").unlink()
    update_index([src], index)
    return src, index


def _searchable(index: Path) -> int:
    ix = open_index(index)
    try:
        return ix.search(SearchRequest("容缺受理")).total_reports
    finally:
        ix.close()


@pytest.mark.parametrize("how", sorted(DAMAGES))
def test_a_damaged_index_is_one_line_and_build_repairs_it(tmp_path, how):
    src, index = _index(tmp_path, 1)
    DAMAGES[how](index)
    if how in LIVE_ONLY:
        with pytest.raises(IndexDamaged) as err:
            open_index(index)
        assert "\n" not in str(err.value) and "索引已损坏" in str(err.value) and "build" in str(err.value)
        shown = CliRunner().invoke(cli, ["search", "容缺受理", "--index", str(index)])
        assert shown.exit_code == 1 and shown.output.count("\n") == 1 and "索引已损坏" in shown.output
    built = CliRunner().invoke(cli, ["build", "--source", str(src), "--index", str(index)])
    assert built.exit_code == 0 and "完整重建（索引已损坏" in built.output, built.output
    assert _searchable(index) == 3
    ix = open_index(index)
    assert ix.warnings == [] and ix.generation == current_generation(index)
    ix.close()


@pytest.mark.parametrize("how", ["truncated catalog", "deleted toc", "same-size garbage arrays"])
def test_the_previous_generation_stands_in_for_a_damaged_live_one(tmp_path, how):
    _, index = _index(tmp_path, 2)
    DAMAGES[how](index)
    ix = open_index(index)
    assert ix.generation != current_generation(index)
    assert ix.warnings[0].startswith("索引已损坏") and "暂用上一版索引" in ix.warnings[0]
    assert ix.search(SearchRequest("容缺受理")).total_reports == 4  # the previous reports, all of them
    assert not ix.is_stale()  # standing in is not reopened on every request
    ix.close()


def _app(index: Path, **config: object):
    from webapp import create_app

    return create_app({"TESTING": True, "INDEX_DIR": str(index), "BUILD_IF_MISSING": True,
                       "SOURCE_DIR": str(index.parent / "src"), **config})


def test_the_web_app_serves_the_previous_generation_and_says_so(tmp_path):
    _, index = _index(tmp_path, 2)
    _delete_segment(index)
    client = _app(index).test_client()
    page = client.get("/search?q=容缺受理")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert 'class="index-notice"' in text and "暂用上一版索引" in text
    api = client.get("/api/search?q=容缺受理").get_json()
    assert "暂用上一版索引" in api["warnings"][0]


def test_the_web_app_without_a_good_generation_answers_a_clear_page_then_recovers(tmp_path):
    src, index = _index(tmp_path, 1)
    _garbage_manifest(index)
    client = _app(index).test_client()  # starts: never a traceback at start
    for path in ("/search?q=容缺受理", "/compare?measure=容缺受理", "/figures"):
        page = client.get(path)
        assert page.status_code == 503 and "索引已损坏" in page.get_data(as_text=True), path
    api = client.get("/api/search?q=容缺受理")
    assert api.status_code == 503 and "索引已损坏" in api.get_json()["error"]["message"]
    update_index([src], index)  # repaired by a build while the app runs
    assert client.get("/search?q=容缺受理").status_code == 200


def test_a_store_damaged_under_a_running_app_gives_a_page_not_a_500(tmp_path):
    _, index = _index(tmp_path, 1)
    client = _app(index).test_client()
    assert client.get("/search?q=容缺受理").status_code == 200
    with open(_live(index) / "catalog.sqlite", "r+b") as handle:  # cut short in place, under the open store
        handle.truncate(0)
    answers: list[int] = []
    worker = threading.Thread(target=lambda: answers.append(client.get("/search?q=监管").status_code))
    worker.start()  # a new thread opens its own connection to the store: it finds the damage
    worker.join(timeout=60)
    assert answers == [503]


def test_a_damaged_generation_published_under_a_running_app_is_not_served(tmp_path):
    src, index = _index(tmp_path, 1)
    client = _app(index, INDEX_POLL_SECONDS=3600).test_client()
    assert client.get("/search?q=容缺受理").status_code == 200
    write_report(src, 50)
    update_index([src], index)
    _delete_toc(index)
    client.application.extensions["live_index"].refresh()  # what the watcher does (its poll set long here)
    page = client.get("/search?q=容缺受理")
    assert page.status_code == 200 and "暂用上一版索引" in page.get_data(as_text=True)


def test_index_missing_is_still_its_own_message(tmp_path):
    with pytest.raises(IndexMissing, match="索引不存在"):
        open_index(tmp_path)
