from __future__ import annotations

import pytest

from jianbao.index import importer
from jianbao.index.errors import Cancelled
from jianbao.index.store import Library, Meta
from tests.conftest import CORPUS_FILES


def test_the_sample_is_seeded_once_by_one_function(tmp_path):
    with Library(tmp_path / "lib") as lib:
        assert importer.needs_sample(lib)
        steps = list(importer.import_sample(lib))
        results = [p.result for p in steps if p.result is not None]
        assert results and all(r.status == "added" for r in results)
        assert lib.meta(Meta.SAMPLE_IMPORTED)  # marked by the code that imported, when it finished
        assert not importer.needs_sample(lib)
        assert importer.ensure_sample(lib) == []


def test_a_cancelled_sample_is_not_marked_done(tmp_path):
    with Library(tmp_path / "lib") as lib:
        calls = iter(range(100))
        with pytest.raises(Cancelled):
            list(importer.import_sample(lib, cancelled=lambda: next(calls) >= 1))
        assert lib.meta(Meta.SAMPLE_IMPORTED) is None


def test_reimport_keeps_ids_and_guesses_nothing_twice(tmp_path):
    with Library(tmp_path / "lib") as lib:
        data = CORPUS_FILES[0].read_bytes()
        first = importer.import_bytes(lib, data, name="a.txt")
        ids = [r["id"] for r in lib.items(issue_id=first.issue_id, body=False)]
        again = importer.import_bytes(lib, data + b"\n", name="b.txt")  # new bytes, same bulletin
        assert (again.status, again.issue_id) == ("unchanged", first.issue_id)
        assert [r["id"] for r in lib.items(issue_id=first.issue_id, body=False)] == ids


def test_a_folder_without_bulletins_is_one_failure(tmp_path):
    (tmp_path / "empty").mkdir()
    with Library(tmp_path / "lib") as lib:
        steps = [p.result for p in importer.import_paths(lib, [tmp_path / "empty", tmp_path / "nope.txt"])]
        failed = [r for r in steps if r is not None]
        assert [r.status for r in failed] == ["failed", "failed"]
        assert "没有" in failed[0].message and "不存在" in failed[1].message
