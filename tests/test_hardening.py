"""Hostile input (issue 20): a generated corpus of files that once hung, crashed or leaked a build;
each file is named with its reason, the rest indexes, in bounded time and memory."""

from __future__ import annotations

import csv
import io
import json
import os
import random
import resource
import signal
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path
from urllib.parse import quote

import openpyxl
import pytest
from click.testing import CliRunner
from hostile_corpus import LONG_LINE, docx_bomb, pdf_bomb, report, write_corpus
from small_reports import write_report
from werkzeug.datastructures import MultiDict

from indexer import SearchRequest, build_index, open_index
from indexer.cli import cli
from indexer.config import MAX_FILTER_VALUES
from indexer.ingest import agency
from indexer.ingest.parsing import parse_report
from indexer.ingest.readers import ReadError
from indexer.ingest.readers.docx import read_docx
from indexer.ingest.readers.html import read_html
from indexer.ingest.readers.pdf import read_pdf
from indexer.ingest.reading import SourceText, read_source
from indexer.models import printable_name
from indexer.research.downloads import render, search_table

ROOT = Path(__file__).resolve().parent.parent
MEMORY_MB = 1500  # the build's peak resident memory stays far below what a bomb would take


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    root = tmp_path_factory.mktemp("hostile")
    return root / "src", write_corpus(root / "src", root / "outside")


@pytest.fixture(scope="module")
def built(corpus, tmp_path_factory):
    src, expected = corpus
    index_dir = tmp_path_factory.mktemp("hostile_index")
    done = _finishes(lambda: build_index([src], index_dir), seconds=300)  # a hang guard: it takes seconds
    assert done, "the hostile corpus did not build in 5 minutes"
    return index_dir, done[0], expected


def test_every_hostile_file_is_named_with_its_reason_and_the_rest_indexes(built):
    index_dir, stats, expected = built
    skipped = {s.file: s.error for s in stats.skipped}
    ix = open_index(index_dir)
    indexed = {printable_name(r["file"]) for r in ix.reports()}
    for name, outcome in expected.items():
        if outcome == "indexed":
            assert name in indexed, (name, skipped.get(name))
        else:
            assert outcome in skipped.get(name, ""), (name, skipped.get(name))
    assert set(skipped) | indexed == set(expected)
    assert "\n" not in "".join(skipped)  # every name printable on one line
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    assert peak < MEMORY_MB, peak
    assert ix.search(SearchRequest("root", page_size=10)).total == 0  # the linked file outside is never shown
    ix.close()


def test_cli_escapes_a_newline_in_a_file_name(corpus, built):
    src, _ = corpus
    result = CliRunner().invoke(cli, ["build", "--source", str(src), "--index", str(built[0])])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "跳过 bad\\xff\\xfe.txt：文件名不是有效的 UTF-8 编码，请重命名" in lines
    assert "跳过 空\\n跳过 伪造.txt：伪造的一行.txt：文件为空" in lines
    assert not any(line.startswith("跳过 伪造") for line in lines)  # the forged line never appears


def test_printable_name_escapes_what_a_terminal_would_act_on():
    assert printable_name("通知.txt") == "通知.txt"
    assert printable_name("a\nb\x1b[31m.txt") == "a\\nb\\x1b[31m.txt"
    assert printable_name("bad\udcff.txt") == "bad\\xff.txt"
    assert printable_name("右\u202e左.txt") == "右\\u202e左.txt"


