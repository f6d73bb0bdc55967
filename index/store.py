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
import difflib
import hashlib
import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import sqlite_utils

from .alliances import AllianceTable
from .dberrors import LibraryReadOnly, map_error
from .errors import Cancelled, InputError, LibraryError, NotFoundError
from .libfile import APPLICATION_ID, connect_ro, probe, writable
from .parser import ParsedIssue, parse
from .text import compact, decode, fold

SCHEMA_VERSION = 1
DB_NAME = "library.db"
SUFFIXES = {".txt", ".md", ".markdown", ".text"}


def now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


@dataclass
class ImportResult:
    path: str
    status: str  # added | updated | unchanged | failed
    issue_id: int | None = None
    items: int = 0
    message: str = ""
    balance: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


@dataclass
class Progress:
    """One step of long work: what the CLI prints and the GUI turns into a signal."""

    done: int
    total: int
    text: str
    result: Any = None


def issue_label(row: dict[str, Any]) -> str:
    """``2023年第6期（总第71期）``, with what is known."""
    y, n, t = row.get("year"), row.get("number"), row.get("total")
    s = f"{y}年" if y else "年份不详"
    s += f"第{n}期" if n else ""
    s += f"（总第{t}期）" if t else ""
    return s


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
        self.alliance_table = self._load_alliances()

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
            self.conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
            self.conn.execute(f"PRAGMA application_id={APPLICATION_ID}")
            self._set_meta("rev", "0")

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """One write transaction; rolled back on any error. Lock conflicts become LibraryError."""
        if self.readonly:
            raise LibraryReadOnly(f"资料库是只读的，无法写入：{self.db_path}（可以阅读和检索，不能导入或修改）")
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as e:
            if "locked" in str(e) or "busy" in str(e):
                raise LibraryError(f"资料库正被另一个程序使用（已锁定）：{self.db_path}") from None
            raise
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
        return int(self.meta("rev", "0") or 0)

    def _bump(self) -> int:
        rev = self.rev + 1
        self._set_meta("rev", str(rev))
        return rev

    # ------------------------------------------------------------------ alliances

    def _load_alliances(self) -> AllianceTable:
        table = AllianceTable.builtin()
        for row in self.conn.execute("SELECT name, aliases FROM alliances WHERE origin='import'"):
            table.add(row[0], json.loads(row[1] or "[]"))
        return table

    def _alliance_for(self, raw: str | None) -> str | None:
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

    # ------------------------------------------------------------------ import

    def import_file(self, path: Path | str) -> ImportResult:
        """Import one bulletin file. Errors in the file become a ``failed`` result, never a change."""
        p = Path(path)
        try:
            data = p.read_bytes()
        except FileNotFoundError:
            return ImportResult(str(p), "failed", message=f"{p}: 文件不存在")
        except OSError as e:
            return ImportResult(str(p), "failed", message=f"{p}: 无法读取（{e.strerror}）")
        try:
            return self.import_bytes(data, name=p.name, path=str(p.resolve()))
        except InputError as e:
            return ImportResult(str(p), "failed", message=str(e))

    def import_bytes(self, data: bytes, *, name: str, path: str = "") -> ImportResult:
        sha = hashlib.sha256(data).hexdigest()
        row = self.conn.execute("SELECT issue_id FROM sources WHERE sha256=?", (sha,)).fetchone()
        if row:
            n = self.conn.execute("SELECT count(*) FROM items WHERE issue_id=?", (row[0],)).fetchone()[0]
            return ImportResult(path or name, "unchanged", issue_id=row[0], items=n, message="内容未变")
        text, encoding = decode(data, name)
        parsed = parse(text)
        if not parsed.items or not (
            parsed.masthead or any(it.credit for it in parsed.items) or parsed.balance.sections
        ):
            raise InputError(f"{name}: 不像是《{'产业技术创新战略联盟试点工作简报'}》：没有刊头、栏目或供稿行")
        with self.transaction():
            issue_id, status = self._store_issue(parsed)
            self.db["sources"].insert(
                {
                    "issue_id": issue_id, "name": name, "path": path, "sha256": sha, "encoding": encoding,
                    "format": parsed.format, "imported": now(),
                    "balance": json.dumps(parsed.balance.as_dict()),
                    "warnings": json.dumps(parsed.warnings, ensure_ascii=False),
                }
            )
        return ImportResult(
            path or name, status, issue_id=issue_id, items=len(parsed.items),
            balance=parsed.balance.as_dict(), warnings=parsed.warnings,
        )

    def _match_issue(self, parsed: ParsedIssue) -> int | None:
        """The issue this parse is a (possibly corrected) version of, if the library has it."""
        if parsed.masthead is not None:
            row = self.conn.execute(
                "SELECT id FROM issues WHERE year=? AND number=? AND (inferred=0 OR edited=1)",
                (parsed.year, parsed.number),
            ).fetchone()
            if row:
                return int(row[0])
        titles = sorted({compact(it.title) for it in parsed.items})
        marks = ",".join("?" * len(titles))
        rows = self.conn.execute(
            f"""SELECT issue_id, count(DISTINCT title_key),
                       (SELECT count(*) FROM items x WHERE x.issue_id = t.issue_id)
                FROM items t WHERE title_key IN ({marks}) GROUP BY issue_id""",
            titles,
        ).fetchall()
        best, best_score = None, 0.0
        for issue_id, common, have in rows:
            score = common / max(len(titles), have)
            if score > best_score:
                best, best_score = issue_id, score
        return best if best_score >= 0.5 else None

    def _store_issue(self, parsed: ParsedIssue) -> tuple[int, str]:
        rev = self._bump()
        ts = now()
        issue_id = self._match_issue(parsed)
        meta = {
            "year": parsed.year, "number": parsed.number, "total": parsed.total, "date": parsed.date,
            "publisher": parsed.masthead.publisher if parsed.masthead else None,
            "inferred": int(parsed.inferred), "format": parsed.format,
        }
        if issue_id is None:
            issue_id = self.db["issues"].insert({**meta, "edited": 0, "created": ts, "updated": ts, "rev": rev}).last_pk
            if parsed.inferred and parsed.total is None:
                self._guess_total(issue_id)
            old: list[dict[str, Any]] = []
            status = "added"
        else:
            cur = self.db["issues"].get(issue_id)
            if cur["edited"] and parsed.inferred:
                meta = {"format": parsed.format}  # keep what the user corrected
            self.db["issues"].update(issue_id, {**meta, "updated": ts, "rev": rev})
            old = list(self.db.query("SELECT * FROM items WHERE issue_id=? ORDER BY position", [issue_id]))
            status = "updated"
        # keep ids: match by title, then by position with a similar title
        by_title: dict[str, dict[str, Any]] = {}
        for o in old:
            by_title.setdefault(compact(o["title"]), o)
        used: set[int] = set()
        changed = False
        for pos, it in enumerate(parsed.items, 1):
            row = {
                "issue_id": issue_id, "section": it.section, "section_raw": it.section_raw, "position": pos,
                "title": it.title, "title_key": compact(it.title), "body": it.body,
                "folded": fold(it.title) + "\x01" + fold(it.body), "credit": it.credit,
                "credit_raw": it.credit_raw,
                "alliance": self._alliance_for(it.alliance_raw), "alliance_raw": it.alliance_raw,
            }
            match = by_title.get(compact(it.title))
            if match is None or match["id"] in used:
                match = next(
                    (o for o in old if o["id"] not in used and o["position"] == pos
                     and difflib.SequenceMatcher(None, o["title"], it.title).ratio() >= 0.6),
                    None,
                )
            if match is None:
                self.db["items"].insert({**row, "rev": rev, "updated": ts})
                changed = True
            else:
                used.add(match["id"])
                if any(match[k] != v for k, v in row.items()):
                    self.db["items"].update(match["id"], {**row, "rev": rev, "updated": ts})
                    changed = True
        for o in old:
            if o["id"] not in used:
                self.db["items"].delete(o["id"])
                self.db["tombstones"].insert({"item_id": o["id"], "rev": rev})
                changed = True
        if status == "updated" and not changed:
            status = "unchanged"
        return int(issue_id), status

    def _guess_total(self, issue_id: int) -> None:
        """Guess 总期 for an inferred issue from a neighbour with a known one (six issues a year)."""
        me = self.db["issues"].get(issue_id)
        if not me["year"] or not me["number"]:
            return
        row = self.conn.execute(
            "SELECT year, number, total FROM issues WHERE total IS NOT NULL AND inferred=0 "
            "ORDER BY abs(year - ?) LIMIT 1", (me["year"],)
        ).fetchone()
        if row:
            total = row[2] + (me["year"] - row[0]) * 6 + (me["number"] - row[1])
            if total > 0:
                self.db["issues"].update(issue_id, {"total": total})

    def import_paths(
        self, paths: Iterable[Path | str], cancelled: Callable[[], bool] = lambda: False
    ) -> Iterator[Progress]:
        """Import files and folders, yielding one :class:`Progress` per file (its ImportResult)."""
        files = list(expand_paths(paths))
        yield Progress(0, len(files), f"共 {len(files)} 个文件")
        for i, f in enumerate(files, 1):
            if cancelled():
                raise Cancelled("导入已取消")
            if isinstance(f, ImportResult):
                result = f
            else:
                try:
                    result = self.import_file(f)
                except LibraryError as e:
                    result = ImportResult(str(f), "failed", message=str(e))
            yield Progress(i, len(files), result.path, result)

    def ensure_sample(self) -> list[ImportResult]:
        """Import the built-in sample bulletins into a new, empty library (once)."""
        if self.meta("sample_imported") or self.conn.execute("SELECT count(*) FROM issues").fetchone()[0]:
            return []
        results = []
        folder = resources.files("jianbao.resources").joinpath("corpus")
        for entry in sorted(folder.iterdir(), key=lambda e: e.name):
            if entry.name.endswith(".txt"):
                try:
                    results.append(self.import_bytes(entry.read_bytes(), name=entry.name, path=f"sample:{entry.name}"))
                except InputError as e:  # pragma: no cover - the sample is tested
                    results.append(ImportResult(entry.name, "failed", message=str(e)))
        self.set_meta("sample_imported", now())
        return results

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
        if "date" in allowed:
            try:
                dt.date.fromisoformat(allowed["date"])
            except ValueError:
                raise InputError(f"日期格式应为 YYYY-MM-DD：{allowed['date']}") from None
        with self.transaction():
            rev = self._bump()
            self.db["issues"].update(issue_id, {**allowed, "edited": 1, "inferred": 0, "updated": now(), "rev": rev})
            # the items' metadata (year, 期) changed: let the index catch up
            self.conn.execute("UPDATE items SET rev=? WHERE issue_id=?", (rev, issue_id))
        return self.issue(issue_id)

    _ITEM_SELECT = """SELECT t.id, t.issue_id, i.year, i.number, i.total, i.date, i.inferred, t.section,
        t.position, t.title, t.credit, t.alliance, t.body FROM items t JOIN issues i ON i.id = t.issue_id"""

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

    def outline(self, alliance: str | None = None) -> list[tuple[int, int, str, int, str, str | None]]:
        """(id, issue_id, section, position, title, alliance) of every item: what a table of contents needs."""
        sql = "SELECT id, issue_id, section, position, title, alliance FROM items"
        if alliance:
            names = sorted(self.alliance_names(alliance))
            if not names:
                return []
            return self.conn.execute(sql + f" WHERE alliance IN ({','.join('?' * len(names))})", names).fetchall()
        return self.conn.execute(sql).fetchall()

    def item(self, item_id: int) -> dict[str, Any]:
        sql = self._ITEM_SELECT.replace(" FROM items", ", t.credit_raw, t.alliance_raw, t.section_raw FROM items")
        rows = list(self.db.query(sql + " WHERE t.id = ?", [item_id]))
        if not rows:
            raise NotFoundError(f"没有编号为 {item_id} 的条目")
        return rows[0]

    def alliance_names(self, query: str) -> set[str]:
        return self.alliance_table.lookup(query)

    def alliances(self) -> list[dict[str, Any]]:
        counts = dict(self.conn.execute("SELECT alliance, count(*) FROM items WHERE alliance IS NOT NULL GROUP BY alliance"))
        out = []
        for name, a in self.alliance_table.alliances.items():
            if counts.get(name):
                out.append({"name": name, "aliases": list(a.aliases), "items": counts[name]})
        out.sort(key=lambda r: (-r["items"], r["name"]))
        return out

    def counts(self) -> dict[str, int]:
        q = self.conn.execute
        return {
            "issues": q("SELECT count(*) FROM issues").fetchone()[0],
            "items": q("SELECT count(*) FROM items").fetchone()[0],
            "bookmarks": q("SELECT count(*) FROM bookmarks").fetchone()[0],
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
        """Rows for the search's in-memory scan changed after ``since_rev``, and ids deleted after it."""
        rows = self.conn.execute(self._SCAN_SELECT + " WHERE t.rev > ?", (since_rev,)).fetchall()
        deleted = [r[0] for r in self.conn.execute("SELECT item_id FROM tombstones WHERE rev > ?", (since_rev,))]
        return rows, deleted

    # ------------------------------------------------------------------ bookmarks

    def bookmark(self, item_id: int, note: str | None = None) -> dict[str, Any]:
        self.item(item_id)
        ts = now()
        with self.transaction():
            cur = self.conn.execute("SELECT note, created FROM bookmarks WHERE item_id=?", (item_id,)).fetchone()
            if cur:
                self.db["bookmarks"].update(item_id, {"note": cur[0] if note is None else note, "updated": ts})
            else:
                self.db["bookmarks"].insert({"item_id": item_id, "note": note or "", "created": ts, "updated": ts})
        return self.bookmarks_by_id()[item_id]

    def unbookmark(self, item_id: int) -> bool:
        with self.transaction():
            n = self.conn.execute("DELETE FROM bookmarks WHERE item_id=?", (item_id,)).rowcount
        return n > 0

    def is_bookmarked(self, item_id: int) -> bool:
        return self.conn.execute("SELECT 1 FROM bookmarks WHERE item_id=?", (item_id,)).fetchone() is not None

    def bookmarks(self) -> list[dict[str, Any]]:
        """Bookmarks, newest first; an item a corrected re-import removed is listed with title None."""
        rows = self.db.query(
            """SELECT b.item_id AS id, t.title, b.note, b.created FROM bookmarks b
               LEFT JOIN items t ON t.id = b.item_id ORDER BY b.created DESC, b.rowid DESC"""
        )
        return list(rows)

    def bookmarks_by_id(self) -> dict[int, dict[str, Any]]:
        return {b["id"]: b for b in self.bookmarks()}


def expand_paths(paths: Iterable[Path | str]) -> Iterator[Path | ImportResult]:
    """Files to import: the files named, and the bulletin files inside the folders named."""
    for p in map(Path, paths):
        if p.is_dir():
            found = sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUFFIXES)
            if not found:
                yield ImportResult(str(p), "failed", message=f"{p}: 文件夹中没有 .txt/.md 简报文件")
            yield from found
        elif p.exists():
            yield p
        else:
            yield ImportResult(str(p), "failed", message=f"{p}: 文件不存在")
