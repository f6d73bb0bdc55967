"""Chinese full-text search that never misses.

Two parts, each doing what it is good at:

* **Which items match** is decided exactly, by scanning the folded text of every item (NFKC,
  casefolded, whitespace removed) for each query term. A term is a literal: the items whose
  title or body contain it are all found, whatever a word segmenter would make of it. The
  folded texts live in one string in memory (about 2 bytes a character), built from the store
  and kept in step with its revision counter.
* **In what order** comes from Whoosh: BM25F over jieba words (title weighted ×2.5 over body),
  restricted to the exact hits. Items that match literally but share no word with the query
  (segmentation differs) rank after the scored ones.

The Whoosh index is derived data kept by :mod:`index.upkeep` (the write lane); a
:class:`Searcher` only reads it, and reopens it when the store's ``meta.index_rev`` moves.
"""

from __future__ import annotations

import bisect
import contextlib
import gc
import itertools
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from whoosh import fields, index, query, scoring
from whoosh.analysis import Token, Tokenizer

from .querylang import ParsedQuery, parse_query
from .segment import words
from .snippets import make_snippet
from .store import Library
from .store import Meta as StoreMeta

# the index's upkeep lives in index.upkeep; these names are re-exported for callers of this module
from .upkeep import INDEX_FORMAT, IndexFiles, IndexUpkeep, domain_terms, index_lock, update_index  # noqa: F401

_SEP = "\x00"  # between items in the scan string: no folded term contains it


# --------------------------------------------------------------------------- the exact scan


@dataclass(slots=True)
class Meta:
    """What a hit shows and what filters and sorting need, kept in memory with the scan."""

    id: int
    title: str
    section: str
    section_raw: str | None
    alliance: str | None
    position: int
    year: int | None
    number: int | None
    total: int | None
    date: str | None
    issue_id: int
    date_key: tuple[int, int, str, int] = (0, 0, "", 0)

    def __post_init__(self) -> None:
        self.date_key = (self.year or 0, self.number or 0, self.date or "", -self.position)


class TextScan:
    """Folded text (NFKC, casefolded, no whitespace) of every item in one string, for exact
    substring search, plus each item's metadata. Kept in step with the store incrementally."""

    def __init__(self) -> None:
        self.rev = -1
        self.ids: list[int] = []
        self.starts: list[int] = []
        self.text = ""
        self.meta: dict[int, Meta] = {}
        self._parts: dict[int, str] = {}

    def update(self, lib: Library) -> None:
        rev = lib.rev
        if rev == self.rev:
            return
        rows, deleted = lib.scan_rows(self.rev)
        for item_id in deleted:
            self._parts.pop(item_id, None)
            self.meta.pop(item_id, None)
        for (item_id, title, folded, section, section_raw, alliance, position, year, number, total, date,
             issue_id) in rows:
            self._parts[item_id] = folded + _SEP
            self.meta[item_id] = Meta(item_id, title, section, section_raw, alliance, position, year, number, total,
                                      date, issue_id)
        self.ids = list(self._parts)
        parts = list(self._parts.values())
        self.starts = [0, *itertools.accumulate(len(p) for p in parts)][:-1]
        self.text = "".join(parts)
        self.rev = rev

    def find(self, term: str) -> set[int]:
        """Ids of the items whose title or body contains the folded ``term``."""
        found: set[int] = set()
        text, starts, ids = self.text, self.starts, self.ids
        i = text.find(term)
        while i >= 0:
            n = bisect.bisect_right(starts, i) - 1
            found.add(ids[n])
            nxt = starts[n + 1] if n + 1 < len(starts) else len(text)
            i = text.find(term, nxt)
        return found

    def match(self, pq: ParsedQuery) -> set[int]:
        result: set[int] | None = None
        for group in sorted(pq.groups, key=lambda g: -min(len(t) for t in g)):  # long terms are rarer
            hits: set[int] = set()
            for t in group:
                hits |= self.find(t)
            result = hits if result is None else result & hits
            if not result:
                return set()
        result = result or set()
        for t in pq.exclude:
            result -= self.find(t)
        return result


# --------------------------------------------------------------------------- Whoosh


TITLE_BOOST = 2.5
FIELD_SEP = "\x00"  # the indexed text is title + FIELD_SEP + body


