"""End to end: the reader's commands through the real `jianbao` program."""

from __future__ import annotations

import json

import pytest

from .test_cli import run

pytestmark = pytest.mark.e2e


def test_related_and_explain_in_a_subprocess(tmp_path):
    lib = tmp_path / "lib"
    rows = json.loads(run("related", "5", "--json", lib=lib).stdout)  # a new library: the sample, indexed
    assert rows and all(r["id"] != 5 for r in rows)
    e = json.loads(run("search", "液流电池 -WAPI", "--explain", "--json", lib=lib).stdout)
    assert e["terms"] == ["液流电池"] and e["excluded"] == ["wapi"] and e["segmented"]["液流电池"] == ["液流", "电池"]
