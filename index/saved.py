"""Saved searches that notice new issues: a query with its filters under a name.

Each saved search remembers the ids of the items it matched when the user last looked
(``seen``); its new hits are the ones it matches now and did not then. Item ids survive a
re-import and a reindex (the store keeps them), so a corrected issue does not make old hits
look new. Matching is the search's exact scan over the store (no Whoosh needed), so the
counts are right even while the index lags.

The table is created on first use: libraries made before saved searches existed gain it
without a schema migration, and reading them never writes.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .errors import InputError, NotFoundError
from .querylang import parse_query
from .search import Searcher

if TYPE_CHECKING:
    from .store import Library

TABLE = "saved_searches"
FILTER_KEYS = ("alliance", "section", "year_from", "year_to")


def now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


@dataclass
class SavedSearch:
    name: str
    query: str
    filters: dict[str, Any] = field(default_factory=dict)
    hits: int = 0
    new: int = 0
    new_ids: list[int] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "query": self.query, "filters": self.filters, "hits": self.hits, "new": self.new}


class SavedSearches:
    """The saved searches of one library (use in the library's thread)."""

    def __init__(self, lib: Library, searcher: Searcher | None = None):
        self.lib = lib
        self._searcher = searcher

    # ------------------------------------------------------------------ storage

    def _exists(self) -> bool:
        return self.lib.conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (TABLE,)).fetchone() is not None

    def _create(self) -> None:
        self.lib.conn.execute(
            f"CREATE TABLE IF NOT EXISTS {TABLE} (name TEXT PRIMARY KEY, query TEXT NOT NULL, filters TEXT NOT NULL,"
            " seen TEXT NOT NULL, created TEXT, seen_at TEXT)"
        )

    def _rows(self) -> list[tuple[str, str, str, str]]:
        if not self._exists():
            return []
        return self.lib.conn.execute(f"SELECT name, query, filters, seen FROM {TABLE} ORDER BY rowid").fetchall()

    # ------------------------------------------------------------------ matching

    def matching_ids(self, q: str, filters: dict[str, Any]) -> set[int]:
        """Every item the search would find for ``q`` and ``filters`` (exactly, unranked)."""
        s = self._searcher or Searcher(self.lib)
        self._searcher = s
        s.scan.update(self.lib)
        pq = parse_query(q)
        if pq:
            ids = s.scan.match(pq)
        else:
            ids = set(s.scan.ids)
            for t in pq.exclude:
                ids -= s.scan.find(t)
        return s._filter(ids, filters.get("alliance"), filters.get("section"), filters.get("year_from"),
                         filters.get("year_to"))

    # ------------------------------------------------------------------ the user's actions

    def add(self, name: str, query: str, **filters: Any) -> SavedSearch:
        """Save (or replace) a search; what it matches now counts as seen."""
        name = name.strip()
        if not name:
            raise InputError("订阅名称不能为空")
        if not query.strip() and not any(filters.values()):
            raise InputError("请给出检索词或筛选条件")
        f = {k: filters[k] for k in FILTER_KEYS if filters.get(k)}
        ids = self.matching_ids(query, f)
        with self.lib.transaction():
            self._create()
            self.lib.conn.execute(
                f"INSERT OR REPLACE INTO {TABLE}(name, query, filters, seen, created, seen_at) VALUES (?, ?, ?, ?, ?, ?)",
                (name, query, json.dumps(f, ensure_ascii=False), json.dumps(sorted(ids)), now(), now()),
            )
        return SavedSearch(name, query, f, len(ids), 0)

    def list(self) -> list[SavedSearch]:
        out = []
        for name, query, filters, seen in self._rows():
            f = json.loads(filters)
            ids = self.matching_ids(query, f)
            new = sorted(ids - set(json.loads(seen)))
            out.append(SavedSearch(name, query, f, len(ids), len(new), new))
        return out

    def get(self, name: str) -> SavedSearch:
        for s in self.list():
            if s.name == name:
                return s
        raise NotFoundError(f"没有名为“{name}”的订阅")

    def seen(self, name: str) -> SavedSearch:
        """The user has looked: what it matches now is no longer new."""
        s = self.get(name)
        ids = self.matching_ids(s.query, s.filters)
        with self.lib.transaction():
            self.lib.conn.execute(f"UPDATE {TABLE} SET seen=?, seen_at=? WHERE name=?", (json.dumps(sorted(ids)), now(), name))
        return SavedSearch(s.name, s.query, s.filters, len(ids), 0)

    def remove(self, name: str) -> bool:
        if not self._exists():
            return False
        with self.lib.transaction():
            n = self.lib.conn.execute(f"DELETE FROM {TABLE} WHERE name=?", (name,)).rowcount
        return n > 0

    def new_counts(self) -> dict[str, int]:
        """Name → number of new hits, for the saved searches that have any."""
        return {s.name: s.new for s in self.list() if s.new}


def new_hits_report(before: dict[str, int], after: dict[str, int]) -> str:
    """``3 条新结果：碳中和 (2)、WAPI (1)`` — the hits an import added; empty if none."""
    gained = {n: c - before.get(n, 0) for n, c in after.items() if c > before.get(n, 0)}
    if not gained:
        return ""
    parts = "、".join(f"{n} ({c})" for n, c in sorted(gained.items(), key=lambda kv: -kv[1]))
    return f"{sum(gained.values())} 条新结果：{parts}"
