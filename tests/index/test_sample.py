"""The built-in sample beside the user's own issues: marked, removable, not added to an import."""

from __future__ import annotations

import json

from benchmarks.synth import bulletins
from jianbao.index import cli
from jianbao.index.sample import remove_sample, sample_issue_ids
from jianbao.index.search import open_searcher
from jianbao.index.upkeep import update_index
from tests.conftest import CORPUS_FILES


def _user_issue(tmp_path):
    name, text = bulletins(25)[0]
    p = tmp_path / name
    p.write_text(text, "utf-8")
    return p


def test_sample_issues_are_known_and_removed_with_their_items_only(library, tmp_path):
    sample = sample_issue_ids(library)
    assert len(sample) == len(CORPUS_FILES)
    mine = library.import_file(_user_issue(tmp_path))
    assert mine.status == "added" and mine.issue_id not in sample_issue_ids(library)
    a_sample_item = library.conn.execute("SELECT id FROM items WHERE issue_id=?", (min(sample),)).fetchone()[0]
    library.bookmarks.add(a_sample_item, "我的笔记")
    n_sample_items = library.conn.execute(
        f"SELECT count(*) FROM items WHERE issue_id IN ({','.join(map(str, sample))})").fetchone()[0]
    assert remove_sample(library) == {"issues": len(sample), "items": n_sample_items}
    assert [i["id"] for i in library.issues()] == [mine.issue_id]
    assert library.counts()["items"] == mine.items
    assert sample_issue_ids(library) == set()
    assert remove_sample(library) == {"issues": 0, "items": 0}
    # the note is not lost; the index forgets the removed items
    assert {b["id"]: b["title"] for b in library.bookmarks.list()} == {a_sample_item: None}
    update_index(library)
    with open_searcher(library) as s:
        res = s.search("联盟", limit=0)
    assert res.total and {h.id for h in res.hits} <= {r[0] for r in library.conn.execute("SELECT id FROM items")}


def test_sample_seeded_by_path_is_recognised(empty_library):
    from tests.conftest import CORPUS

    results = [p.result for p in empty_library.import_paths([CORPUS]) if p.result]  # as the GUI once seeded it
    assert all(r.status == "added" for r in results)
    assert sample_issue_ids(empty_library) == {r.issue_id for r in results}


def test_no_sample_when_the_first_command_imports_the_users_files(tmp_path, capsys):
    lib = str(tmp_path / "lib")
    assert cli.main(["import", "--library", lib, str(_user_issue(tmp_path))]) == 0
    assert "示例" not in capsys.readouterr().err
    assert cli.main(["issues", "--library", lib, "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 1  # and never added later


def test_cli_sample_remove(library_path, capsys):
    assert cli.main(["sample", "remove", "--library", str(library_path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["issues"] == len(CORPUS_FILES)
    assert cli.main(["sample", "remove", "--library", str(library_path)]) == 0
    assert "没有示例简报" in capsys.readouterr().out
