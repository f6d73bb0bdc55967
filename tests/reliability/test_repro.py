"""Issue 10's reproduction files, end to end through the CLI: nothing lost, nothing unaccounted,
no control character stored, exported or printed. (The parser's side of defects 2–4 is the
classifier's; these tests hold the whole chain to it.)"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from jianbao.index import cli
from jianbao.index.export import export_items
from jianbao.index.store import Library
from jianbao.index.text import compact
from tests.conftest import CORPUS_FILES

REPRO = Path(__file__).resolve().parent.parent / "fixtures" / "repro"
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def original(prefix: str) -> Path:
    return next(f for f in CORPUS_FILES if f.name.startswith(prefix))


def import_json(capsys, folder: Path, *paths: Path, force: bool = False) -> list[dict]:
    argv = ["import", *map(str, paths), "--json", "--no-sample", "--library", str(folder)]
    code = cli.main([*argv, "--force"] if force else argv)
    out = capsys.readouterr().out
    results = json.loads(out)
    assert code == (1 if any(r["status"] == "failed" for r in results) else 0)
    return results


def titles(folder: Path, issue_id: int) -> list[str]:
    with Library(folder) as lib:
        return [compact(r["title"]) for r in lib.items(issue_id=issue_id)]


@pytest.mark.parametrize("name, source", [("footer_swallow_004.txt", "004_"), ("two_double_credits_001.txt", "001_")])
def test_every_item_of_the_issue_survives(tmp_path, capsys, name, source):
    [good] = import_json(capsys, tmp_path / "a", original(source))
    [r] = import_json(capsys, tmp_path / "b", REPRO / name)
    assert r["status"] == "added", r
    assert r["balance"]["unaccounted"] == 0, r["balance"]
    assert titles(tmp_path / "b", r["issue_id"]) == titles(tmp_path / "a", good["issue_id"])
    assert "（无标题）" not in titles(tmp_path / "b", r["issue_id"])


def test_reimport_with_a_footer_like_line_updates_in_place_and_keeps_bookmarks(library_path, capsys):
    with Library(library_path) as lib:
        issue = next(i for i in lib.issues() if i["source"] and i["source"].startswith("001_"))
        items = lib.items(issue_id=issue["id"])
        lib.bookmark(items[5]["id"], "留着")
    [r] = import_json(capsys, library_path, REPRO / "footer_swallow_001_reimport.txt")
    assert r["status"] in ("updated", "unchanged") and r["items"] == len(items), r
    with Library(library_path) as lib:
        assert [x["id"] for x in lib.items(issue_id=issue["id"])] == [x["id"] for x in items]
        assert lib.bookmarks_by_id()[items[5]["id"]]["title"] is not None


def test_control_characters_are_dropped_at_import_and_counted(tmp_path, capsys):
    folder = tmp_path / "lib"
    [r] = import_json(capsys, folder, REPRO / "ctrl_char_body.txt")
    assert r["status"] == "added" and r["balance"]["unaccounted"] == 0, r
    with Library(folder) as lib:
        rows = lib.items()
        assert not [x["id"] for x in rows if CONTROL.search(x["title"] + (x["body"] or "") + (x["credit"] or ""))]
        out = export_items(lib, [x["id"] for x in rows], tmp_path / "all.docx", fmt="docx")
        assert out.stat().st_size > 0
        item = rows[0]["id"]
    assert cli.main(["show", str(item), "--library", str(folder)]) == 0
    assert not CONTROL.search(capsys.readouterr().out.replace("\n", ""))


@pytest.mark.parametrize("name", ["unaccounted_seed21_case77.txt", "unaccounted_seed22_case1.txt"])
def test_minimal_double_credit_cases_leave_nothing_unaccounted(tmp_path, capsys, name):
    [r] = import_json(capsys, tmp_path / "lib", REPRO / name, force=True)
    assert r["status"] != "failed", r
    assert r["balance"]["unaccounted"] == 0, r["balance"]
