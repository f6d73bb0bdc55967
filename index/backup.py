"""Backups of ``library.db``: consistent copies by SQLite's backup API, the last N kept.

Copies live in the library folder's ``backups/`` as ``library-YYYYmmdd-HHMMSS-REASON.db``. One is
made before any import that changes an issue already in the library (``before-import``), once a
day (``daily``), and on request (``manual``). A copy is written under a ``.partial`` name and
renamed when complete, so a crash never leaves half a backup that looks whole.

Restoring first keeps the current file (a consistent copy if it can be read, else the raw file
as ``…-damaged.db``), then puts the chosen copy in place and flags the search index for rebuild.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from .dberrors import LibraryCorrupt, map_error
from .errors import InputError, LibraryError
from .libfile import APPLICATION_ID, connect_ro, probe

BACKUP_DIR = "backups"
KEEP = 10
_NAME_RE = re.compile(r"^library-(\d{8})-(\d{6})(?:-(\d+))?-([a-z-]+)\.db$")


@dataclass
class BackupInfo:
    path: Path
    when: dt.datetime
    reason: str
    size: int
    seq: int = 0  # several in one second: 0, 1, 2, …

    def as_dict(self) -> dict[str, object]:
        return {"file": str(self.path), "when": self.when.isoformat(), "reason": self.reason, "size": self.size}


def backup_dir(library_folder: Path) -> Path:
    return Path(library_folder) / BACKUP_DIR


def list_backups(library_folder: Path) -> list[BackupInfo]:
    """Complete backups, oldest first."""
    out = []
    folder = backup_dir(library_folder)
    if not folder.is_dir():
        return []
    for f in folder.iterdir():
        m = _NAME_RE.match(f.name)
        if not m or not f.is_file():
            continue
        when = dt.datetime.strptime(m.group(1) + m.group(2), "%Y%m%d%H%M%S")
        out.append(BackupInfo(f, when, m.group(4), f.stat().st_size, int(m.group(3) or 0)))
    out.sort(key=lambda b: (b.when, b.seq))
    return out


def _clean_partials(folder: Path) -> None:
    for f in folder.glob("*.partial"):
        f.unlink(missing_ok=True)


def _target(library_folder: Path, reason: str) -> Path:
    folder = backup_dir(library_folder)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    same = [b.seq for b in list_backups(library_folder) if b.when.strftime("%Y%m%d-%H%M%S") == stamp]
    if not same:
        return folder / f"library-{stamp}-{reason}.db"
    return folder / f"library-{stamp}-{max(same) + 1}-{reason}.db"  # after the others of that second


def backup(
    library_folder: Path, reason: str = "manual", keep: int = KEEP, conn: sqlite3.Connection | None = None
) -> Path:
    """Copy ``library.db`` into ``backups/`` (from ``conn`` if given) and keep the last ``keep``."""
    library_folder = Path(library_folder)
    db_path = library_folder / "library.db"
    if conn is None and not db_path.exists():
        raise LibraryError(f"资料库不存在：{library_folder}")
    dest = _target(library_folder, reason)
    _clean_partials(dest.parent)
    tmp = dest.with_name(dest.name + ".partial")
    src = conn or connect_ro(db_path)
    try:
        out = sqlite3.connect(tmp)
        try:
            src.backup(out)
        finally:
            out.close()
        os.replace(tmp, dest)
    except sqlite3.Error as e:
        tmp.unlink(missing_ok=True)
        mapped = map_error(e, db_path)
        if mapped is None:
            raise
        raise mapped from e
    except OSError as e:
        tmp.unlink(missing_ok=True)
        raise LibraryError(f"无法写入备份 {dest}：{e.strerror}") from None
    finally:
        if conn is None:
            src.close()
    prune(library_folder, keep)
    return dest


def prune(library_folder: Path, keep: int = KEEP) -> list[Path]:
    """Remove all but the newest ``keep`` backups; returns what was removed."""
    backups = list_backups(library_folder)
    gone = [b.path for b in backups[: max(0, len(backups) - keep)]]
    for p in gone:
        p.unlink(missing_ok=True)
    return gone


def daily_backup(library_folder: Path, conn: sqlite3.Connection | None = None, keep: int = KEEP) -> Path | None:
    """A backup if none was made today (any reason); None when there already is one."""
    today = dt.date.today()
    if any(b.when.date() == today for b in list_backups(library_folder)):
        return None
    if conn is None and not (Path(library_folder) / "library.db").exists():
        return None
    return backup(library_folder, "daily", keep, conn)


def resolve(library_folder: Path, which: str | None) -> Path:
    """The backup a user named: a path, a file name in ``backups/``, or None for the newest."""
    backups = list_backups(library_folder)
    if not which:
        if not backups:
            raise InputError(f"没有备份：{backup_dir(library_folder)}")
        return backups[-1].path
    p = Path(which)
    if p.is_file():
        return p
    q = backup_dir(library_folder) / which
    if q.is_file():
        return q
    raise InputError(f"找不到备份：{which}（jianbao backup --list 列出备份）")


def verify(path: Path) -> None:
    """Refuse a file that is not a complete, sound jianbao library."""
    if probe(path) not in ("library", "legacy"):
        raise InputError(f"不是简报阅览的资料库备份：{path}")
    try:
        conn = connect_ro(path)
        try:
            ok = conn.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error as e:
        mapped = map_error(e, path)
        if mapped is None:
            raise
        raise mapped from e
    if ok != "ok":
        raise LibraryCorrupt(f"备份文件已损坏：{path}（{ok}）")


def restore(library_folder: Path, which: str | Path | None = None) -> tuple[Path, Path | None]:
    """Put a backup in place of ``library.db``; returns (restored from, where the old file went).

    Close every program using the library first: an open connection would keep the old file.
    """
    library_folder = Path(library_folder)
    src = resolve(library_folder, str(which) if which else None)
    verify(src)
    db_path = library_folder / "library.db"
    kept: Path | None = None
    if db_path.exists():
        try:
            kept = backup(library_folder, "before-restore", keep=KEEP + 1)
        except LibraryError:  # damaged or unreadable: keep the raw file, never write into it
            kept = _target(library_folder, "damaged")
            shutil.copy2(db_path, kept)
    tmp = library_folder / "library.db.restoring"
    tmp.unlink(missing_ok=True)
    s = connect_ro(src)
    try:
        d = sqlite3.connect(tmp, isolation_level=None)
        try:
            s.backup(d)
            d.execute(f"PRAGMA application_id={APPLICATION_ID}")
            # the search index describes the old file: make the next open rebuild it
            if d.execute("SELECT 1 FROM sqlite_master WHERE name='meta'").fetchone():
                d.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('index_rebuilding', '1')")
        finally:
            d.close()
    finally:
        s.close()
    for suffix in ("-wal", "-shm"):  # an old WAL applied to the restored file would damage it
        (library_folder / ("library.db" + suffix)).unlink(missing_ok=True)
    os.replace(tmp, db_path)
    return src, kept