class JiebaTokenizer(Tokenizer):
    """jieba search-mode words, nothing dropped but whitespace and punctuation, no stemming,
    no stop words. Words before :data:`FIELD_SEP` (the title) weigh :data:`TITLE_BOOST` times
    more: one field whose term weights add the title's and the body's occurrences is BM25F, at
    half the matching cost of two fields."""

    def __call__(self, value: str, positions: bool = False, chars: bool = False, keeporiginal: bool = False,
                 removestops: bool = True, start_pos: int = 0, start_char: int = 0, tokenize: bool = True,
                 mode: str = "", **kwargs: Any) -> Iterator[Token]:
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        title, sep, body = value.partition(FIELD_SEP)
        n = 0
        for part, boost, offset in ((title, TITLE_BOOST, 0), (body, 1.0, len(title) + len(sep))):
            for w, s, e in words(part):
                t.text = w
                t.boost = boost if sep else 1.0
                t.stopped = False
                if keeporiginal:
                    t.original = w
                if positions:
                    t.pos = start_pos + n
                if chars:
                    t.startchar, t.endchar = start_char + offset + s, start_char + offset + e
                n += 1
                yield t


def make_schema() -> fields.Schema:
    return fields.Schema(
        id=fields.ID(stored=True, unique=True),
        iid=fields.NUMERIC(int, bits=64, sortable=True),
        # no positions: phrases and every other match are decided by the exact scan; the index
        # only ranks, and without positions it builds about a quarter faster
        text=fields.TEXT(analyzer=JiebaTokenizer(), phrase=False),
    )


@dataclass
class Hit:
    id: int
    title: str
    year: int | None
    number: int | None
    total: int | None
    date: str | None
    section: str
    alliance: str | None
    score: float
    snippet: str  # plain text
    highlights: list[tuple[int, int]]  # [start, end) in code points of ``snippet``

    def marked(self, left: str = "【", right: str = "】") -> str:
        out, at = [], 0
        for s, e in self.highlights:
            out += [self.snippet[at:s], left, self.snippet[s:e], right]
            at = e
        out.append(self.snippet[at:])
        return "".join(out)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "title": self.title, "year": self.year, "number": self.number, "total": self.total,
            "date": self.date, "section": self.section, "alliance": self.alliance, "score": round(self.score, 4),
            "snippet": self.marked(), "snippet_text": self.snippet, "highlights": [list(h) for h in self.highlights],
        }


@dataclass
class Results:
    query: str
    total: int  # every item that matches, exactly counted
    hits: list[Hit]
    terms: list[str]
    seconds: float = 0.0


