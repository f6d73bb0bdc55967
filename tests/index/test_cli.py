"""The CLI in-process: ``cli.main(argv)`` with captured output (subprocess runs are in tests/e2e)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jianbao.index import cli
from tests.conftest import CORPUS, CORPUS_FILES


@pytest.fixture
def jb(monkeypatch, capsys):
    """Run ``jianbao ARGS`` in-process on a given library: (exit code, stdout, stderr)."""

    def run(*args: str, lib: Path, code: int = 0) -> tuple[str, str]:
        monkeypatch.setenv("JIANBAO_LIBRARY", str(lib))
        got = cli.main(list(args))
        out, err = capsys.readouterr()
        assert got == code, err
        return out, err

    return run


def as_json(jb, *args: str, lib: Path):
    out, _ = jb(*args, "--json", lib=lib)
    return json.loads(out)


def test_import_prints_the_balance_and_reimport_changes_nothing(jb, tmp_path):
    lib = tmp_path / "lib"
    out, _ = jb("import", str(CORPUS), "--no-sample", lib=lib)
    assert out.count("[新增]") == 4
    assert "未归属 0" in out
    first = as_json(jb, "items", lib=lib)
    out, _ = jb("import", *map(str, CORPUS_FILES), lib=lib)
    assert out.count("[未变]") == 4
    assert as_json(jb, "items", lib=lib) == first


def test_items_filters_show_and_alliances(jb, library_path):
    lib = library_path
    items = as_json(jb, "items", "--alliance", "粉末冶金联盟", lib=lib)
    assert len(items) == 4 and {i["alliance"] for i in items} == {"粉末冶金产业技术创新战略联盟"}
    policy = as_json(jb, "items", "--section", "重要政策动态", lib=lib)
    assert len(policy) == 6 + 6 + 4 + 5
    one = as_json(jb, "show", str(items[0]["id"]), lib=lib)
    assert one["title"] == items[0]["title"]
    text, _ = jb("show", str(items[0]["id"]), lib=lib)
    assert items[0]["title"] in text and "供稿" in text
    alliances = as_json(jb, "alliances", lib=lib)
    powder = next(a for a in alliances if a["name"] == "粉末冶金产业技术创新战略联盟")
    assert powder["items"] == 4 and "粉末冶金联盟" in powder["aliases"]


def test_issue_edit(jb, library_path):
    lib = library_path
    inferred = next(i for i in as_json(jb, "issues", lib=lib) if i["year"] == 2022)
    jb("issue", "edit", str(inferred["id"]), "--year", "2022", "--number", "6", "--total", "65", "--date",
       "2023-01-15", lib=lib)
    again = next(i for i in as_json(jb, "issues", lib=lib) if i["id"] == inferred["id"])
    assert (again["number"], again["total"], again["date"], again["inferred"]) == (6, 65, "2023-01-15", False)
    _, err = jb("issue", "edit", str(inferred["id"]), "--date", "15/01/2023", lib=lib, code=2)
    assert "YYYY-MM-DD" in err and "Traceback" not in err


def test_unknown_id_is_one_line(jb, library_path):
    _, err = jb("show", "999999", lib=library_path, code=2)
    assert err.strip().count("\n") == 0 and "999999" in err


def test_search_json_is_only_json(jb, library_path):
    hits = as_json(jb, "search", "钒钛", lib=library_path)
    assert {h["title"] for h in hits} == {"钒钛联盟第三届理事会暨专家委员会第一次工作会召开", "钒钛联盟 2022 年度协同项目评审会召开"}


def test_search_brings_a_missing_index_up_first(jb, library_path):
    import shutil

    shutil.rmtree(library_path / "search")
    hits = as_json(jb, "search", "钒钛", lib=library_path)
    assert len(hits) == 2 and hits[0]["score"] > 0  # ranked: the index was rebuilt before answering
    assert (library_path / "search").is_dir()


def test_bookmarks_from_the_cli(jb, library_path):
    lib = library_path
    first = as_json(jb, "items", lib=lib)[0]
    jb("bookmark", str(first["id"]), "--note", "重要", lib=lib)
    marks = as_json(jb, "bookmarks", lib=lib)
    assert [(m["id"], m["title"], m["note"]) for m in marks] == [(first["id"], first["title"], "重要")]
    assert set(marks[0]) == {"id", "title", "note", "created"}
    jb("import", str(CORPUS), lib=lib)
    jb("reindex", lib=lib)
    assert as_json(jb, "bookmarks", lib=lib)[0]["note"] == "重要"
    jb("unbookmark", str(first["id"]), lib=lib)
    assert as_json(jb, "bookmarks", lib=lib) == []


def test_export_from_the_cli(jb, library_path, tmp_path):
    from docx import Document

    lib = library_path
    out = tmp_path / "汇编.docx"
    got, _ = jb("export", "--alliance", "粉末冶金联盟", "--group-by-issue", "--format", "docx", "-o", str(out),
                "--json", lib=lib)
    assert json.loads(got) == {"file": str(out), "items": 4, "format": "docx"}
    heads = [p.text for p in Document(str(out)).paragraphs if p.style.name == "Heading 2"]
    assert len(heads) == 4 and all("粉末冶金" in h for h in heads)
    _, err = jb("export", "1", "-o", str(out), lib=lib, code=2)
    assert "已存在" in err and "Traceback" not in err
    jb("export", "1", "2", "--format", "html", "-o", str(tmp_path / "a.html"), lib=lib)
    jb("export", "--query", "钒钛", "--format", "md", "-o", str(tmp_path / "a.md"), lib=lib)
    assert (tmp_path / "a.md").read_text("utf-8").count("\n## ") == 3  # 目录 + 2 items
