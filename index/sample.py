"""The built-in sample issues in a user's library: which they are, and taking them out.

A new library is seeded with the bundled sample (:func:`importer.import_sample`), whose sources
are recorded with the ``sample:`` path prefix. Once the user's own issues sit beside them, the
sample issues are marked 示例 and can be removed in one step; removing them never removes the
user's bookmarks (a bookmark outlives its item, listed without a title) and the sample is never
added again.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from .importer import SAMPLE_PREFIX

if TYPE_CHECKING:
    from .store import Library


def _bundled_folder() -> str:
    """Where this install keeps the sample files (the GUI once imported them from there by path)."""
    return str(Path(str(resources.files("jianbao.resources").joinpath("corpus"))).resolve()) + os.sep


def sample_issue_ids(lib: Library) -> set[int]:
    """Issues that came from the sample only (none of their sources is a file of the user's).

    A sample source is recorded as ``sample:NAME``; libraries seeded by the GUI before that
    recorded the bundled file's own path, which is recognised while the install has not moved.
    """
    rows = lib.conn.execute(
        "SELECT issue_id, min(path LIKE ? || '%' OR substr(path, 1, ?) = ?) FROM sources GROUP BY issue_id",
        (SAMPLE_PREFIX, len(_bundled_folder()), _bundled_folder()),
    ).fetchall()
    return {issue_id for issue_id, all_sample in rows if all_sample}


def remove_sample(lib: Library) -> dict[str, int]:
    """Delete the sample issues with their items and sources, in one transaction.

    The deleted items get tombstones at a new revision, so the search index drops them when it
    catches up (the caller brings it up: :func:`upkeep.update_index`).
    """
    ids = sorted(sample_issue_ids(lib))
    if not ids:
        return {"issues": 0, "items": 0}
    marks = ",".join("?" * len(ids))
    with lib.transaction():
        rev = lib.bump_rev()
        items = [r[0] for r in lib.conn.execute(f"SELECT id FROM items WHERE issue_id IN ({marks})", ids)]
        lib.conn.executemany("INSERT INTO tombstones(item_id, rev) VALUES (?, ?)", [(i, rev) for i in items])
        lib.conn.execute(f"DELETE FROM items WHERE issue_id IN ({marks})", ids)
        lib.conn.execute(f"DELETE FROM sources WHERE issue_id IN ({marks})", ids)
        lib.conn.execute(f"DELETE FROM issues WHERE id IN ({marks})", ids)
    return {"issues": len(ids), "items": len(items)}
