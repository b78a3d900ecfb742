"""A hostile source folder, generated (never committed): files that once hung, crashed or leaked a build.

    write_corpus(folder) → {name as printed: what must happen}   # "indexed", or a word of the skip reason

Every case is small on disk and cheap to make; the bombs expand far past the limits only when read.
"""

from __future__ import annotations

import io
import os
import zipfile
import zlib
from pathlib import Path

GOOD = (
    "某某市行政审批局2023年度行政许可实施和监督管理情况报告\n"
    "一、基本情况\n"
    "2023年，我局共受理行政许可申请120件，办结118件，推行容缺受理和告知承诺。\n"
    "二、存在问题\n"
    "基层窗口人员业务能力有待提高。\n"
)
LONG_LINE = 200_000  # characters in one line without a separator (a glued run of agency names)
NESTING = 40_000  # nested <div>s in one page
BOMB_MB = 64  # what the bombs expand to (the ratio and the pdf stream limits stop them much earlier)


def report(serial: int) -> str:
    """A small valid report, distinct by its serial."""
    return GOOD.replace("120件", f"{120 + serial}件")


def docx_bomb(expanded_mb: int = BOMB_MB) -> bytes:
    """A .docx whose document.xml inflates to `expanded_mb` MB of spaces (a thousand to one)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        with z.open("word/document.xml", "w", force_zip64=True) as member:
            chunk = b" " * 2**20
            for _ in range(expanded_mb):
                member.write(chunk)
    return out.getvalue()


def pdf_with_stream(stream: bytes) -> bytes:
    """A one-page PDF whose content stream is `stream` (already Flate-compressed)."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
               b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream"]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.writelines(b"%010d 00000 n \n" % offset for offset in offsets)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def pdf_bomb(expanded_mb: int = BOMB_MB) -> bytes:
    """A .pdf whose one content stream inflates to `expanded_mb` MB."""
    packer = zlib.compressobj(9)
    chunk = b" " * 2**20
    stream = b"".join(packer.compress(chunk) for _ in range(expanded_mb)) + packer.flush()
    return pdf_with_stream(stream)


def write_corpus(folder: Path, outside: Path, bomb_mb: int = BOMB_MB) -> dict[str, str]:
    """Fill `folder` with the hostile cases (and `outside` with a file links point at); returns each
    case's printed name → "indexed" or a word its skip reason holds."""
    folder.mkdir(parents=True, exist_ok=True)
    outside.mkdir(parents=True, exist_ok=True)
    secret = outside / "passwd.txt"
    secret.write_text("root:x:0:0:root:/root:/bin/bash\n" * 20, encoding="utf-8")
    expected: dict[str, str] = {}

    def text(name: str, body: str, outcome: str = "indexed") -> None:
        (folder / name).write_text(body, encoding="utf-8")
        expected[name.replace("\n", "\\n")] = outcome

    text("good.txt", report(0))
    # 1: a name that is not UTF-8, among good files
    with open(os.fsencode(folder) + b"/bad\xff\xfe.txt", "w", encoding="utf-8") as handle:
        handle.write(report(1))
    expected["bad\\xff\\xfe.txt"] = "UTF-8"
    # 12: a newline in a name, to forge an output line
    text("两行\n跳过 伪造.txt：这一行是伪造的.txt", report(2))
    (folder / "空\n跳过 伪造.txt：伪造的一行.txt").write_bytes(b"")
    expected["空\\n跳过 伪造.txt：伪造的一行.txt"] = "为空"
    # 2: one long line without separators, last and first
    glued = ("广州市人民政府办公室" * (LONG_LINE // 10 + 1))[:LONG_LINE]
    text("long_last.txt", report(3) + glued + "\n")
    text("long_first.txt", glued + "\n" + report(4))
    text("brackets.md", report(7) + "[" * LONG_LINE + "\n" + "**加粗" * (LONG_LINE // 3) + "\n")
    # 3: bombs
    (folder / "bomb.docx").write_bytes(docx_bomb(bomb_mb))
    expected["bomb.docx"] = "压缩炸弹"
    (folder / "bomb.pdf").write_bytes(pdf_bomb(bomb_mb))
    expected["bomb.pdf"] = "解压后过大"
    # 4: links and special files
    (folder / "passwd.txt").symlink_to(secret)
    expected["passwd.txt"] = "源目录之外"
    (folder / "zero.txt").symlink_to("/dev/zero")
    expected["zero.txt"] = "设备"
    os.mkfifo(folder / "pipe.txt")
    expected["pipe.txt"] = "FIFO"
    (folder / "loop_a.txt").symlink_to("loop_b.txt")
    (folder / "loop_b.txt").symlink_to("loop_a.txt")
    expected["loop_a.txt"] = expected["loop_b.txt"] = "循环"
    (folder / "outside_folder").symlink_to(outside, target_is_directory=True)
    expected["outside_folder"] = "文件夹"
    (folder / "dangling.txt").symlink_to("nowhere.txt")
    expected["dangling.txt"] = "不存在"
    # 6: control characters an XLSX cannot hold (and a NUL, as a GBK file may carry)
    text("controls.txt", report(5).replace("推行", "推行\x01\x0b\x1b\x00"))
    # 11: deep nesting
    (folder / "nested.html").write_text(
        "<html><body>" + "<div>" * NESTING + report(6).replace("\n", "<br>") + "</div>" * NESTING + "</body></html>",
        encoding="utf-8")
    expected["nested.html"] = "indexed"
    # a file past the size limit (sparse: nothing written)
    with open(folder / "huge.txt", "wb") as handle:
        handle.truncate(17 * 2**20)
    expected["huge.txt"] = "过大"
    return expected
