"""SQLite's errors as the project's own, in one place, by SQLite's error code.

Like qutebrowser's ``misc/sql.py``: an error the environment causes (another program holds the
lock, the disk is full, the file is damaged, not a library, read-only, cannot be opened) becomes a
:class:`~index.errors.LibraryError` subclass with a one-line message for the user; anything else
is a bug and keeps its traceback. The original exception is kept as ``sqlite_error`` (and as
``__cause__``), so a log still shows what SQLite said.

The code is ``sqlite3.Error.sqlite_errorcode`` (extended; its low byte is the primary code). A
few errors the ``sqlite3`` module raises itself carry no code (text that is not UTF-8 in a damaged
file): they are recognised by their message.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from .errors import LibraryError

BACKUP_HINT = "可用 jianbao restore 从备份恢复（备份在资料库文件夹的 backups 中），或运行 jianbao check 查看详情"


class SqliteLibraryError(LibraryError):
    """A LibraryError that SQLite reported; ``sqlite_error`` is the original exception."""

    sqlite_error: sqlite3.Error | None = None


class LibraryBusy(SqliteLibraryError):
    """SQLITE_BUSY / SQLITE_LOCKED: another connection holds the lock."""


class LibraryFull(SqliteLibraryError):
    """SQLITE_FULL: the disk (or the database's page limit) is full."""


class LibraryCorrupt(SqliteLibraryError):
    """SQLITE_CORRUPT, or text a damaged page made undecodable."""


class NotALibrary(SqliteLibraryError):
    """SQLITE_NOTADB, or a SQLite file that another program made (its application_id)."""


class LibraryReadOnly(SqliteLibraryError):
    """SQLITE_READONLY: the file or its folder cannot be written."""


class LibraryUnavailable(SqliteLibraryError):
    """SQLITE_CANTOPEN / SQLITE_IOERR: the file cannot be opened or read."""


_BY_CODE: dict[int, type[SqliteLibraryError]] = {
    sqlite3.SQLITE_BUSY: LibraryBusy,
    sqlite3.SQLITE_LOCKED: LibraryBusy,
    sqlite3.SQLITE_FULL: LibraryFull,
    sqlite3.SQLITE_CORRUPT: LibraryCorrupt,
    sqlite3.SQLITE_NOTADB: NotALibrary,
    sqlite3.SQLITE_READONLY: LibraryReadOnly,
    sqlite3.SQLITE_CANTOPEN: LibraryUnavailable,
    sqlite3.SQLITE_IOERR: LibraryUnavailable,
}


def error_class(exc: sqlite3.Error) -> type[SqliteLibraryError] | None:
    """The class an error maps to, or None for a bug (bad SQL, misuse, constraint)."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return _BY_CODE.get(code & 0xFF)
    text = str(exc)
    if "decode" in text and "UTF-8" in text:  # the sqlite3 module's own message, no code
        return LibraryCorrupt
    if isinstance(exc, sqlite3.OperationalError) and ("locked" in text or "busy" in text):
        return LibraryBusy  # raised without a code (by a wrapper, or a test)
    return None


def message(cls: type[SqliteLibraryError], where: object, exc: sqlite3.Error) -> str:
    name = getattr(exc, "sqlite_errorname", None) or type(exc).__name__
    if cls is LibraryBusy:
        return f"资料库正被另一个程序使用（已锁定）：{where}"
    if cls is LibraryFull:
        return f"磁盘已满，无法写入资料库：{where}（{name}）；资料库保持原样，请腾出空间后重试"
    if cls is LibraryCorrupt:
        return f"资料库文件已损坏：{where}（{exc}）；{BACKUP_HINT}"
    if cls is NotALibrary:
        return f"不是简报阅览的资料库文件：{where}（{name}），未做任何改动"
    if cls is LibraryReadOnly:
        return f"资料库是只读的，无法写入：{where}（可以阅读和检索，不能导入或修改）"
    return f"无法打开或读取资料库：{where}（{name}：{exc}）"


def map_error(exc: sqlite3.Error, where: object) -> SqliteLibraryError | None:
    """The user-facing error for ``exc``, or None when it is a bug and must keep its traceback."""
    cls = error_class(exc)
    if cls is None:
        return None
    err = cls(message(cls, where, exc))
    err.sqlite_error = exc
    err.__cause__ = exc
    return err


@contextlib.contextmanager
def translated(where: Path | str) -> Iterator[None]:
    """Run a block; a SQLite error the environment caused leaves it as the project's own error."""
    try:
        yield
    except sqlite3.Error as e:
        mapped = map_error(e, where)
        if mapped is None:
            raise
        raise mapped from e
