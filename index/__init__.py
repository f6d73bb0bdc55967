"""jianbao's headless core (``jianbao.index``): read bulletins, keep them in SQLite, search, bookmark, export.

Nothing in this package imports Qt or the GUI (a test enforces it): the CLI and the tests use it
directly, the desktop app wraps it, and ``jianbao.launcher`` chooses between them.
"""

from .. import __version__

__all__ = ["__version__"]
