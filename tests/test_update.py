"""Updates: build re-reads only new or changed files, add and remove; each a new generation."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from small_reports import report_text, write_report

import indexer.index.build as build_module
from indexer import BuildError, IndexBusy, QueryError, SearchRequest, open_index
from indexer.cli import cli
from indexer.index.storage import COMPLETE, current_generation, write_lock
from indexer.index.update import update_index

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def corpus(tmp_path: Path) -> tuple[Path, Path]:
    """A source folder of three small reports (one in a subfolder), indexed."""
    src, index = tmp_path / "src", tmp_path / "index"
    for serial in (0, 1):
        write_report(src, serial)
    write_report(src, 2, "分局/r002.txt")
    update_index([src], index)
    return src, index


def docs(index: Path) -> dict[str, str]:
    """file → doc_id of the live reports."""
    return {r["file"]: r["doc_id"] for r in open_index(index).reports()}


def finds(index: Path, query: str, **filters: str) -> set[str]:
    result = open_index(index).search(SearchRequest(query, {k: (v,) for k, v in filters.items()}, page_size=100))
    return {h.file for h in result.hits}


def doc_id(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def test_an_update_equals_a_full_build_and_parses_only_what_changed(corpus, tmp_path, monkeypatch):
    src, index = corpus
    parsed: list[str] = []
    real = build_module.parse_report
    monkeypatch.setattr(build_module, "parse_report", lambda source: parsed.append(source.name) or real(source))
    write_report(src, 7)  # new
    (src / "r001.txt").write_text(report_text(1).replace("基层窗口", "部分窗口"), encoding="utf-8")  # changed
    (src / "分局" / "r002.txt").unlink()  # removed
    stats = update_index([src], index)
    assert (stats.full, stats.added, stats.updated, stats.removed, stats.unchanged) == (False, 1, 1, 1, 1)
    assert sorted(parsed) == ["r001.txt", "r007.txt"]
    full = tmp_path / "full"
    update_index([src], full, full=True)
    assert docs(index) == docs(full) == {"r000.txt": doc_id(src / "r000.txt"), "r001.txt": doc_id(src / "r001.txt"),
                                         "r007.txt": doc_id(src / "r007.txt")}
    for query, filters in [('"专项007号"', {}), ("部分窗口", {}), ("基层窗口", {}), ("", {"measure": "容缺受理"}),
                           ("", {}), ("NOT 专项000号", {"measure": "容缺受理"}), ("", {"agency": "江门市交通运输局"})]:
        assert finds(index, query, **filters) == finds(full, query, **filters), query
    with pytest.raises(QueryError, match="韶关市生态环境局"):  # the removed report's agency is gone, as in a full build
        finds(index, "", agency="韶关市生态环境局")
    ours = open_index(index).search(SearchRequest("", {}, page_size=100))
    theirs = open_index(full).search(SearchRequest("", {}, page_size=100))
    assert ours.facets == theirs.facets and ours.total == theirs.total
    assert {h.id for h in ours.hits} == {h.id for h in theirs.hits}  # passage ids do not depend on the build


def test_an_unchanged_source_makes_no_new_generation(corpus):
    src, index = corpus
    live = current_generation(index)
    stats = update_index([src], index)
    assert not stats.changed and stats.unchanged == 3 and current_generation(index) == live


def test_add_by_name_or_path_and_remove_files_or_a_folder(corpus):
    src, index = corpus
    write_report(src, 8)
    write_report(src, 9)
    update_index([src], index, add=[Path("r008.txt")])  # a name relative to the source folder
    assert "r008.txt" in docs(index) and "r009.txt" not in docs(index)
    update_index([src], index, add=[src / "r009.txt"])
    assert finds(index, '"专项009号"') == {"r009.txt"}
    stats = update_index([src], index, remove=["分局", str(src / "r000.txt")])
    assert stats.removed == 2 and set(docs(index)) == {"r001.txt", "r008.txt", "r009.txt"}
    assert finds(index, '"专项002号"') == set() and open_index(index).document(doc_id(src / "r000.txt")) is None
    with pytest.raises(BuildError, match="索引中没有文件：r000.txt"):
        update_index([src], index, remove=["r000.txt"])


def test_add_refuses_a_file_outside_the_source_folder(corpus, tmp_path):
    src, index = corpus
    outside = write_report(tmp_path / "elsewhere", 5)
    with pytest.raises(BuildError, match="不在源目录"):
        update_index([src], index, add=[outside])
    with pytest.raises(BuildError, match="文件不存在"):
        update_index([src], index, add=[Path("nope.txt")])
    with pytest.raises(BuildError, match="不在源目录"):  # also when there is no index yet
        update_index([src], tmp_path / "fresh", add=[outside])


def test_a_file_whose_bytes_are_already_indexed_is_a_repeat_until_the_original_goes(corpus):
    src, index = corpus
    shutil.copy(src / "r000.txt", src / "copy.txt")
    stats = update_index([src], index)
    assert [s.file for s in stats.skipped] == ["copy.txt"] and "r000.txt" in stats.skipped[0].error
    (src / "r000.txt").unlink()
    update_index([src], index)
    assert set(docs(index)) == {"copy.txt", "r001.txt", "分局/r002.txt"}


def test_another_manifest_means_a_full_rebuild_and_build_says_why(corpus, tmp_path):
    src, index = corpus
    gen = index / current_generation(index)  # type: ignore[operator]
    manifest = json.loads((gen / COMPLETE).read_text(encoding="utf-8"))
    (gen / COMPLETE).write_text(json.dumps({**manifest, "taxonomy": "0" * 16}), encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", "--source", str(src), "--index", str(index)])
    assert result.exit_code == 0 and "完整重建（措施分类文件已修改）" in result.stdout
    assert "完整重建" not in CliRunner().invoke(cli, ["build", "--source", str(src), "--index", str(index)]).stdout


def test_an_update_never_touches_the_live_generations_files(corpus):
    src, index = corpus
    live = index / current_generation(index)  # type: ignore[operator]

    def fingerprint() -> dict[str, str]:
        return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in live.iterdir()}

    before = fingerprint()
    write_report(src, 11)
    (src / "r001.txt").unlink()
    update_index([src], index)
    assert fingerprint() == before
    assert current_generation(index) != live.name


def test_the_next_writer_removes_a_partial_generation(corpus):
    src, index = corpus
    partial = index / "gen-20000101T000000-1-000000"
    partial.mkdir()
    (partial / "catalog.sqlite").write_bytes(b"half")
    write_report(src, 12)
    update_index([src], index, add=[Path("r012.txt")])
    assert not partial.exists()


def test_a_second_writer_is_told_in_one_line_and_readers_do_not_wait(corpus):
    src, index = corpus
    with write_lock(index):
        with pytest.raises(IndexBusy):
            update_index([src], index)
        result = CliRunner().invoke(cli, ["add", "r000.txt", "--source", str(src), "--index", str(index)])
        assert result.exit_code == 1 and result.output.strip().count("\n") == 0 and "另一个索引构建" in result.output
        assert finds(index, '"专项001号"') == {"r001.txt"}  # searching while the lock is held
        other = subprocess.run([sys.executable, "-m", "indexer", "build", "--source", str(src), "--index", str(index)],
                               cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, timeout=60)
        message = other.stderr.decode().strip()
        assert other.returncode == 1 and "\n" not in message and "另一个索引构建正在进行" in message  # another process


def test_the_web_app_serves_an_update_without_restart(corpus):
    from webapp import create_app

    src, index = corpus
    client = create_app({"TESTING": True, "INDEX_DIR": str(index), "BUILD_IF_MISSING": False}).test_client()
    assert client.get("/api/search?q=%22专项013号%22").get_json()["total"] == 0
    write_report(src, 13)

    def served(total: int) -> dict:  # the watcher swaps the new generation in the background
        deadline = time.monotonic() + 30
        while (found := client.get("/api/search?q=%22专项013号%22").get_json())["total"] != total \
                and time.monotonic() < deadline:
            time.sleep(0.1)
        return found

    update_index([src], index, add=[Path("r013.txt")])
    assert [h["file"] for h in served(1)["hits"]] == ["r013.txt"]
    update_index([src], index, remove=["r013.txt"])
    assert served(0)["total"] == 0
    assert "r013.txt" not in {d["file"] for d in client.get("/api/docs").get_json()}


def test_a_generation_stays_while_an_open_index_reads_it(corpus):
    src, index = corpus
    reader = open_index(index)
    held = index / reader.generation
    for serial in (20, 21, 22):  # three updates: without the reader's hold its generation would go
        write_report(src, serial)
        update_index([src], index, add=[Path(f"r{serial:03d}.txt")])
    assert held.is_dir()
    doc = reader.report(doc_id(src / "r001.txt"))
    assert doc is not None and reader.document(doc["doc_id"]) is not None  # the catalog is still there
    reader.close()
    write_report(src, 23)
    update_index([src], index, add=[Path("r023.txt")])
    assert not held.exists() and len(list(index.glob("gen-*"))) == 2


def test_an_unchanged_file_is_not_even_read_and_a_disguised_change_is_still_seen(corpus, monkeypatch):
    src, index = corpus
    reads: list[str] = []
    real = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: (reads.append(self.name) if src in self.parents else None)
                        or real(self))
    assert not update_index([src], index).changed and reads == []  # size, mtime, ctime, inode: as indexed
    os.utime(src / "r000.txt")  # touched: same bytes
    assert not update_index([src], index).changed and reads == ["r000.txt"]  # hashed, not parsed
    path = src / "r001.txt"
    before = path.stat()
    path.write_text(report_text(1).replace("基层窗口", "一线窗口"), encoding="utf-8")  # same length
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # and the old mtime, as `cp -p` would leave
    assert path.stat().st_size == before.st_size
    stats = update_index([src], index)
    assert stats.updated == 1 and finds(index, '"一线窗口"') == {"r001.txt"}
    reads.clear()
    assert not update_index([src], index).changed and reads == []  # r000's new stamp was recorded


def cli_run(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_an_index_remembers_its_source_folder_for_build_and_add(tmp_path, monkeypatch):
    """The data-loss case: `build --index DIR` without --source on an index of another folder
    read the default folder and deleted the index's own reports."""
    src, index, shipped = tmp_path / "mine", tmp_path / "index", tmp_path / "shipped"
    for serial in (0, 1, 2):
        write_report(src, serial)
    write_report(shipped, 3)
    monkeypatch.setenv("ZCJS_SOURCE_DIR", str(shipped))  # the default folder holds other reports
    assert cli_run("build", "--source", str(src), "--index", str(index)).exit_code == 0
    before = docs(index)
    write_report(src, 4)
    result = cli_run("build", "--index", str(index))  # only --index: the index's own folder is read
    assert result.exit_code == 0, result.output
    assert "新增 1 份" in result.stdout and "删除 0 份" in result.stdout
    assert set(docs(index)) == set(before) | {"r004.txt"}
    write_report(src, 5)
    result = cli_run("add", str(src / "r005.txt"), "--index", str(index))  # refused before: no --source
    assert result.exit_code == 0, result.output
    assert cli_run("add", "r006.txt", "--index", str(index)).exit_code == 1  # a name, relative to it, that is missing
    write_report(src, 6)
    assert cli_run("add", "r006.txt", "--index", str(index)).exit_code == 0
    assert set(docs(index)) == {f"r00{n}.txt" for n in (0, 1, 2, 4, 5, 6)}


