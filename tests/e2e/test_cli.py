"""End to end: the real `jianbao` command in a subprocess, with a temporary library.

A few runs only: what a process adds (entry point, exit codes, stderr without tracebacks, a
fresh library). The commands themselves are tested in-process in tests/index/test_cli.py.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import CORPUS_FILES, ROOT, truth

pytestmark = pytest.mark.e2e


def run(*args: str, lib: Path, check: bool = True, env: dict | None = None) -> subprocess.CompletedProcess:
    e = {**os.environ, "JIANBAO_LIBRARY": str(lib), **(env or {})}
    r = subprocess.run([sys.executable, "-m", "jianbao", *args], cwd=ROOT, env=e, capture_output=True, text=True,
                       timeout=120)
    if check:
        assert r.returncode == 0, r.stderr
    return r


def run_json(*args: str, lib: Path):
    r = run(*args, "--json", lib=lib)
    return json.loads(r.stdout)


def test_fresh_library_shows_the_sample(tmp_path):
    lib = tmp_path / "lib"
    items = run_json("items", lib=lib)
    assert len(items) == sum(len(truth(f.name)["items"]) for f in CORPUS_FILES)
    keys = {"id", "issue_id", "year", "number", "total", "date", "section", "position", "title", "credit", "alliance",
            "body", "ocr"}
    assert set(items[0]) == keys
    assert items[0]["ocr"] is False  # the sample is text, not recognised from a scan
    issues = run_json("issues", lib=lib)
    assert [(i["year"], i["number"], i["total"], i["inferred"]) for i in issues][:3] == [
        (2024, 2, 73, True), (2023, 6, 71, False), (2023, 1, 66, False)]
    assert set(issues[0]) == {"id", "year", "number", "total", "date", "inferred", "source", "items"}


def test_import_reports_failures_and_keeps_the_rest(tmp_path):
    lib = tmp_path / "lib"
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"%PDF-1.4 nonsense")
    r = run("import", "--no-sample", str(bad), str(CORPUS_FILES[0]), str(tmp_path / "missing.txt"), lib=lib, check=False)
    assert r.returncode == 1
    assert "Traceback" not in r.stderr
    assert "PDF" in r.stderr and "不存在" in r.stderr
    assert len(run_json("issues", lib=lib)) == 1


def test_errors_are_one_line(tmp_path):
    lib = tmp_path / "lib"
    run("issues", lib=lib)  # creates the library (and says so once)
    r = run("show", "999999", lib=lib, check=False)
    assert r.returncode == 2
    assert r.stderr.strip().count("\n") == 0 and "999999" in r.stderr
    db = lib / "library.db"
    import sqlite3

    con = sqlite3.connect(db)
    con.execute("PRAGMA user_version=99")
    con.close()
    r = run("items", lib=lib, check=False)
    assert r.returncode == 2 and "更新版本" in r.stderr and "Traceback" not in r.stderr


def test_json_output_is_only_json(tmp_path):
    lib = tmp_path / "lib"
    r = run("search", "钒钛", "--json", lib=lib)
    hits = json.loads(r.stdout)
    assert {h["title"] for h in hits} == {"钒钛联盟第三届理事会暨专家委员会第一次工作会召开", "钒钛联盟 2022 年度协同项目评审会召开"}


def test_import_a_folder_of_pdf_and_text_and_a_bad_pdf(tmp_path):
    """PDF files, text files and a damaged PDF in one folder: each good one imported, the bad one
    refused in one line, no traceback."""
    import shutil

    lib, folder = tmp_path / "lib", tmp_path / "in"
    folder.mkdir()
    shutil.copy(ROOT / "tests" / "fixtures" / "pdf" / "001_styleA.pdf", folder)
    shutil.copy(CORPUS_FILES[1], folder)
    (folder / "broken.pdf").write_bytes((ROOT / "tests" / "fixtures" / "pdf" / "001_styleA.pdf").read_bytes()[:5000])
    r = run("import", "--no-sample", str(folder), "--json", lib=lib, check=False)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    results = {Path(x["path"]).name: x for x in json.loads(r.stdout)}
    assert results["001_styleA.pdf"]["status"] == "added" and results["001_styleA.pdf"]["items"] == 23
    assert results[CORPUS_FILES[1].name]["status"] == "added"
    assert results["broken.pdf"]["status"] == "failed" and "损坏" in results["broken.pdf"]["message"]
    assert [i["year"] for i in run_json("issues", lib=lib)] == [2023, 2023]
