"""What makes a SQLite file a jianbao library, checked before anything writes to it.

A library's ``library.db`` carries :data:`APPLICATION_ID` in its header (``PRAGMA application_id``).
Libraries made before the id existed have 0 there, a ``user_version`` and the ``meta`` and
``items`` tables: they are accepted and stamped on their next write. Anything else (another
program's SQLite file, a file that is not SQLite) is refused before a single byte is written: the
probe uses a read-only connection.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from .dberrors import LibraryReadOnly, NotALibrary, map_error

APPLICATION_ID = 0x4A42414F  # "JBAO"
SQLITE_MAGIC = b"SQLite format 3\x00"


def ro_uri(path: Path, immutable: bool = False) -> str:
    """A ``file:`` URI that opens ``path`` read-only (``immutable``: not even a -shm file)."""
    from urllib.parse import quote

    return f"file:{quote(str(path.resolve()))}?mode=ro" + ("&immutable=1" if immutable else "")


def connect_ro(path: Path, timeout: float = 5) -> sqlite3.Connection:
    """A read-only connection; in a folder no one may write, one that needs no -shm file."""
    immutable = not writable(path)
    return sqlite3.connect(ro_uri(path, immutable), uri=True, timeout=timeout, isolation_level=None)


def writable(db_path: Path) -> bool:
    """Can this process write the database and create its -wal/-shm beside it?"""
    folder = db_path.parent
    if not os.access(folder, os.W_OK):
        return False
    return not db_path.exists() or os.access(db_path, os.W_OK)


def probe(db_path: Path) -> str:
    """``new`` (no file, or an empty one), ``library`` or ``legacy`` (a library without the id).

    Raises :class:`NotALibrary` for any other file, and the mapped error when SQLite cannot read
    it (damaged, unreadable). Never writes to the file.
    """
    try:
        size = db_path.stat().st_size
    except FileNotFoundError:
        return "new"
    except OSError as e:
        raise NotALibrary(f"无法读取资料库文件：{db_path}（{e.strerror}）") from None
    if size == 0:
        return "new"
    try:
        with open(db_path, "rb") as fh:
            head = fh.read(len(SQLITE_MAGIC))
    except OSError as e:
        raise NotALibrary(f"无法读取资料库文件：{db_path}（{e.strerror}）") from None
    if head != SQLITE_MAGIC:
        raise NotALibrary(
            f"资料库文件已损坏或不是简报阅览的资料库：{db_path}（不是 SQLite 数据库），未做任何改动；"
            "若是资料库，可用 jianbao restore 从备份恢复"
        )
    try:
        conn = connect_ro(db_path)
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        finally:
            conn.close()
    except sqlite3.Error as e:
        mapped = map_error(e, db_path)
        if mapped is None or isinstance(mapped, LibraryReadOnly):
            raise
        raise mapped from e
    if app_id == APPLICATION_ID:
        return "library"
    if app_id == 0 and not tables and version == 0:
        return "new"
    if app_id == 0 and version > 0 and {"meta", "items"} <= tables:
        return "legacy"
    raise NotALibrary(
        f"不是简报阅览的资料库文件：{db_path}（另一个程序的 SQLite 数据库，application_id={app_id}），未做任何改动"
    )
