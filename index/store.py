"""The library: a SQLite database (through sqlite-utils) that is the source of truth.

One :class:`Library` per thread: a sqlite-utils ``Database`` on a file is used in the thread
that opened it. Every multi-step write runs in one ``BEGIN IMMEDIATE`` transaction, so a failed
import leaves the library as it was. Every change bumps a revision counter (``meta.rev``) and
stamps the changed rows with it; the search index records the revision it has reached and
catches up from there (see :mod:`index.search`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import sqlite_utils

from .alliances import AllianceTable
from .bookmarks import Bookmarks
from .clock import now
from .dberrors import LibraryReadOnly, map_error
from .errors import InputError, LibraryError, NotFoundError
from .labels import (
    credit_line,
    issue_label,  # noqa: F401  (re-exported: desktop/ imports it from here)
)
from .libfile import APPLICATION_ID, connect_ro, probe, writable
from .progress import ImportResult, Progress
from .text import FOLDED_FORMAT, fold_item

if TYPE_CHECKING:
    from .readers import ReadContext

SCHEMA_VERSION = 2  # 2: originals kept (sources.original, sources.pages), items.pages and items.ocr
DB_NAME = "library.db"
# What an issue edit may set; the GUI's issue dialog has the same bounds.
ISSUE_LIMITS = {"year": (1990, 2100, "年份"), "number": (1, 99, "期"), "total": (1, 9999, "总期")}
ORIGINALS = "originals"  # kept copies of imported PDF/DOCX/scans, named by content


class OutlineRow(NamedTuple):
    """One item in a table of contents (a tuple: positional access still works)."""

    id: int
    issue_id: int
    section: str
    position: int
    title: str
    alliance: str | None


class Meta(StrEnum):
    """Every key of the ``meta`` table, declared once."""

    REV = "rev"  # the library's revision: bumped by every change (see module docstring)
    SAMPLE_IMPORTED = "sample_imported"  # when the bundled sample was imported (never again)
    INDEX_REV = "index_rev"  # the revision the search index has caught up to
    INDEX_REBUILDING = "index_rebuilding"  # "1" while a rebuild runs: a crash leaves it set
    FOLDED_FORMAT = "folded_format"  # what items.folded holds (index.text.FOLDED_FORMAT)


class Library:
    """A library folder: ``library.db`` plus the derived search index and caches."""

    def __init__(self, folder: Path | str, *, create: bool = True, readonly: bool | None = None):
        """Open (or create) the library in ``folder``. A file that is not a jianbao library is
        refused before anything writes to it; a library this process cannot write is opened
        read-only (``readonly``: force either way), where every write raises LibraryReadOnly."""
        self.folder = Path(folder)
        self.db_path = self.folder / DB_NAME
        if not self.db_path.exists() and not create:
            raise LibraryError(f"资料库不存在：{self.folder}")
        kind = probe(self.db_path)  # never writes; raises NotALibrary or the damage it finds
        self.readonly = (self.folder.exists() and not writable(self.db_path)) if readonly is None else readonly
        if self.readonly and kind == "new":
            raise LibraryReadOnly(f"资料库文件夹是只读的，无法创建资料库：{self.folder}")
        try:
            if self.readonly:
                conn = connect_ro(self.db_path)
                conn.execute("PRAGMA query_only=1")
            else:
                self.folder.mkdir(parents=True, exist_ok=True)
                conn = sqlite3.connect(self.db_path, timeout=5, isolation_level=None)
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA synchronous=NORMAL")
                if kind == "legacy":  # made before the id existed: stamp it now
                    conn.execute(f"PRAGMA application_id={APPLICATION_ID}")
            conn.execute("PRAGMA foreign_keys=ON")
        except sqlite3.DatabaseError as e:
            raise (map_error(e, self.db_path) or LibraryError(f"无法打开资料库 {self.db_path}：{e}")) from None
        except OSError as e:
            raise LibraryError(f"无法创建资料库文件夹 {self.folder}：{e.strerror}") from None
        self.conn = conn
        self.db = sqlite_utils.Database(conn)
        self._migrate()
        self._refold()
        self.alliance_table = self._load_alliances()
        self.bookmarks = Bookmarks(self)

    # ------------------------------------------------------------------ schema

    def _migrate(self) -> None:
        try:
            version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        except sqlite3.DatabaseError as e:
            raise LibraryError(f"资料库文件已损坏或不是资料库：{self.db_path}（{e}）") from None
        if version > SCHEMA_VERSION:
            raise LibraryError(
                f"资料库 {self.db_path} 由更新版本的简报阅览创建（结构版本 {version}，本程序支持 {SCHEMA_VERSION}），"
                "请升级程序后再打开"
            )
        if version == SCHEMA_VERSION:
            return
        if self.readonly:
            raise LibraryReadOnly(f"资料库是只读的，无法升级其结构：{self.db_path}")
        with self.transaction():
            db = self.db
            db["meta"].create({"key": str, "value": str}, pk="key", if_not_exists=True)
            db["issues"].create(
                {
                    "id": int, "year": int, "number": int, "total": int, "date": str, "publisher": str,
                    "inferred": int, "edited": int, "format": str, "created": str, "updated": str, "rev": int,
                },
                pk="id", if_not_exists=True,
            )
            db["sources"].create(
                {
                    "id": int, "issue_id": int, "name": str, "path": str, "sha256": str, "encoding": str,
                    "format": str, "imported": str, "balance": str, "warnings": str,
                },
                pk="id", foreign_keys=[("issue_id", "issues", "id")], if_not_exists=True,
            )
            db["items"].create(
                {
                    "id": int, "issue_id": int, "section": str, "section_raw": str, "position": int,
                    "title": str, "title_key": str, "body": str, "folded": str, "credit": str, "credit_raw": str, "alliance": str,
                    "alliance_raw": str, "rev": int, "updated": str,
                },
                pk="id", foreign_keys=[("issue_id", "issues", "id")], if_not_exists=True,
            )
            db["tombstones"].create({"item_id": int, "rev": int}, if_not_exists=True)
            db["bookmarks"].create(
                {"item_id": int, "note": str, "created": str, "updated": str}, pk="item_id", if_not_exists=True
            )
            db["alliances"].create({"name": str, "aliases": str, "origin": str}, pk="name", if_not_exists=True)
            db["items"].create_index(["issue_id", "position"], if_not_exists=True)
            db["items"].create_index(["alliance"], if_not_exists=True)
            db["items"].create_index(["rev"], if_not_exists=True)
            db["items"].create_index(["title_key"], if_not_exists=True)
            db["sources"].create_index(["sha256"], if_not_exists=True)
            self._migrate_v2()
            self.conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
            self.conn.execute(f"PRAGMA application_id={APPLICATION_ID}")
            if version == 0:
                self._set_meta(Meta.REV, "0")

    def _migrate_v2(self) -> None:
        """Version 2: the kept original of a source (path relative to the library, page count), and
        per item the pages it came from (JSON list) and whether its text came from OCR. Existing
        rows keep NULL pages: a text source has none."""
        for table, columns in (("sources", {"original": str, "pages": int}), ("items", {"pages": str, "ocr": int})):
            have = set(self.db[table].columns_dict)
            for name, kind in columns.items():
                if name not in have:
                    self.db[table].add_column(name, kind, not_null_default=0 if name == "ocr" else None)

    def _refold(self) -> None:
        """Bring ``items.folded`` to the current :data:`FOLDED_FORMAT` (a library made before the
        credit line was searched), once. ``folded`` is derived from the item's text, like the
        index: the revision does not move (a search reads it afresh when it opens the library,
        and the index is rebuilt for its own new format)."""
        if self.meta(Meta.FOLDED_FORMAT) == FOLDED_FORMAT:
            return
        with self.transaction():
            rows = self.conn.execute("SELECT id, title, body, credit, credit_raw FROM items").fetchall()
            self.conn.executemany(
                "UPDATE items SET folded=? WHERE id=?",
                [(fold_item(t, b, credit_line({"credit": c, "credit_raw": cr})), i) for i, t, b, c, cr in rows],
            )
            self._set_meta(Meta.FOLDED_FORMAT, FOLDED_FORMAT)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """One write transaction; rolled back on any error. Lock conflicts become LibraryError."""
        if self.readonly:
            raise LibraryReadOnly(f"资料库是只读的，无法写入：{self.db_path}（可以阅读和检索，不能导入或修改）")
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as e:
            mapped = map_error(e, self.db_path)
            if mapped is None:
                raise
            raise mapped from None
        try:
            yield
            self.conn.execute("COMMIT")
        except BaseException as e:
            # SQLite may already have rolled back (a full disk): then there is nothing to undo
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            mapped = map_error(e, self.db_path) if isinstance(e, sqlite3.Error) else None
            if mapped is not None:
                raise mapped from e
            raise

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ meta and revisions

    def meta(self, key: str, default: str | None = None) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else default

    def _set_meta(self, key: str, value: str) -> None:
        self.conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction():
            self._set_meta(key, value)

    @property
    def rev(self) -> int:
        return int(self.meta(Meta.REV, "0") or 0)

    def bump_rev(self) -> int:
        """Start a new revision inside the current transaction; rows changed in it carry it."""
        rev = self.rev + 1
        self._set_meta(Meta.REV, str(rev))
        return rev

    # ------------------------------------------------------------------ alliances

    def _load_alliances(self) -> AllianceTable:
        table = AllianceTable.builtin()
        for row in self.conn.execute("SELECT name, aliases FROM alliances WHERE origin='import'"):
            table.add(row[0], json.loads(row[1] or "[]"))
        return table

    def alliance_for(self, raw: str | None) -> str | None:
        if not raw:
            return None
        name = self.alliance_table.resolve(raw)
        if name is None:
            name = raw.replace("联盟联盟", "联盟")
            self.alliance_table.add(name, [raw] if raw != name else [])
            self.db["alliances"].upsert(
                {"name": name, "aliases": json.dumps([raw] if raw != name else [], ensure_ascii=False),
                 "origin": "import"},
                pk="name",
            )
        return name

    # ------------------------------------------------------------------ import (see index.importer)
    # thin delegates for callers that predate the importer module; importer imports this module,
    # so it is imported here when called

    @property
    def cache_dir(self) -> Path:
        """Derived data that can be rebuilt (OCR results by page-image hash)."""
        return self.folder / "cache"

    def import_file(self, path: Path | str, ctx: ReadContext | None = None, force: bool = False) -> ImportResult:
        from . import importer

        return importer.import_file(self, path, ctx, force=force)

    def import_bytes(
        self, data: bytes, *, name: str, path: str = "", ctx: ReadContext | None = None, force: bool = False
    ) -> ImportResult:
        from . import importer

        return importer.import_bytes(self, data, name=name, path=path, ctx=ctx, force=force)

    def import_paths(
        self, paths: Iterable[Path | str], cancelled: Callable[[], bool] = lambda: False, force: bool = False
    ) -> Iterator[Progress]:
        from . import importer

        return importer.import_paths(self, paths, cancelled, force=force)

    def ensure_sample(self) -> list[ImportResult]:
        from . import importer

        return importer.ensure_sample(self)

    # ------------------------------------------------------------------ queries

    def issues(self) -> list[dict[str, Any]]:
        rows = self.db.query(
            """SELECT i.*, (SELECT count(*) FROM items t WHERE t.issue_id=i.id) AS items,
                      (SELECT group_concat(name, ', ') FROM sources s WHERE s.issue_id=i.id) AS source
               FROM issues i ORDER BY coalesce(i.year, 0) DESC, coalesce(i.number, 0) DESC, i.id DESC"""
        )
        return list(rows)

    def issue(self, issue_id: int) -> dict[str, Any]:
        try:
            return dict(self.db["issues"].get(issue_id))
        except sqlite_utils.db.NotFoundError:
            raise NotFoundError(f"没有编号为 {issue_id} 的期刊") from None

    def edit_issue(self, issue_id: int, **changes: Any) -> dict[str, Any]:
        """Correct an issue's year, 期, 总期 or date (the user's word is final: inferred → edited)."""
        self.issue(issue_id)
        allowed = {k: v for k, v in changes.items() if k in {"year", "number", "total", "date"} and v is not None}
        for key, (low, high, label) in ISSUE_LIMITS.items():
            if key in allowed and not low <= allowed[key] <= high:
                raise InputError(f"{label}应在 {low}–{high} 之间：{allowed[key]}")
        if "date" in allowed:
            try:
                dt.date.fromisoformat(allowed["date"])
            except ValueError:
                raise InputError(f"日期格式应为 YYYY-MM-DD：{allowed['date']}") from None
        with self.transaction():
            rev = self.bump_rev()
            self.db["issues"].update(issue_id, {**allowed, "edited": 1, "inferred": 0, "updated": now(), "rev": rev})
            # the items' metadata (year, 期) changed: let the index catch up
            self.conn.execute("UPDATE items SET rev=? WHERE issue_id=?", (rev, issue_id))
        return self.issue(issue_id)

    _ITEM_SELECT = """SELECT t.id, t.issue_id, i.year, i.number, i.total, i.date, i.inferred, t.section,
        t.position, t.title, t.credit, t.credit_raw, t.alliance, t.ocr, t.body FROM items t JOIN issues i ON i.id = t.issue_id"""

    def items(
        self,
        issue_id: int | None = None,
        alliance: str | None = None,
        section: str | None = None,
        ids: Iterable[int] | None = None,
        body: bool = True,
    ) -> list[dict[str, Any]]:
        """Items with their issue's metadata, newest issue first; ``body=False`` leaves the text out."""
        where, params = [], []  # type: ignore[var-annotated]
        if issue_id is not None:
            where.append("t.issue_id = ?")
            params.append(issue_id)
        if alliance:
            names = self.alliance_names(alliance)
            if not names:
                return []
            where.append(f"t.alliance IN ({','.join('?' * len(names))})")
            params.extend(sorted(names))
        if section:
            where.append("(t.section = ? OR t.section_raw = ?)")
            params.extend([section, section])
        if ids is not None:
            id_list = list(ids)
            if not id_list:
                return []
            where.append(f"t.id IN ({','.join('?' * len(id_list))})")
            params.extend(id_list)
        select = self._ITEM_SELECT if body else self._ITEM_SELECT.replace(", t.body FROM", " FROM")
        sql = select + (" WHERE " + " AND ".join(where) if where else "")
        sql += " ORDER BY coalesce(i.year,0) DESC, coalesce(i.number,0) DESC, i.id DESC, t.position"
        return list(self.db.query(sql, params))

    def outline(self, alliance: str | None = None) -> list[OutlineRow]:
        """Every item's place (no text): what a table of contents needs."""
        sql = "SELECT id, issue_id, section, position, title, alliance FROM items"
        params: list[str] = []
        if alliance:
            params = sorted(self.alliance_names(alliance))
            if not params:
                return []
            sql += f" WHERE alliance IN ({','.join('?' * len(params))})"
        return [OutlineRow(*r) for r in self.conn.execute(sql, params)]

    def item(self, item_id: int) -> dict[str, Any]:
        sql = self._ITEM_SELECT.replace(
            " FROM items", ", t.alliance_raw, t.section_raw, t.pages FROM items"
        )
        rows = list(self.db.query(sql + " WHERE t.id = ?", [item_id]))
        if not rows:
            raise NotFoundError(f"没有编号为 {item_id} 的条目")
        row = rows[0]
        row["pages"] = json.loads(row["pages"]) if row["pages"] else []
        row["ocr"] = bool(row["ocr"])
        return row

    def item_pages(self, ids: Iterable[int]) -> dict[int, list[int]]:
        """The original's pages of each item that has them (items from text sources have none)."""
        id_list = list(ids)
        out: dict[int, list[int]] = {}
        size = max(1, min(500, self.conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) - 4))  # any build's limit
        for start in range(0, len(id_list), size):
            chunk = id_list[start : start + size]
            sql = f"SELECT id, pages FROM items WHERE pages IS NOT NULL AND id IN ({','.join('?' * len(chunk))})"
            out.update((i, json.loads(p)) for i, p in self.conn.execute(sql, chunk))
        return out

    def original(self, issue_id: int) -> dict[str, Any] | None:
        """The kept original of an issue (its latest source that has one): absolute ``path``,
        ``suffix``, ``pages``, ``name``, ``exists``; None for an issue imported only from text."""
        row = self.conn.execute(
            "SELECT original, pages, name FROM sources WHERE issue_id=? AND original IS NOT NULL ORDER BY id DESC LIMIT 1",
            (issue_id,),
        ).fetchone()
        if row is None:
            return None
        path = self.folder / row[0]
        return {"path": str(path), "suffix": path.suffix, "pages": row[1], "name": row[2], "exists": path.is_file()}

    def alliance_names(self, query: str) -> set[str]:
        return self.alliance_table.lookup(query)

    def alliances(self) -> list[dict[str, Any]]:
        """Alliances with items; names that are one alliance (AllianceTable.groups) are one row."""
        counts = dict(self.conn.execute("SELECT alliance, count(*) FROM items WHERE alliance IS NOT NULL GROUP BY alliance"))
        table = self.alliance_table
        out = []
        for name, names in table.groups().items():
            n = sum(counts.get(x, 0) for x in names)
            if n:
                aliases = list(names[1:])
                aliases += [a for x in names for a in table.alliances[x].aliases if a not in aliases]
                out.append({"name": name, "aliases": aliases, "items": n})
        out.sort(key=lambda r: (-r["items"], r["name"]))
        return out

    def counts(self) -> dict[str, int]:
        q = self.conn.execute
        return {
            "issues": q("SELECT count(*) FROM issues").fetchone()[0],
            "items": q("SELECT count(*) FROM items").fetchone()[0],
            "bookmarks": self.bookmarks.count(),
        }

    def changes_since(self, rev: int) -> tuple[list[dict[str, Any]], list[int]]:
        """Items changed after ``rev`` (with their issue's metadata) and ids deleted after it."""
        changed = list(self.db.query(self._ITEM_SELECT + " WHERE t.rev > ?", [rev]))
        deleted = [r[0] for r in self.conn.execute("SELECT item_id FROM tombstones WHERE rev > ?", (rev,))]
        return changed, deleted

    # ``folded`` is the item's text as the exact search compares it (index.text.fold of the title,
    # \x01, of the body), computed once at import so that no start-up pays for it
    _SCAN_SELECT = """SELECT t.id, t.title, t.folded, t.section, t.section_raw, t.alliance, t.position,
        i.year, i.number, i.total, i.date, t.issue_id FROM items t JOIN issues i ON i.id = t.issue_id"""

    def scan_rows(self, since_rev: int = -1) -> tuple[list[tuple[Any, ...]], list[int]]:
        """Rows for the search's in-memory scan changed after ``since_rev``, and ids deleted after it.

        Plain tuples in :data:`_SCAN_SELECT`'s column order, unpacked by name in
        :meth:`index.search.TextScan.update`: at 10,000s of rows a tuple class per row costs."""
        rows = self.conn.execute(self._SCAN_SELECT + " WHERE t.rev > ?", (since_rev,)).fetchall()
        deleted = [r[0] for r in self.conn.execute("SELECT item_id FROM tombstones WHERE rev > ?", (since_rev,))]
        return rows, deleted

    # ------------------------------------------------------------------ bookmarks (see index.bookmarks)
    # thin delegates kept while desktop/ is being split on another branch; new code: lib.bookmarks.*

    def bookmark(self, item_id: int, note: str | None = None) -> dict[str, Any]:
        return self.bookmarks.add(item_id, note)

    def unbookmark(self, item_id: int) -> bool:
        return self.bookmarks.remove(item_id)

    def is_bookmarked(self, item_id: int) -> bool:
        return self.bookmarks.has(item_id)

    def bookmarks_by_id(self) -> dict[int, dict[str, Any]]:
        return self.bookmarks.by_id()

