"""The swap off the request path, and a request evaluated once."""

from __future__ import annotations

import shutil
import threading
import time

import pytest
from conftest import SEEDS

import indexer.search.searchindex as searchindex
from indexer import SearchRequest, build_index, open_index
from indexer.research.compare import build_matrix, side_by_side
from indexer.research.downloads import every_hit
from indexer.search.backend import Prepared, SearchBackend
from indexer.search.live import LiveIndex


@pytest.fixture
def growing(tmp_path):
    """An index of one seed report, and its source folder to add more to."""
    src, ix = tmp_path / "src", tmp_path / "ix"
    src.mkdir()
    shutil.copy(SEEDS["003"], src)
    build_index([src], ix)
    return src, ix


def wait_for(condition, seconds: float = 30.0) -> bool:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)
    return condition()


def test_a_new_generation_is_opened_by_the_watcher_not_by_a_request(growing):
    src, ix = growing
    opened_in: list[str] = []

    def opener(path):
        opened_in.append(threading.current_thread().name)
        return open_index(path)

    live = LiveIndex(ix, opener=opener, poll_seconds=0.05).start()
    with live.use() as index:
        assert len(index.reports()) == 1
    shutil.copy(SEEDS["001"], src)
    build_index([src], ix)
    assert wait_for(lambda: live.swaps == 1)
    with live.use() as index:
        assert len(index.reports()) == 2 and not index.is_stale()
    assert opened_in == ["MainThread", "index-watcher"]  # the first open at start-up, then only the watcher
    live.close()


def test_the_old_generation_is_closed_when_its_last_request_ends(growing):
    src, ix = growing
    live = LiveIndex(ix, poll_seconds=0.05).start()
    lease = live.acquire()  # a request running across the swap
    old = lease.index
    closed = []
    real_close = old.close
    old.close = lambda: (closed.append(True), real_close())  # type: ignore[method-assign]
    shutil.copy(SEEDS["001"], src)
    build_index([src], ix)
    assert wait_for(lambda: live.swaps == 1)
    assert not closed and old.search(SearchRequest("监管")).total > 0  # it still answers its request
    with live.use() as index:
        assert index is not old
    lease.release()
    assert closed == [True]
    lease.release()  # twice is once
    assert closed == [True]
    live.close()


def test_the_new_generation_is_warmed_with_the_queries_the_old_one_answered(growing):
    src, ix = growing
    live = LiveIndex(ix, poll_seconds=0.05).start()
    with live.use() as index:
        index.search(SearchRequest("容缺受理"))
        index.search(SearchRequest("电子证照"))
    shutil.copy(SEEDS["001"], src)
    build_index([src], ix)
    assert wait_for(lambda: live.swaps == 1)
    with live.use() as index:
        cached = {key[0] for key in index._runs}  # evaluated before any request reached it
    assert {"", "容缺受理", "电子证照"} <= cached
    live.close()


def test_a_broken_new_generation_leaves_the_live_one_answering(growing):
    src, ix = growing
    attempts = []

    def opener(path):
        attempts.append(path)
        if len(attempts) > 1:
            raise FileNotFoundError("half-written")
        return open_index(path)

    live = LiveIndex(ix, opener=opener, poll_seconds=0.05).start()
    shutil.copy(SEEDS["001"], src)
    build_index([src], ix)
    assert wait_for(lambda: len(attempts) > 1)
    with live.use() as index:
        assert len(index.reports()) == 1 and live.swaps == 0
    live.close()


@pytest.fixture
def counted(index_dir, monkeypatch):
    """A fresh SearchIndex on the seed index whose evaluations are counted."""
    index = open_index(index_dir)
    calls: list[str] = []
    execute = searchindex.SearchIndex._execute

    def counting(self, request):
        calls.append(request.text)
        return execute(self, request)

    monkeypatch.setattr(searchindex.SearchIndex, "_execute", counting)
    yield index, calls
    index.close()


def test_the_matrix_evaluates_its_request_once(counted):
    index, calls = counted
    build_matrix(index, SearchRequest("容缺受理"))
    assert sorted(calls) == ["", "容缺受理"]  # the universe (filters only), then the request


def test_side_by_side_and_export_evaluate_once(counted):
    index, calls = counted
    side_by_side(index, SearchRequest("监管", filters={"section_type": ("存在问题",)}))
    hits = list(every_hit(index, SearchRequest("监管"), batch=2))
    assert len(hits) > 4 and calls == ["监管", "监管"]  # one evaluation each, however many batches


def test_a_prepared_search_answers_as_the_separate_calls(index):
    request = SearchRequest("电子证照 OR 容缺受理", page_size=5)
    prepared = index.prepare(request)
    assert isinstance(prepared, Prepared) and isinstance(index, SearchBackend)
    assert prepared.result().to_dict() == index.search(request).to_dict()
    assert prepared.matches() == index.matches(request)
    ids = [s.id for r in prepared.matches().reports for s in r.sections][:3]
    assert prepared.hits(ids) == index.hits(request, ids)