def test_a_foreign_source_is_refused_in_one_line_unless_replace_source(tmp_path):
    src, other, index = tmp_path / "mine", tmp_path / "other", tmp_path / "index"
    for serial in (0, 1):
        write_report(src, serial)
    write_report(other, 2)
    update_index([src], index)
    live = current_generation(index)
    result = cli_run("build", "--source", str(other), "--index", str(index))
    assert result.exit_code == 1 and current_generation(index) == live
    assert len(result.output.strip().splitlines()) == 1
    assert "--replace-source" in result.output and str(src.resolve()) in result.output
    assert cli_run("build", "--full", "--source", str(other), "--index", str(index)).exit_code == 1  # --full alone is no licence
    assert set(docs(index)) == {"r000.txt", "r001.txt"}
    both = cli_run("build", "--source", str(src), "--source", str(other), "--index", str(index))
    assert both.exit_code == 0 and set(docs(index)) == {"r000.txt", "r001.txt", "r002.txt"}  # adding a folder loses nothing
    replaced = cli_run("build", "--source", str(other), "--replace-source", "--index", str(index))
    assert replaced.exit_code == 0 and set(docs(index)) == {"r002.txt"}
    write_report(other, 3)
    assert cli_run("build", "--index", str(index)).exit_code == 0 and set(docs(index)) == {"r002.txt", "r003.txt"}
    other.rename(tmp_path / "moved")  # a remembered folder that moved: said so, nothing deleted
    moved = cli_run("build", "--index", str(index))
    assert moved.exit_code == 1 and "不存在" in moved.output and "--replace-source" in moved.output
    assert set(docs(index)) == {"r002.txt", "r003.txt"}


def test_an_index_that_remembers_no_folder_is_not_emptied_by_the_default_one(corpus, tmp_path, monkeypatch):
    src, index = corpus
    gen = index / current_generation(index)  # type: ignore[operator]
    manifest = json.loads((gen / COMPLETE).read_text(encoding="utf-8"))
    (gen / COMPLETE).write_text(json.dumps({k: v for k, v in manifest.items() if k != "sources"}), encoding="utf-8")
    shipped = tmp_path / "shipped"
    write_report(shipped, 4)
    monkeypatch.setenv("ZCJS_SOURCE_DIR", str(shipped))
    result = cli_run("build", "--index", str(index))
    assert result.exit_code == 1 and "3 份报告不在" in result.output and "--source" in result.output
    assert set(docs(index)) == {"r000.txt", "r001.txt", "分局/r002.txt"}