def test_a_long_line_of_glued_names_is_parsed_in_linear_time():
    glued = ("广州市人民政府办公室" * (LONG_LINE // 10 + 1))[:LONG_LINE]
    src = SourceText(Path("x.txt"), "x.txt", report(0) + glued, "utf-8", "0" * 64)
    parsed = parse_report(src)  # took minutes before: _split_glued scanned every prefix of the line
    assert parsed.sections
    # the splitter gives up on a run longer than any list of joint authors, and still splits short ones
    assert agency._split_glued(glued) == [glued]
    assert agency._split_glued("中共益阳市委办公室益阳市人民政府办公室") == ["中共益阳市委办公室", "益阳市人民政府办公室"]


def test_deeply_nested_html_is_read_in_linear_time():
    depth = 20_000
    page = ("<html><body>" + "<div>" * depth + "正文：推行容缺受理。" + "</div>" * depth).encode()
    assert "推行容缺受理" in read_html(page).text
    unclosed = ("<html><body>" + "<div><p>段落" * depth).encode()
    assert read_html(unclosed).text.count("段落") == depth


def test_docx_bomb_is_refused_before_it_is_unzipped():
    with pytest.raises(ReadError, match="压缩炸弹"):
        read_docx(docx_bomb(16))


def test_docx_expanding_past_the_limit_is_refused(monkeypatch):
    from indexer.ingest.readers import docx as docx_reader

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for i in range(3):
            z.writestr(f"word/media/{i}.bin", bytes(range(256)) * 4096)  # 1 MB each, a low ratio
    monkeypatch.setattr(docx_reader, "MAX_EXPANDED_MB", 2)
    with pytest.raises(ReadError, match="解压后过大（3 MB，上限 2 MB）"):
        read_docx(out.getvalue())


def test_pdf_bomb_is_refused_at_the_stream_limit():
    with pytest.raises(ReadError, match="解压后过大"):
        read_pdf(pdf_bomb(40))


def test_special_files_are_named_when_read_one_by_one(tmp_path):
    (tmp_path / "zero.txt").symlink_to("/dev/zero")
    with pytest.raises(ReadError, match="设备"):
        read_source(tmp_path / "zero.txt", "zero.txt")


def _children(pid: int) -> list[int]:
    """The processes whose parent is `pid` (from /proc)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry))
    return found


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"  # a zombie has died (nobody may reap it here)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
def test_kill_9_of_a_parallel_full_build_leaves_no_process_and_no_lock(tmp_path):
    src = tmp_path / "src"
    for serial in range(60):
        write_report(src, serial)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "ZCJS_PARALLEL_FROM_SECTIONS": "1", "ZCJS_BUILD_PROCS": "2"}
    args = [sys.executable, "-m", "indexer", "build", "--source", str(src), "--index", str(tmp_path / "index")]
    deadline = time.monotonic() + 180  # a hang guard, not a timing
    workers: list[int] = []
    for _ in range(3):  # the writers live a fraction of a second: a build may end before they are seen
        build = subprocess.Popen([*args, "--full"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        workers = []
        while build.poll() is None and len(workers) < 2 and time.monotonic() < deadline:
            workers = _children(build.pid)
            time.sleep(0.005)
        build.send_signal(signal.SIGKILL)
        build.wait()
        if len(workers) >= 2:
            break
    assert len(workers) >= 2, "the build never started its writer processes"
    while any(_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    survivors = [w for w in workers if _alive(w)]
    for pid in survivors:  # never leave them behind, even when the test fails
        os.kill(pid, signal.SIGKILL)
    assert not survivors
    again = subprocess.run(args, env=env, capture_output=True, text=True, timeout=120)
    assert again.returncode == 0, again.stderr[-500:]
    assert "60 份报告" in again.stdout  # rebuilt, or up to date if an earlier try had finished
    ix = open_index(tmp_path / "index")
    assert len(ix.reports()) == 60
    ix.close()


def test_highlighting_a_huge_section_does_bounded_work(monkeypatch):
    from indexer.search import passages

    calls = []
    real = passages.compact
    monkeypatch.setattr(passages, "compact", lambda text: calls.append(text) or real(text))
    rng = random.Random(3)
    chars = "行政许可审批监管服务事项办理受理容缺承诺"
    text = "".join(rng.choice(chars) + ("。" if rng.random() < 0.05 else "") for _ in range(200_000))
    marked = passages.highlight(text, list(chars), limit=3)
    assert len(marked) == 3 and all("<mark>" in p for p in marked)
    # before: every span of every sentence folded again (≈200,000 calls), and every span scanned per sentence
    assert len(calls) < 100


def test_highlight_marks_each_sentence_with_its_own_spans_only():
    from indexer.search.passages import highlight

    text = "推行容缺受理。落实告知承诺制度，容缺受理再扩围。其他内容。"
    assert highlight(text, ["容缺受理", "告知承诺"], limit=2) == (
        "推行<mark>容缺受理</mark>。", "落实<mark>告知承诺</mark>制度，<mark>容缺受理</mark>再扩围。")


def test_a_parameter_repeated_past_the_cap_is_a_400_naming_it(client):
    flood = "&".join(["region=" + quote("广州")] * 2000)
    for path in ("/search", "/compare", "/export/search", "/api/search"):
        answer = client.get(f"{path}?q=%E8%AE%B8%E5%8F%AF&{flood}")
        assert answer.status_code == 400, path
        text = answer.get_data(as_text=True)
        assert f"参数 region 的取值过多（2000 个）：每个参数最多 {MAX_FILTER_VALUES} 个值" in text, path
        assert len(answer.data) < 100_000, path  # the page does not repeat the values (it did: 44 MB)


def test_repeated_filter_values_count_once(index):
    from webapp.params import parse_search_request

    args = MultiDict([("q", "许可"), *[("region", "广州")] * MAX_FILTER_VALUES])
    request = parse_search_request(args)
    assert request.filters == {"region": ("广州",)}


def test_permalinks_never_take_the_host_header(app):
    client = app.test_client()
    headers = {"Host": "evil.example"}
    page = client.get("/search?q=容缺受理", headers=headers).get_data(as_text=True)
    export = client.get("/export/search?q=容缺受理&format=csv", headers=headers).get_data(as_text=True)
    assert "evil.example" not in page and "evil.example" not in export
    assert 'class="permalink" href="/doc/' in page
    app.config["BASE_URL"] = "https://zcjs.example.gov.cn/"
    try:
        page = client.get("/search?q=容缺受理", headers=headers).get_data(as_text=True)
    finally:
        app.config["BASE_URL"] = ""
    assert 'class="permalink" href="https://zcjs.example.gov.cn/doc/' in page


def test_a_search_download_is_capped_and_says_so(client, index, monkeypatch):
    from webapp import research

    total = index.matches(SearchRequest("监管")).total
    monkeypatch.setattr(research, "MAX_EXPORT_ROWS", 5)
    rows = list(csv.DictReader(io.StringIO(client.get("/export/search?q=监管&format=csv").data.decode("utf-8-sig"))))
    assert len(rows) == 6 and all(r["段落编号"] for r in rows[:5])
    assert rows[5]["机构"].startswith(f"仅含最相关的前 5 个段落（共 {total} 个匹配段落")
    data = client.get("/export/search?q=监管&format=json").get_json()["rows"]
    assert len(data) == 6 and data[5]["agency"].startswith("仅含最相关的前 5 个段落")
    page = client.get("/search?q=监管").get_data(as_text=True)
    assert f"共 {total} 个匹配段落，下载只含最相关的前 5 个" in page


def test_xlsx_export_drops_what_excel_cannot_hold_and_csv_keeps_it(built):
    index_dir, _, _ = built
    ix = open_index(index_dir)
    table = search_table(ix, SearchRequest("推行"))
    assert any("\x1b" in r["passage"] for r in table.rows if r.get("file") == "controls.txt")
    book = openpyxl.load_workbook(io.BytesIO(render(table, "xlsx")))  # raised IllegalCharacterError
    cells = [c.value for row in book.active.iter_rows() for c in row if isinstance(c.value, str)]
    assert any("推行" in c for c in cells) and not any("\x1b" in c or "\x01" in c for c in cells)
    assert "\x1b" in render(table, "csv").decode("utf-8-sig")
    ix.close()


def test_streamed_csv_and_json_are_the_same_bytes_as_whole(index):
    from indexer.research.export import csv_chunks, to_csv, to_json

    rows = [{"a": i, "b": f"第{i}行\n“引号”", "c": ["x", "y"]} for i in range(450)]
    assert len(list(csv_chunks(rows, ["a", "b", "c"]))) == 3
    assert to_json(rows, ["a", "b", "c"]) == json.dumps(
        [{k: r[k] for k in "abc"} for r in rows], ensure_ascii=False, indent=2).encode("utf-8")
    assert to_json([], ["a"]) == b"[]"
    assert to_csv(rows[:1], ["a"], {"a": "甲"}) == "\ufeff甲\r\n0\r\n".encode()


def _finishes(call, seconds: float = 60) -> list:
    """`call()`'s result in a list, or an empty list if it is still running after `seconds` (a hang guard)."""
    out: list = []
    worker = threading.Thread(target=lambda: out.append(call()), daemon=True)
    worker.start()
    worker.join(seconds)
    return out


def test_a_huge_section_renders_on_its_document_page():
    from webapp.document import render_section

    rng = random.Random(5)
    body = "".join(rng.choice("行政许可审批监管受理容缺承诺") for _ in range(200_000))
    done = _finishes(lambda: render_section({"heading": "一、基本情况", "body": body}, 1, ["许可", "容缺"]))
    assert done, "rendering a 200,000-character paragraph hung (Markdown's inline pass was worse than quadratic)"
    html = done[0]
    assert html.startswith("<h2>一、基本情况</h2>") and html.count("<mark>") == body.count("许可") + body.count("容缺")
