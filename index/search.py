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

The Whoosh index is derived data: the store's ``meta.index_rev`` records the revision it has
reached; a missing, stale or damaged index, or a flag left by a rebuild that did not finish, is
detected at open and rebuilt from the store.
"""

from __future__ import annotations

import bisect
import contextlib
import gc
import itertools
import json
import multiprocessing
import re
import shutil
import tempfile
import time
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from whoosh import fields, index, query, scoring
from whoosh.analysis import Token, Tokenizer

from .errors import Cancelled, InputError
from .locking import index_lock, rebuild_workers, stop_workers
from .segment import segmenter, words
from .snippets import make_snippet
from .store import Library, Progress
from .text import fold

INDEX_FORMAT = 4  # 4: schema pickles jianbao.index.* class paths (was index.*)
_SEP = "\x00"  # between items in the scan string: no folded term contains it


def domain_terms() -> list[str]:
    """The archive's own words (resources/terms.txt) for the segmenter's user dictionary."""
    text = resources.files("jianbao.resources").joinpath("terms.txt").read_text("utf-8")
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]


# --------------------------------------------------------------------------- query language


@dataclass
class ParsedQuery:
    """Terms are folded. ``groups``: each group is ORed, groups are ANDed; ``exclude`` are NOT."""

    groups: list[list[str]] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)

    @property
    def positive(self) -> list[str]:
        return [t for g in self.groups for t in g]

    def __bool__(self) -> bool:
        return bool(self.groups)


_TOKEN_RE = re.compile(r'(-?)"([^"]*)"?|(\S+)')
# Control characters are never part of a term: NUL and \x01 separate items and fields in the
# scan string, so a term holding one would match across an item's boundary.
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f]")
MAX_TERMS = 64  # distinct terms in one query: more is no search a person types, and costs seconds


def parse_query(q: str) -> ParsedQuery:
    """``钒钛 "ISO 26262" 粉末 OR 冶金 -WAPI``: AND of terms, quoted phrases, OR, exclusion.

    Chinese quotes “…” delimit a phrase like ASCII ones: users type them around what they seek.
    A repeated term or group counts once; more than :data:`MAX_TERMS` distinct terms is an
    :class:`InputError` (Whoosh's nested matchers grow with every term).
    """
    q = _CONTROL_RE.sub(" ", q)
    q = q.replace("“", '"').replace("”", '"').replace("＂", '"')
    out = _parse_terms(q)
    groups: dict[tuple[str, ...], list[str]] = {}
    for g in out.groups:
        terms = list(dict.fromkeys(g))
        groups.setdefault(tuple(sorted(terms)), terms)
    out.groups = list(groups.values())
    out.exclude = list(dict.fromkeys(out.exclude))
    n = len({t for g in out.groups for t in g} | set(out.exclude))
    if n > MAX_TERMS:
        raise InputError(f"检索词太多：{n} 个（最多 {MAX_TERMS} 个），请减少检索词")
    return out


def _parse_terms(q: str) -> ParsedQuery:
    out = ParsedQuery()
    pending_or = False
    for m in _TOKEN_RE.finditer(q):
        neg, quoted, bare = m.group(1), m.group(2), m.group(3)
        if bare is not None:
            if bare in ("OR", "|", "或"):
                pending_or = bool(out.groups)
                continue
            if bare.startswith("-") and len(bare) > 1:
                neg, bare = "-", bare[1:]
            term = fold(bare.replace('"', ""))
        else:
            term = fold(quoted or "")
        if not term:
            continue
        if neg:
            out.exclude.append(term)
        elif pending_or:
            out.groups[-1].append(term)
        else:
            out.groups.append([term])
        pending_or = False
    return out


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


class Searcher:
    """Search over one library. Create it in the thread that uses the library."""

    def __init__(self, lib: Library, folder: Path | None = None):
        self.lib = lib
        self.folder = folder or lib.folder / "search"
        self.cache = lib.folder / "cache"
        self._ix: index.Index | None = None
        self._searcher: Any = None
        self._docnum_of: dict[int, int] | None = None
        self._iid_of: list[int] | None = None
        self._seen: tuple[str | None, float] = (None, 0.0)
        self._user_words: list[str] | None = None
        self.scan = TextScan()

    # ------------------------------------------------------------------ opening and upkeep

    def _seg_name(self) -> str:
        return self._segmenter().name

    def _segmenter(self) -> Any:
        if self._user_words is None:
            names = [n for a in self.lib.alliance_table.alliances.values() for n in (a.name, *a.aliases)]
            self._user_words = [*names, *domain_terms()]
            return segmenter(self.cache, self._user_words)
        return segmenter(self.cache)

    def _marker(self) -> Path:
        return self.folder / "jianbao-index.json"

    def _marker_mtime(self) -> float:
        try:
            return self._marker().stat().st_mtime_ns / 1e9
        except OSError:
            return 0.0

    def status(self) -> str:
        """ok, missing, stale (behind the store), or broken (rebuild flag, format, damage)."""
        if self.lib.meta("index_rebuilding") == "1":
            return "broken"
        try:
            marker = json.loads(self._marker().read_text())
        except (OSError, ValueError):
            return "missing"
        if marker.get("format") != INDEX_FORMAT or marker.get("segmenter") != self._seg_name():
            return "broken"
        damaged = False
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)
            try:
                index.open_dir(str(self.folder)).doc_count()
            except Exception:  # any failure to open a derived index means: rebuild it
                damaged = True
            # Whoosh leaves a damaged file open; let it be closed now, quietly, not at exit.
            gc.collect()
        if damaged:
            return "broken"
        rev = int(self.lib.meta("index_rev", "-1") or -1)
        if rev != marker.get("rev") or rev > self.lib.rev:
            return "broken"
        return "ok" if rev == self.lib.rev else "stale"

    def open(self, progress: Callable[[Progress], None] | None = None) -> None:
        """Make the index usable: rebuild it if missing or damaged, catch up if stale."""
        with index_lock(self.lib.folder):
            st = self.status()  # again under the lock: another thread may have just rebuilt it
            if st in ("missing", "broken"):
                for p in self.rebuild():
                    if progress:
                        progress(p)
            elif st == "stale":
                self.sync()
        if self._ix is None:
            self._ix = index.open_dir(str(self.folder))

    def _write_marker(self, rev: int) -> None:
        self._marker().write_text(json.dumps({"format": INDEX_FORMAT, "segmenter": self._seg_name(), "rev": rev}))

    def _doc(self, row: dict[str, Any]) -> dict[str, Any]:
        return {"id": str(row["id"]), "iid": row["id"], "text": row["title"] + FIELD_SEP + (row["body"] or "")}

    def rebuild(self, cancelled: Callable[[], bool] = lambda: False, procs: int = 1) -> Iterator[Progress]:
        """Rebuild the index from the store (crash-safe: a flag is set until the commit).

        ``procs`` > 1 segments in that many processes; only where processes fork (not on Windows
        or macOS, whose spawned workers would not share the segmenter) and from a process with no
        other threads (the CLI, not the GUI).
        """
        with index_lock(self.lib.folder):
            yield from self._rebuild(cancelled, procs)

    def _rebuild(self, cancelled: Callable[[], bool], procs: int) -> Iterator[Progress]:
        self._segmenter()
        self.lib.set_meta("index_rebuilding", "1")
        self._close_searcher()
        for stale in self.folder.parent.glob(self.folder.name + ".new-*"):  # left by a crash
            shutil.rmtree(stale, ignore_errors=True)
        tmp = Path(tempfile.mkdtemp(prefix=self.folder.name + ".new-", dir=self.folder.parent))
        rev = self.lib.rev
        rows = self.lib.items()
        ix = index.create_in(str(tmp), make_schema())
        kw: dict[str, Any] = {"timeout": 10, "limitmb": 256}
        if procs > 1 and multiprocessing.get_start_method(allow_none=False) == "fork":
            kw.update(procs=procs, multisegment=True)
        with rebuild_workers() as guard:  # forked workers: never hold the lock, die with this process
            w = ix.writer(**kw)
            committed = False
            try:
                for n, row in enumerate(rows, 1):
                    if cancelled():
                        raise Cancelled("重建索引已取消")
                    guard.check()
                    w.add_document(**self._doc(row))
                    if n % 500 == 0:
                        yield Progress(n, len(rows), "建立索引")
                w.commit()
                committed = True
                guard.check()
            except BaseException:
                stop_workers(w)  # first: a worker may still read a job file that cancel removes
                if not committed:
                    with contextlib.suppress(OSError):  # its temp folder goes with ``tmp`` below
                        w.cancel()
                shutil.rmtree(tmp, ignore_errors=True)
                raise
        old = self.folder.with_name(self.folder.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if self.folder.exists():
            self.folder.rename(old)
        tmp.rename(self.folder)
        shutil.rmtree(old, ignore_errors=True)
        self._write_marker(rev)
        with self.lib.transaction():
            self.lib._set_meta("index_rev", str(rev))
            self.lib._set_meta("index_rebuilding", "0")
        self._ix = index.open_dir(str(self.folder))
        yield Progress(len(rows), len(rows), "索引已建立")

    def sync(self) -> int:
        """Bring the index up to the store's revision; returns the number of documents written."""
        with index_lock(self.lib.folder):
            return self._sync()

    def _sync(self) -> int:
        rev_from = int(self.lib.meta("index_rev", "-1") or -1)
        rev_to = self.lib.rev
        if rev_from == rev_to and self.folder.exists():
            return 0
        if rev_from < 0 or not self.folder.exists():
            for _ in self._rebuild(lambda: False, 1):
                pass
            return -1
        changed, deleted = self.lib.changes_since(rev_from)
        self._segmenter()
        ix = self._ix or index.open_dir(str(self.folder))
        w = ix.writer(timeout=10)
        try:
            for item_id in deleted:
                w.delete_by_term("id", str(item_id))
            for row in changed:
                w.update_document(**self._doc(row))
            w.commit()
        except BaseException:
            w.cancel()
            raise
        self._write_marker(rev_to)
        self.lib.set_meta("index_rev", str(rev_to))
        self._ix = ix
        self._refresh_searcher()
        return len(changed) + len(deleted)

    def ensure_current(self) -> None:
        """Catch the index and the scan up with the store (another process may have imported)."""
        if self._ix is None or self.lib.meta("index_rev") != str(self.lib.rev):
            self.open()
        seen = (self.lib.meta("index_rev"), self._marker_mtime())
        if seen != self._seen:  # written by another thread or process since we opened it
            self._close_searcher()
            self._ix = index.open_dir(str(self.folder))
            self._seen = seen
        self.scan.update(self.lib)

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
        if self._ix is None:
            self.open()
        if self._searcher is None:
            assert self._ix is not None
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
        self.ensure_current()
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


def update_index(lib: Library) -> None:
    """Bring the index in step with the store (after an import or an edit): catch up, or rebuild
    it if it is missing or damaged."""
    with open_searcher(lib) as s:
        s.open()


@contextlib.contextmanager
def open_searcher(lib: Library) -> Iterator[Searcher]:
    s = Searcher(lib)
    try:
        yield s
    finally:
        s.close()
