"""End to end: the real `jianbao` command in a subprocess, with a temporary library."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import CORPUS, CORPUS_FILES, ROOT, truth

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
            "body"}
    assert set(items[0]) == keys
    issues = run_json("issues", lib=lib)
    assert [(i["year"], i["number"], i["total"], i["inferred"]) for i in issues][:3] == [
        (2024, 2, 73, True), (2023, 6, 71, False), (2023, 1, 66, False)]
    assert set(issues[0]) == {"id", "year", "number", "total", "date", "inferred", "source", "items"}


def test_import_prints_the_balance_and_reimport_changes_nothing(tmp_path):
    lib = tmp_path / "lib"
    r = run("import", str(CORPUS), "--no-sample", lib=lib)
    assert r.stdout.count("[新增]") == 4
    assert "未归属 0" in r.stdout
    first = run_json("items", lib=lib)
    r = run("import", *map(str, CORPUS_FILES), lib=lib)
    assert r.stdout.count("[未变]") == 4
    assert run_json("items", lib=lib) == first


def test_import_reports_failures_and_keeps_the_rest(tmp_path):
    lib = tmp_path / "lib"
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"%PDF-1.4 nonsense")
    r = run("import", "--no-sample", str(bad), str(CORPUS_FILES[0]), str(tmp_path / "missing.txt"), lib=lib, check=False)
    assert r.returncode == 1
    assert "Traceback" not in r.stderr
    assert "PDF" in r.stderr and "不存在" in r.stderr
    assert len(run_json("issues", lib=lib)) == 1


def test_items_filters_show_and_alliances(tmp_path):
    lib = tmp_path / "lib"
    items = run_json("items", "--alliance", "粉末冶金联盟", lib=lib)
    assert len(items) == 4 and {i["alliance"] for i in items} == {"粉末冶金产业技术创新战略联盟"}
    policy = run_json("items", "--section", "重要政策动态", lib=lib)
    assert len(policy) == 6 + 6 + 4 + 5
    one = run_json("show", str(items[0]["id"]), lib=lib)
    assert one["title"] == items[0]["title"]
    text = run("show", str(items[0]["id"]), lib=lib).stdout
    assert items[0]["title"] in text and "供稿" in text
    alliances = run_json("alliances", lib=lib)
    powder = next(a for a in alliances if a["name"] == "粉末冶金产业技术创新战略联盟")
    assert powder["items"] == 4 and "粉末冶金联盟" in powder["aliases"]


def test_issue_edit(tmp_path):
    lib = tmp_path / "lib"
    inferred = next(i for i in run_json("issues", lib=lib) if i["year"] == 2022)
    run("issue", "edit", str(inferred["id"]), "--year", "2022", "--number", "6", "--total", "65", "--date",
        "2023-01-15", lib=lib)
    again = next(i for i in run_json("issues", lib=lib) if i["id"] == inferred["id"])
    assert (again["number"], again["total"], again["date"], again["inferred"]) == (6, 65, "2023-01-15", False)
    r = run("issue", "edit", str(inferred["id"]), "--date", "15/01/2023", lib=lib, check=False)
    assert r.returncode != 0 and "YYYY-MM-DD" in r.stderr and "Traceback" not in r.stderr


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


def test_bookmarks_from_the_cli(tmp_path):
    lib = tmp_path / "lib"
    first = run_json("items", lib=lib)[0]
    run("bookmark", str(first["id"]), "--note", "重要", lib=lib)
    marks = run_json("bookmarks", lib=lib)
    assert [(m["id"], m["title"], m["note"]) for m in marks] == [(first["id"], first["title"], "重要")]
    assert set(marks[0]) == {"id", "title", "note", "created"}
    run("import", str(CORPUS), lib=lib)
    run("reindex", lib=lib)
    assert run_json("bookmarks", lib=lib)[0]["note"] == "重要"
    run("unbookmark", str(first["id"]), lib=lib)
    assert run_json("bookmarks", lib=lib) == []


def test_export_from_the_cli(tmp_path):
    from docx import Document

    lib = tmp_path / "lib"
    out = tmp_path / "汇编.docx"
    r = run("export", "--alliance", "粉末冶金联盟", "--group-by-issue", "--format", "docx", "-o", str(out), "--json",
            lib=lib)
    assert json.loads(r.stdout) == {"file": str(out), "items": 4, "format": "docx"}
    heads = [p.text for p in Document(str(out)).paragraphs if p.style.name == "Heading 2"]
    assert len(heads) == 4 and all("粉末冶金" in h for h in heads)
    r = run("export", "1", "-o", str(out), lib=lib, check=False)
    assert r.returncode == 2 and "已存在" in r.stderr and "Traceback" not in r.stderr
    run("export", "1", "2", "--format", "html", "-o", str(tmp_path / "a.html"), lib=lib)
    run("export", "--query", "钒钛", "--format", "md", "-o", str(tmp_path / "a.md"), lib=lib)
    assert (tmp_path / "a.md").read_text("utf-8").count("\n## ") == 3  # 目录 + 2 items
