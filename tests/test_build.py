"""Building: encodings, broken files reported and skipped, atomic publication."""

import shutil
from pathlib import Path

import pytest
from conftest import SEEDS

from indexer import BuildError, IndexBusy, build_index, open_index
from indexer.index.storage import current_generation, write_lock
from indexer.ingest.reading import ReadError, decode


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """Two real reports, one saved as GB18030 and one as UTF-8 with a BOM, plus broken files."""
    src = tmp_path / "reports"
    src.mkdir()
    (src / "gbk.txt").write_bytes(SEEDS["003"].read_text(encoding="utf-8").encode("gb18030"))
    (src / "bom.txt").write_bytes(b"\xef\xbb\xbf" + SEEDS["000"].read_bytes())
    (src / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (src / "empty.txt").write_bytes(b"")
    (src / "slides.pptx").write_bytes(b"PK\x03\x04")
    return src


def test_broken_files_are_reported_by_name_and_the_rest_indexed(corpus, tmp_path):
    stats = build_index([corpus], tmp_path / "index")
    assert stats.documents == 2
    errors = {s.file: s.error for s in stats.skipped}
    assert set(errors) == {"binary.txt", "empty.txt", "slides.pptx"}
    assert "为空" in errors["empty.txt"] and "格式" in errors["slides.pptx"] and "二进制" in errors["binary.txt"]
    titles = {r["title"] for r in open_index(tmp_path / "index").reports()}
    assert "广州市公安局海珠区分局2024年度行政许可实施和监督管理情况报告" in titles


def test_duplicate_files_are_indexed_once(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(SEEDS["003"], src / "a.txt")
    shutil.copy(SEEDS["003"], src / "b.txt")
    stats = build_index([src], tmp_path / "index")
    assert stats.documents == 1 and "a.txt" in stats.skipped[0].error


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16"])
def test_decode_supported_encodings(encoding):
    text = "广州市花都区2022年度行政许可实施和监督管理情况报告"
    assert decode(text.encode(encoding))[0] == text


def test_undecodable_bytes_are_a_read_error():
    with pytest.raises(ReadError):
        decode(b"\xff\xfe\xfd" * 3000 + b"\x81")


def test_nothing_indexable_keeps_the_previous_index(tmp_path):
    index_dir = tmp_path / "index"
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(SEEDS["003"], src / "a.txt")
    build_index([src], index_dir)
    live = current_generation(index_dir)
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "x.txt").write_bytes(b"")
    with pytest.raises(BuildError, match="x.txt"):
        build_index([bad], index_dir)
    assert current_generation(index_dir) == live
    assert len(open_index(index_dir).reports()) == 1


def test_crash_mid_build_leaves_the_old_index_live(tmp_path, monkeypatch):
    index_dir = tmp_path / "index"
    build_index([SEEDS["003"]], index_dir)
    live = current_generation(index_dir)

    import indexer.index.build as build

    def explode(*args, **kwargs):
        raise KeyboardInterrupt  # as if the user pressed Ctrl-C while writing

    monkeypatch.setattr(build, "publish", explode)
    with pytest.raises(KeyboardInterrupt):
        build_index([SEEDS["000"], SEEDS["001"]], index_dir)
    assert current_generation(index_dir) == live
    assert [p.name for p in index_dir.glob("gen-*")] == [live]
    assert len(open_index(index_dir).reports()) == 1


def test_rebuild_keeps_passage_ids(tmp_path):
    first = build_index([SEEDS["001"]], tmp_path / "a")
    second = build_index([SEEDS["001"]], tmp_path / "b")
    assert first.sections == second.sections
    a = open_index(tmp_path / "a").reports()
    b = open_index(tmp_path / "b").reports()
    assert a == b


def test_one_writer_at_a_time(tmp_path):
    with write_lock(tmp_path), pytest.raises(IndexBusy):
        build_index([SEEDS["003"]], tmp_path)


def test_missing_source_folder_is_an_error(tmp_path):
    with pytest.raises(BuildError, match="不存在"):
        build_index([tmp_path / "nope"], tmp_path / "index")


def test_a_bug_in_our_own_code_surfaces_instead_of_passing_for_a_broken_file(tmp_path, monkeypatch):
    """Only a file's own damage is 'cannot be read'; an error in the parsing code stops the build
    (the index stays as it was) instead of being reported as that file's fault."""
    index_dir = tmp_path / "index"
    build_index([SEEDS["003"]], index_dir)
    live = current_generation(index_dir)
    import indexer.ingest.readers as readers

    def buggy(data: bytes):
        raise ZeroDivisionError("a bug")

    monkeypatch.setitem(readers.READERS, ".txt", readers.Reader("文本", buggy, 16))
    with pytest.raises(ZeroDivisionError):
        build_index([SEEDS["000"]], index_dir)
    assert current_generation(index_dir) == live
