"""Errors the environment or the user's input cause, as opposed to bugs.

A :class:`JianbaoError` carries a message meant for the user (one line, Chinese first); the CLI
prints it without a traceback and the GUI shows it in a dialog. Anything else is a bug and keeps
its traceback.
"""


class JianbaoError(Exception):
    """An error with a message for the user."""


class InputError(JianbaoError):
    """A file that cannot be read as a bulletin (missing, binary, undecodable, not a bulletin)."""


class LibraryError(JianbaoError):
    """The library cannot be used (locked, newer than this program, damaged)."""


class NotFoundError(JianbaoError):
    """An id or name that the library does not know."""


class Cancelled(JianbaoError):
    """Long work stopped because the user asked."""
