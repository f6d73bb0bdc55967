"""Every write from the GUI goes through desktop/operations.py (the write lane), none from a view."""

from __future__ import annotations

import ast
from pathlib import Path

DESKTOP = Path(__file__).resolve().parents[2] / "desktop"
# Library methods that write (a renamed one belongs here too)
WRITES = {"bookmark", "unbookmark", "edit_issue", "set_meta", "import_paths", "import_bytes", "import_file",
          "ensure_sample", "import_sample", "transaction", "delete_issue"}
LANE = {"operations.py", "tasks.py"}


def _writes_on_a_library(tree: ast.AST) -> list[str]:
    """Calls like ``lib.bookmark(…)`` or ``self.lib.set_meta(…)``: a write on a Library object."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in WRITES:
            receiver = node.func.value
            name = receiver.id if isinstance(receiver, ast.Name) else getattr(receiver, "attr", "")
            if name in {"lib", "library", "importer"}:  # importer's functions write to the lib they are given
                found.append(f"{ast.unparse(node.func)} (line {node.lineno})")
        # the managers on a Library: lib.bookmarks.add(…), lib.bookmarks.remove(…)
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in {"add", "remove"}
                and isinstance(node.func.value, ast.Attribute) and node.func.value.attr == "bookmarks"):
            found.append(f"{ast.unparse(node.func)} (line {node.lineno})")
    return found


def test_the_check_finds_a_direct_write():
    assert _writes_on_a_library(ast.parse("self.lib.bookmark(1)\nlib.set_meta('a', 'b')\nself.ops.bookmark(1)")) == [
        "self.lib.bookmark (line 1)", "lib.set_meta (line 2)"]
    assert _writes_on_a_library(ast.parse("self.lib.bookmarks.add(1)\nimporter.import_sample(lib)\n"
                                          "importer.needs_sample(lib)\nself.lib.bookmarks.list()")) == [
        "self.lib.bookmarks.add (line 1)", "importer.import_sample (line 2)"]


def test_no_view_writes_to_the_library_directly():
    offenders = {
        path.name: calls
        for path in sorted(DESKTOP.glob("*.py"))
        if path.name not in LANE and (calls := _writes_on_a_library(ast.parse(path.read_text("utf-8"))))
    }
    assert offenders == {}


def test_ended_jobs_do_not_pile_up(window, qtbot):
    """Every bookmark is a job: after 60 of them, the lane keeps only the last few ended ones."""
    from jianbao.desktop.tasks import Job

    item_id = window.side.tree_model.item_ids[0]
    for n in range(60):
        window.ops.set_bookmark(item_id, f"第 {n} 次") if n % 2 == 0 else window.ops.remove_bookmark(item_id)
    qtbot.waitUntil(lambda: not window.ops.jobs, timeout=20_000)
    window.ops.set_bookmark(item_id, "最后一次")  # a new job sweeps the old ones
    qtbot.wait(50)  # deleteLater runs in the event loop
    kept = window.tasks.findChildren(Job)
    assert len(kept) <= 20, len(kept)  # of 61
    qtbot.waitUntil(lambda: not window.ops.jobs, timeout=20_000)
    assert window.lib.is_bookmarked(item_id)