class Searcher(IndexFiles):
    """Search over one library, reading only. Create it in the thread that uses the library.

    It never builds or syncs the index (that is :mod:`index.upkeep`, the write lane's job): it
    reopens Whoosh when the store's ``index_rev`` moves. Which items match comes from the store
    itself, so it is exact even when the index lags; a missing or damaged index only costs the
    ranking (hits come newest first) until the write lane rebuilds it.
    """

    def __init__(self, lib: Library, folder: Path | None = None):
        super().__init__(lib, folder)
        self._searcher: Any = None
        self._docnum_of: dict[int, int] | None = None
        self._iid_of: list[int] | None = None
        self._seen: tuple[str | None, float] | None = None
        self.scan = TextScan()

    # ------------------------------------------------------------------ following the store

    def refresh(self) -> None:
        """Catch up with the store, reading only: the scan from the store's changed rows, and the
        Whoosh searcher reopened when the index's revision (or its marker) moved."""
        seen = (self.lib.meta(StoreMeta.INDEX_REV), self._marker_mtime())
        if seen != self._seen:  # written by another thread or process since we opened it
            self._close_searcher()
            self._ix = self._open_index()
            self._seen = seen
        self.scan.update(self.lib)

    ensure_current = refresh  # the name desktop/ used before the split

    def _open_index(self) -> index.Index | None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)
            try:
                return index.open_dir(str(self.folder))
            except Exception:  # missing or damaged: rank by date until the write lane rebuilds it
                gc.collect()  # Whoosh leaves a damaged file open; close it now, quietly
                return None

    def _close_searcher(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
        self._searcher, self._docnum_of, self._iid_of = None, None, None

    def _refresh_searcher(self) -> None:
        if self._searcher is not None:
            new = self._searcher.refresh()
            if new is not self._searcher:
                self._searcher, self._docnum_of, self._iid_of = new, None, None

    def _whoosh(self) -> Any:
        """The Whoosh searcher, or None while there is no usable index."""
        if self._ix is None:
            return None
        if self._searcher is None:
            self._searcher = self._ix.searcher(weighting=scoring.BM25F())
        return self._searcher

    def _iids(self) -> list[int]:
        """Item id of every document number (read once per reader from the ``iid`` column)."""
        if self._iid_of is None:
            s = self._whoosh()
            col = s.reader().column_reader("iid")
            self._iid_of = [int(v) for v in col]
        return self._iid_of

    def _docnums(self) -> dict[int, int]:
        if self._docnum_of is None:
            deleted = self._whoosh().reader().is_deleted
            self._docnum_of = {iid: d for d, iid in enumerate(self._iids()) if not deleted(d)}
        return self._docnum_of

    def close(self) -> None:
        self._close_searcher()

    # ------------------------------------------------------------------ searching

    def search(
        self,
        q: str,
        *,
        alliance: str | None = None,
        section: str | None = None,
        year_from: int | None = None,
        year_to: int | None = None,
        sort: str = "relevance",
        limit: int | None = 20,
        snippet_chars: int = 80,
    ) -> Results:
        """Items matching ``q`` and the filters. ``limit`` None or 0: every hit."""
        t0 = time.perf_counter()
        pq = parse_query(q)
        self.refresh()
        scan = self.scan
        if pq:
            ids = scan.match(pq)
        else:  # no terms: the filters alone (browse)
            ids = set(scan.ids)
            for t in pq.exclude:
                ids -= scan.find(t)
        ids = self._filter(ids, alliance, section, year_from, year_to)
        meta = scan.meta
        if sort == "date" or not pq:
            order = sorted(ids, key=lambda i: (meta[i].date_key, i), reverse=True)
            scores: dict[int, float] = {}
        else:
            scores = self._scores(pq, ids, limit or None)
            # the best by BM25 first; hits that share no word with the query (jieba split them
            # differently) still match literally: they follow, newest first
            ranked = sorted(scores, key=lambda i: (scores[i], meta[i].date_key), reverse=True)
            rest = ids - scores.keys()
            if not limit or len(ranked) < limit:
                ranked += sorted(rest, key=lambda i: meta[i].date_key, reverse=True)
            order = ranked
        if limit:
            order = order[:limit]
        hits = [self._hit(meta[i], pq, scores.get(i, 0.0), snippet_chars) for i in order]
        return Results(q, len(ids), hits, pq.positive, time.perf_counter() - t0)

    def _filter(self, ids: set[int], alliance: str | None, section: str | None,
                year_from: int | None, year_to: int | None) -> set[int]:
        if not (alliance or section or year_from or year_to):
            return ids
        names = self.lib.alliance_names(alliance) if alliance else None
        out = set()
        for i in ids:
            m = self.scan.meta[i]
            if names is not None and m.alliance not in names:
                continue
            if section and section not in (m.section, m.section_raw):
                continue
            if year_from and (m.year or 0) < year_from:
                continue
            if year_to and (m.year or 0) > year_to:
                continue
            out.add(i)
        return out

    def _scores(self, pq: ParsedQuery, ids: set[int], limit: int | None) -> dict[int, float]:
        """BM25F scores of the best ``limit`` items among ``ids`` (all of them if None)."""
        if not ids:
            return {}
        seg = self._segmenter()

        def term_query(t: str) -> query.Query | None:
            toks = sorted({w for w, _, _ in words(t, seg, mode="default")})
            if not toks:
                return None
            return query.Term("text", toks[0]) if len(toks) == 1 else query.Or([query.Term("text", w) for w in toks])

        # every group must share a word with the document (matching requires all groups anyway,
        # and an intersection lets Whoosh skip); groups with no word at all do not constrain
        groups = [q for q in (query.Or([x for x in map(term_query, g) if x]) for g in pq.groups) if q.subqueries]
        if not groups:
            return {}
        s = self._whoosh()
        if s is None:
            return {}
        docnums = self._docnums()
        allowed = {docnums[i] for i in ids if i in docnums}
        q = query.And(groups) if len(groups) > 1 else groups[0]
        res = s.search(q, filter=allowed, limit=limit, terms=False)
        col = self._iids()
        return {col[d]: float(sc) for d, sc in res.items()}

    def _hit(self, meta: Meta, pq: ParsedQuery, score: float, chars: int) -> Hit:
        body = self.lib.conn.execute("SELECT body FROM items WHERE id=?", (meta.id,)).fetchone()[0] or ""
        snippet, spans = make_snippet(body, pq.positive, chars)
        return Hit(meta.id, meta.title, meta.year, meta.number, meta.total, meta.date, meta.section, meta.alliance,
                   score, snippet, spans)


@contextlib.contextmanager
def open_searcher(lib: Library) -> Iterator[Searcher]:
    s = Searcher(lib)
    try:
        yield s
    finally:
        s.close()
