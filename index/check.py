"""``jianbao check``: is the library sound? A report, never a change.

Everything here reads through a read-only connection, so a damaged file is never written into.
The quick form (what the GUI runs at start-up) uses ``PRAGMA quick_check`` and counts; the full
form runs ``PRAGMA integrity_check`` and compares the search index's documents with the store's
items one by one.
"""

from __future__ import annotations

import json
import sqlite3
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from .backup import list_backups
from .dberrors import map_error
from .errors import LibraryError
from .libfile import connect_ro, probe


@dataclass
class Finding:
    name: str  # integrity | schema | index | bookmarks | items | backups
    ok: bool
    text: str

    def as_dict(self) -> dict[str, object]:
        return {"name": self.name, "ok": self.ok, "text": self.text}


@dataclass
class Report:
    folder: Path
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(f.ok for f in self.findings)

    def add(self, name: str, ok: bool, text: str) -> None:
        self.findings.append(Finding(name, ok, text))

    def text(self) -> str:
        lines = [f"{'✓' if f.ok else '✗'} {f.text}" for f in self.findings]
        lines.append("资料库完好" if self.ok else "发现问题（见上）")
        return "\n".join(lines)

    def as_dict(self) -> dict[str, object]:
        return {"folder": str(self.folder), "ok": self.ok, "findings": [f.as_dict() for f in self.findings]}


def check(folder: Path | str, full: bool = True) -> Report:
    folder = Path(folder)
    db_path = folder / "library.db"
    report = Report(folder)
    if not db_path.exists():
        report.add("schema", False, f"资料库不存在：{db_path}")
        return report
    try:
        kind = probe(db_path)
    except LibraryError as e:
        report.add("schema", False, str(e))
        _backups(report, folder)
        return report
    report.add("schema", True, "简报阅览资料库" + ("（旧版，下次写入时补记标识）" if kind == "legacy" else ""))
    try:
        conn = connect_ro(db_path)
    except sqlite3.Error as e:
        report.add("integrity", False, str(map_error(e, db_path) or e))
        return report
    try:
        _integrity(report, conn, full)
        if report.ok:
            _references(report, conn)
            _index(report, conn, folder, full)
    except sqlite3.Error as e:
        mapped = map_error(e, db_path)
        if mapped is None:
            raise
        report.add("integrity", False, str(mapped))
    finally:
        conn.close()
    _backups(report, folder)
    return report


def _integrity(report: Report, conn: sqlite3.Connection, full: bool) -> None:
    pragma = "integrity_check" if full else "quick_check"
    rows = [r[0] for r in conn.execute(f"PRAGMA {pragma}(20)")]
    if rows == ["ok"]:
        report.add("integrity", True, f"数据库结构完好（{pragma}）")
    else:
        report.add("integrity", False, f"数据库已损坏（{pragma}）：{'；'.join(rows[:3])}；可用 jianbao restore 从备份恢复")


def _references(report: Report, conn: sqlite3.Connection) -> None:
    q = conn.execute
    orphans = [r[0] for r in q("SELECT item_id FROM bookmarks WHERE item_id NOT IN (SELECT id FROM items) ORDER BY item_id")]
    if orphans:
        shown = "、".join(map(str, orphans[:10])) + ("…" if len(orphans) > 10 else "")
        report.add("bookmarks", False, f"{len(orphans)} 个书签指向已不在资料库中的条目：{shown}")
    else:
        n = q("SELECT count(*) FROM bookmarks").fetchone()[0]
        report.add("bookmarks", True, f"书签 {n} 个，都指向现有条目")
    lost = q("SELECT count(*) FROM items WHERE issue_id NOT IN (SELECT id FROM issues)").fetchone()[0]
    n_items = q("SELECT count(*) FROM items").fetchone()[0]
    n_issues = q("SELECT count(*) FROM issues").fetchone()[0]
    if lost:
        report.add("items", False, f"{lost} 个条目不属于任何期刊")
    else:
        report.add("items", True, f"期刊 {n_issues} 期，条目 {n_items} 条")


def _meta(conn: sqlite3.Connection, key: str) -> str | None:
    row = conn.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
    return row[0] if row else None


def _index(report: Report, conn: sqlite3.Connection, folder: Path, full: bool) -> None:
    search = folder / "search"
    rev = _meta(conn, "rev") or "0"
    index_rev = _meta(conn, "index_rev")
    if _meta(conn, "index_rebuilding") == "1":
        report.add("index", False, "检索索引上次重建未完成，下次打开时会自动重建（或运行 jianbao reindex）")
        return
    try:
        marker = json.loads((search / "jianbao-index.json").read_text())
    except (OSError, ValueError):
        report.add("index", False, "检索索引不存在，下次检索时会自动建立（或运行 jianbao reindex）")
        return
    if str(marker.get("rev")) != str(index_rev):
        report.add("index", False, "检索索引与资料库记录的版本不一致，运行 jianbao reindex 重建")
        return
    from whoosh import index

    items = {r[0] for r in conn.execute("SELECT id FROM items")}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)
            ix = index.open_dir(str(search))
            with ix.reader() as r:
                docs = {int(f["id"]) for f in r.all_stored_fields()} if full else set()
                count = r.doc_count()
    except Exception as e:  # a derived index that cannot be read is only a reason to rebuild it
        report.add("index", False, f"检索索引已损坏（{type(e).__name__}），运行 jianbao reindex 重建")
        return
    behind = int(rev) - int(index_rev or -1)
    if full and docs != items:
        missing, extra = len(items - docs), len(docs - items)
        stale = "（索引落后于资料库，下次检索时会自动补上）" if behind > 0 else "，运行 jianbao reindex 重建"
        report.add("index", behind > 0, f"检索索引缺 {missing} 条、多 {extra} 条{stale}")
    elif not full and count != len(items) and behind <= 0:
        report.add("index", False, f"检索索引有 {count} 条，资料库有 {len(items)} 条，运行 jianbao reindex 重建")
    else:
        report.add("index", True, f"检索索引与资料库一致（{count} 条）" if behind <= 0 else "检索索引稍落后，下次检索时会自动补上")


def _backups(report: Report, folder: Path) -> None:
    backups = list_backups(folder)
    if backups:
        b = backups[-1]
        report.add("backups", True, f"备份 {len(backups)} 份，最新：{b.path.name}")
    else:
        report.add("backups", True, "还没有备份（jianbao backup 创建一份）")
