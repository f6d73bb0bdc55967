"""jianbao's headless core: parse bulletins, keep them in SQLite, search, bookmark, export.

Nothing in this package imports Qt (a test enforces it): the CLI and the tests use it directly,
the desktop app wraps it.
"""

__version__ = "0.1.0"
