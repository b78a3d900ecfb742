"""Decode the bytes of a text file: UTF-8, UTF-16 (with or without BOM), GB18030/GBK, Big5.

Without a BOM every candidate that decodes cleanly is scored by how much of its text is
made of common characters (GB2312 level 1 once folded to simplified, ASCII, Chinese
punctuation); a wrong guess turns into rare characters, kana and symbols, even on a ten-
character file. Ties go to the earlier candidate, so plain ASCII is UTF-8.
"""

from __future__ import annotations

from functools import lru_cache

from indexer.ingest.readers.base import ReadError
from indexer.text.normalize import to_simplified

BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
CANDIDATES = ("utf-8", "gb18030", "big5", "utf-16-le", "utf-16-be")
CODECS = {"big5": ("cp950", "big5hkscs")}  # Big5 as Windows and Hong Kong write it
SAMPLE_CHARS = 6000
MIN_SCORE = 0.6  # share of common characters below which no decoding is believed
UTF8_SURE_BYTES = 256  # valid UTF-8 with non-ASCII characters over this length is taken as UTF-8
COMMON_PUNCT = frozenset("，。、；：？！“”‘’（）《》〈〉【】—…·　％－～＋＝／")


@lru_cache(maxsize=8192)
def _weight(ch: str) -> float:
    """How typical a character is of a Chinese report: 1 common, 0.5 rare Han, 0 noise."""
    code = ord(ch)
    if ch.isspace() or 0x20 <= code < 0x7F or ch in COMMON_PUNCT or 0xFF10 <= code <= 0xFF5A:
        return 1.0
    if code < 0x20 or 0x7F <= code < 0xA0 or 0xE000 <= code <= 0xF8FF or code == 0xFFFD:
        return -2.0  # control and private-use characters: never in a text
    if not 0x4E00 <= code <= 0x9FFF:
        return 0.0
    try:
        lead = to_simplified(ch).encode("gb2312")[0]
    except UnicodeEncodeError:
        return 0.1
    return 1.0 if 0xB0 <= lead <= 0xD7 else 0.5


def text_score(text: str) -> float:
    """Share of typical characters in a sample of the text (at most 1)."""
    sample = [ch for ch in text[:SAMPLE_CHARS] if not ch.isspace()]
    if not sample:
        return 0.0
    return sum(_weight(ch) for ch in sample) / len(sample)


def decode_as(data: bytes, encoding: str) -> str | None:
    """The text if `data` is valid in `encoding` (a candidate name), else None."""
    for codec in CODECS.get(encoding, (encoding,)):
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            continue
    return None


def _with_a_few_bad_bytes(data: bytes) -> tuple[str, str] | None:
    """A file damaged in a few places (a bad byte per thousand at most): the rest, kept."""
    for encoding in ("utf-8", "gb18030", "big5"):
        text = data.decode(CODECS.get(encoding, (encoding,))[0], errors="replace")
        if text.count("\ufffd") <= max(1, len(text) // 1000) and text_score(text) >= MIN_SCORE:
            return text, encoding
    return None


def _surely_utf8(data: bytes, declared: str) -> str | None:
    """The text of a file that is valid UTF-8 with non-ASCII characters and long enough that no
    GBK, Big5 or UTF-16 file could be (scoring the other candidates is then wasted work)."""
    if len(data) < UTF8_SURE_BYTES or declared not in ("", "utf-8") or data.isascii():
        return None
    text = decode_as(data, "utf-8")
    return text if text is not None and text.strip() and text_score(text) >= MIN_SCORE else None


def _best_candidate(data: bytes, declared: str) -> tuple[float, str, str] | None:
    """(score, text, encoding) of the candidate decoding with the most typical characters."""
    best: tuple[float, str, str] | None = None
    for encoding in dict.fromkeys((declared, *CANDIDATES) if declared else CANDIDATES):
        if encoding.startswith("utf-16") and len(data) % 2:
            continue
        text = decode_as(data, encoding)
        if text is None:
            continue
        if not text.strip():
            raise ReadError("文件为空")  # only spaces and blank lines
        score = text_score(text)
        if best is None or score > best[0]:
            best = (score, text, encoding)
    return best


def decode(data: bytes, declared: str = "") -> tuple[str, str]:
    """(text, encoding) of a text file; `declared` (an HTML meta charset) wins ties."""
    if not data.strip():
        raise ReadError("文件为空")
    for bom, encoding in BOMS:
        if data.startswith(bom) and (text := decode_as(data[len(bom):], encoding)) is not None:
            return text, encoding
    if (sure := _surely_utf8(data, declared)) is not None:
        return sure, "utf-8"
    best = _best_candidate(data, declared)
    if best and best[0] >= MIN_SCORE:
        return best[1], best[2]
    if repaired := _with_a_few_bad_bytes(data):
        return repaired
    if b"\x00" in data[:4096]:
        raise ReadError("不是文本文件（含二进制内容）")
    raise ReadError("无法识别的编码（支持 UTF-8、UTF-16、GB18030/GBK、Big5）")
