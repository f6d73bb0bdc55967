from __future__ import annotations

import sqlite3

from jianbao.index.errors import Cancelled, InputError, JianbaoError, LibraryError, NotFoundError, library_error


def test_a_cancel_is_not_an_error_for_the_user():
    """``except JianbaoError`` (the CLI's and the GUI's error handlers) must let a cancel through."""
    assert not issubclass(Cancelled, JianbaoError)
    for user_fixable in (InputError, LibraryError, NotFoundError):
        assert issubclass(user_fixable, JianbaoError)


def test_sqlite_errors_map_to_a_message_or_stay_bugs():
    locked = library_error(sqlite3.OperationalError("database is locked"), "lib.db")
    assert isinstance(locked, LibraryError) and "锁定" in str(locked)
    assert library_error(sqlite3.ProgrammingError("Cannot operate on a closed database."), "lib.db") is None
