"""Bookmarks: ``lib.bookmarks.add/remove/list`` (a manager on the library, as Anki's ``col.decks``).

A bookmark outlives its item: a corrected re-import that drops an item keeps the bookmark, listed
with ``title`` None, so the user's note is never lost silently.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .clock import now

if TYPE_CHECKING:
    from .store import Library


class Bookmarks:
    """The bookmarks of one library."""

    def __init__(self, lib: Library):
        self.lib = lib

    def add(self, item_id: int, note: str | None = None) -> dict[str, Any]:
        """Bookmark an item, or change its note (None keeps the note it has)."""
        lib = self.lib
        lib.item(item_id)
        ts = now()
        with lib.transaction():
            cur = lib.conn.execute("SELECT note, created FROM bookmarks WHERE item_id=?", (item_id,)).fetchone()
            if cur:
                lib.db["bookmarks"].update(item_id, {"note": cur[0] if note is None else note, "updated": ts})
            else:
                lib.db["bookmarks"].insert({"item_id": item_id, "note": note or "", "created": ts, "updated": ts})
        return self.by_id()[item_id]

    def remove(self, item_id: int) -> bool:
        """Remove a bookmark; False when there was none."""
        with self.lib.transaction():
            n = self.lib.conn.execute("DELETE FROM bookmarks WHERE item_id=?", (item_id,)).rowcount
        return n > 0

    def has(self, item_id: int) -> bool:
        return self.lib.conn.execute("SELECT 1 FROM bookmarks WHERE item_id=?", (item_id,)).fetchone() is not None

    def list(self) -> list[dict[str, Any]]:
        """Bookmarks, newest first; an item a corrected re-import removed is listed with title None."""
        rows = self.lib.db.query(
            """SELECT b.item_id AS id, t.title, b.note, b.created FROM bookmarks b
               LEFT JOIN items t ON t.id = b.item_id ORDER BY b.created DESC, b.rowid DESC"""
        )
        return [dict(r) for r in rows]

    def by_id(self) -> dict[int, dict[str, Any]]:
        return {b["id"]: b for b in self.list()}

    def count(self) -> int:
        return int(self.lib.conn.execute("SELECT count(*) FROM bookmarks").fetchone()[0])

    def __call__(self) -> list[dict[str, Any]]:
        """``lib.bookmarks()`` as before the manager existed; kept while desktop/ is being split."""
        return self.list()

