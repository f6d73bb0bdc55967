"""Chinese word segmentation for the search index, loaded once and only when first needed.

rjieba (jieba-rs: the same dictionary and algorithm as jieba) segments about ten times faster
here (7 MB/s against 0.7 MB/s on the sample), which is what brings a 10,000-item rebuild within
its target; python jieba is the fallback where no rjieba wheel installs. The index records which
one built it and is rebuilt if that changes: never index with one and query with the other.
"""

from __future__ import annotations

import logging
import threading
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path

_lock = threading.Lock()
_segmenter: _Segmenter | None = None
_added: set[str] = set()  # user words already in the segmenter's dictionary


class _Segmenter:
    name = ""

    def tokenize(self, text: str, mode: str = "search") -> list[tuple[str, int, int]]:  # pragma: no cover
        raise NotImplementedError

    def add_word(self, word: str) -> None:  # pragma: no cover - interface
        raise NotImplementedError


class _RJieba(_Segmenter):
    """rjieba's Jieba is one Rust object: adding a word borrows it mutably, and a tokenize
    running meanwhile in another thread (the search warming up while the write lane indexes)
    fails with "Already borrowed". One lock makes the two take turns."""

    def __init__(self) -> None:
        import rjieba

        self.name = "rjieba-" + getattr(rjieba, "__version__", "0")
        self._j = rjieba.Jieba()
        # rjieba releases the GIL while it segments, and add_word needs the Rust object mutably:
        # a word added while another thread segments raises "Already borrowed". One lock orders them.
        self._guard = threading.Lock()

    def tokenize(self, text: str, mode: str = "search") -> list[tuple[str, int, int]]:
        with self._guard:
            return self._j.tokenize(text, mode=mode, hmm=True)

    def add_word(self, word: str) -> None:
        with self._guard:
            self._j.add_word(word, None, None)


class _PyJieba(_Segmenter):
    def __init__(self, cache_dir: Path | None) -> None:
        import jieba

        jieba.setLogLevel(logging.WARNING)
        self.name = "jieba-" + jieba.__version__
        self._t = jieba.Tokenizer()
        if cache_dir is not None:
            cache_dir.mkdir(parents=True, exist_ok=True)
            self._t.tmp_dir = str(cache_dir)
        self._t.initialize()
        self._guard = threading.Lock()  # as for rjieba: no word added while another thread segments

    def tokenize(self, text: str, mode: str = "search") -> list[tuple[str, int, int]]:
        with self._guard:
            return list(self._t.tokenize(text, mode=mode, HMM=True))

    def add_word(self, word: str) -> None:
        with self._guard:
            self._t.add_word(word)


def segmenter(cache_dir: Path | None = None, user_words: Iterable[str] = ()) -> _Segmenter:
    """The process-wide segmenter, created on first use; ``user_words`` are added every call."""
    global _segmenter
    with _lock:
        if _segmenter is None:
            try:
                _segmenter = _RJieba()
            except ImportError:  # pragma: no cover - rjieba is a dependency
                _segmenter = _PyJieba(cache_dir)
        for w in user_words:
            w = normalize(w)
            if len(w) >= 2 and w not in _added:
                _segmenter.add_word(w)
                _added.add(w)
        return _segmenter


def normalize(text: str) -> str:
    """What the tokenizer sees: NFKC (full/half width) and casefolded."""
    return unicodedata.normalize("NFKC", text).casefold()


def words(text: str, seg: _Segmenter | None = None, mode: str = "search") -> Iterator[tuple[str, int, int]]:
    """(word, start, end) over the normalised text, without whitespace and punctuation.

    ``mode`` "search" adds the shorter words inside long ones (for indexing); "default" gives
    the plain segmentation (for queries: fewer words, each of them also in the index).
    """
    seg = seg or segmenter()
    for w, s, e in seg.tokenize(normalize(text), mode):
        if w.strip() and any(ch.isalnum() for ch in w):
            yield w, s, e
