"""Errors the environment or the user's input cause, as opposed to bugs, and the cancel signal.

A :class:`JianbaoError` carries a message meant for the user (one line, Chinese first); the CLI
prints it without a traceback and the GUI shows it in a dialog. Anything else is a bug and keeps
its traceback.

:class:`Cancelled` is deliberately *not* a :class:`JianbaoError`: it is the user's own request,
not a failure, and ``except JianbaoError`` must never swallow it by accident.

Hierarchy::

    Exception
    ├── JianbaoError            user-fixable: shown as one line, never a traceback
    │   ├── InputError          a file or argument that cannot be used
    │   ├── NotFoundError       an id or name the library does not know
    │   └── LibraryError        the library itself cannot be used (locked, newer, damaged)
    └── Cancelled               long work stopped because the user asked
"""

from __future__ import annotations

import sqlite3


class JianbaoError(Exception):
    """An error with a message for the user."""


class InputError(JianbaoError):
    """A file that cannot be read as a bulletin (missing, binary, undecodable, not a bulletin)."""


class LibraryError(JianbaoError):
    """The library cannot be used (locked, newer than this program, damaged)."""


class NotFoundError(JianbaoError):
    """An id or name that the library does not know."""


class Cancelled(Exception):
    """Long work stopped because the user asked (not an error: see the module docstring)."""


def library_error(exc: sqlite3.Error, where: object) -> LibraryError | None:
    """The user-facing :class:`LibraryError` for a SQLite error, or None when it is a bug.

    The mapping itself, by SQLite's error code, is :func:`index.dberrors.map_error`.
    """
    from .dberrors import map_error  # dberrors builds on this module's classes

    return map_error(exc, where)
