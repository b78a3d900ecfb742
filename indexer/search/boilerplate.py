"""Boilerplate in search texts: lines that count less when a term is found in them.

Three kinds, found when a generation is built (two passes over its search texts):
* a sentence repeated verbatim across the corpus (a portal's checklist line, a template
  sentence every report carries): weight 1 / (1 + ln count) once it occurs REPEATED_MIN times;
* a contact line (电话/传真/邮箱/地址/联系人 … followed by a number or an address);
* a document-number or portal line (金教〔2024〕5号, 索引号 …, 扫一扫在手机打开当前页).
A section's first line (its heading, or the report's title) is never demoted: a heading
that names the query is the strongest sign a section is about it.
"""

from __future__ import annotations

import math
import re
from array import array
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

REPEATED_MIN = 3  # occurrences of one sentence over the corpus before it counts less
REPEATED_LENGTH = 8  # shorter sentences (headings, 办理时限5个工作日) repeat by nature
FORM_WEIGHT = 0.2  # contact, document-number and portal lines
FORM_LENGTH = 60  # such lines are short; a long sentence that starts with 电话 is a sentence
_CONTACT = re.compile(
    r"^(?:本页信息仅供参考)?(?:咨询请拨打|联系|咨询|监督|投诉)?(?:人|电话|方式|传真|邮箱|电子邮箱|邮件|地址|邮编|邮政编码|网址)"
    r"\w{0,40}(?:\d{5,}|[市区县路街号])\w{0,40}$"
)
_FORM = re.compile(r"^(?:(?:文号|发文字号)?[\u4e00-\u9fff]{1,12}(?:19|20)\d{2}\d{1,4}号|索引号\w*|发布(?:日期|时间)\w*"
                   r"|扫一扫\w*|打印本页\w*|关闭窗口\w*|分享到\w*)$")


@dataclass(frozen=True)
class Demotion:
    """Rows with lines that count less, and each such line with its weight."""

    rows: np.ndarray  # sorted row numbers
    lines: dict[int, tuple[tuple[str, float], ...]]

    def discounted(self, key: str, rows: np.ndarray, tf: np.ndarray) -> np.ndarray:
        """Occurrence counts of `key` in `rows` with the occurrences in demoted lines discounted."""
        hit = np.flatnonzero(np.isin(rows, self.rows, assume_unique=True))
        if not len(hit):
            return tf.astype(np.float32)
        out = tf.astype(np.float32)
        for i in hit.tolist():
            out[i] -= sum((1 - weight) * line.count(key) for line, weight in self.lines[int(rows[i])])
        return np.maximum(out, 0.0)


def line_weight(line: str, repeats: int) -> float:
    """The weight of one line of a search text (1: counts in full)."""
    if len(line) <= FORM_LENGTH and (_CONTACT.match(line) or _FORM.match(line)):
        return FORM_WEIGHT
    if repeats >= REPEATED_MIN and len(line) >= REPEATED_LENGTH:
        return 1 / (1 + math.log(repeats))
    return 1.0


def line_weights(texts: Sequence[str]) -> Iterator[tuple[int, list[float]]]:
    """Each row with boilerplate lines and the weight of every line of its search text (the first is 1).
    Two passes over `texts`; repeats are counted by line hashes, so memory holds one integer per
    line, not the lines (a generation computes this once, when it is built)."""
    hashes = array("q", (hash(line) for text in texts for line in text.split("\n")[1:]
                         if len(line) >= REPEATED_LENGTH))
    values, counts = np.unique(np.frombuffer(hashes, dtype=np.int64), return_counts=True)
    keep = counts >= REPEATED_MIN
    repeated = dict(zip(values[keep].tolist(), counts[keep].tolist(), strict=True))
    del hashes, values, counts
    for row, text in enumerate(texts):
        lines = text.split("\n")
        weights = [1.0] + [line_weight(line, repeated.get(hash(line), 0)) if line else 1.0 for line in lines[1:]]
        if min(weights) < 1:
            yield row, weights


def find_demotions(texts: Sequence[str]) -> Demotion:
    """The boilerplate lines of every row's search text (the first line of a row excluded)."""
    demoted: dict[int, tuple[tuple[str, float], ...]] = {}
    for row, weights in line_weights(texts):
        lines = texts[row].split("\n")
        demoted[row] = tuple((line, w) for line, w in zip(lines, weights, strict=True) if w < 1)
    return Demotion(np.array(sorted(demoted), dtype=np.int64), demoted)
