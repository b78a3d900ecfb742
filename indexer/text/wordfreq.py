"""Word frequencies of the segmenter's dictionary, looked up without loading it.

jieba keeps its whole dictionary (350,000 words and their prefixes) in a dict that takes
about 0.7 CPU-seconds to load: a command-line search paid that on every call, although a
query reads only the entries of its own substrings. The same entries — jieba's dictionary
file with the added words, as `jieba.Tokenizer.initialize` and `add_word` would make them,
prefixes at 0 included — are kept in an SQLite file in the cache folder, built once (a
second or two) and read by key. A `WordFreq` is a mapping jieba's tokenizer can use as its
FREQ: `in`, `[]` and `get` answer as the loaded dict would, and `total` is its total.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import sqlite3
import threading
from collections.abc import Iterable
from pathlib import Path

from indexer.config import cache_dir

FORMAT = 2  # bump when the table's content changes
_lock = threading.Lock()
_cached: WordFreq | None = None


def jieba_dictionary() -> Path:
    """jieba's own dictionary file (found without importing jieba)."""
    spec = importlib.util.find_spec("jieba")
    if spec is None or spec.origin is None:
        raise FileNotFoundError("jieba is not installed")
    return Path(spec.origin).parent / "dict.txt"


class WordFreq:
    """Frequencies by word from an SQLite file (one connection per thread)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        self.total = int(self._db().execute("SELECT value FROM meta WHERE key = 'total'").fetchone()[0])

    def _db(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            db = self._local.db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
        return db

    def get(self, word: str, default: int | None = None) -> int | None:
        row = self._db().execute("SELECT freq FROM words WHERE word = ?", (word,)).fetchone()
        return row[0] if row else default

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self.get(word) is not None

    def __getitem__(self, word: str) -> int:
        value = self.get(word)
        if value is None:
            raise KeyError(word)
        return value


def _with_prefixes(freq: dict[str, int], word: str) -> None:
    for end in range(1, len(word) + 1):
        freq.setdefault(word[:end], 0)


def _read_dictionary(path: Path) -> tuple[dict[str, int], int]:
    """word → frequency (prefixes at 0) and the total, as jieba reads its file (a repeated word: the last line)."""
    freq: dict[str, int] = {}
    total = 0
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            parts = line.strip().split(" ")
            if len(parts) >= 2:
                freq[parts[0]] = int(parts[1])
                total += int(parts[1])
                _with_prefixes(freq, parts[0])
    return freq, total


def build(target: Path, dictionary: Path, added: Iterable[str], added_freq: int) -> None:
    """Write the entries of `dictionary` with the words `added` (in order) at least `added_freq`,
    the total counting each addition as jieba's add_word does; atomically."""
    freq, total = _read_dictionary(dictionary)
    for word in added:
        freq[word] = max(freq.get(word, 0), added_freq)
        total += freq[word]
        _with_prefixes(freq, word)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f"{target.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    db = sqlite3.connect(tmp)
    try:
        db.execute("CREATE TABLE words (word TEXT PRIMARY KEY, freq INTEGER NOT NULL) WITHOUT ROWID")
        db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        db.executemany("INSERT INTO words VALUES (?, ?)", freq.items())
        db.execute("INSERT INTO meta VALUES ('total', ?)", (str(total),))
        db.commit()
    finally:
        db.close()
    os.replace(tmp, target)


def word_freq(added: list[str], added_freq: int) -> WordFreq:
    """The process's frequency table for jieba's dictionary plus `added` (built into the cache if missing)."""
    global _cached
    if _cached is None:
        with _lock:
            if _cached is None:
                dictionary = jieba_dictionary()
                stat = dictionary.stat()
                key = hashlib.sha256("\n".join([str(dictionary), str(stat.st_size), str(stat.st_mtime_ns),
                                                str(added_freq), *added]).encode()).hexdigest()[:16]
                path = cache_dir() / f"zcjs-wordfreq-{FORMAT}-{key}.sqlite"
                if not path.exists():
                    build(path, dictionary, added, added_freq)
                _cached = WordFreq(path)
    return _cached
