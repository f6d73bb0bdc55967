"""The CLI in-process: export format from the file name, Chinese argparse texts, small frictions."""

from __future__ import annotations

import argparse
import json

import pytest

from jianbao.index.cli import main


@pytest.fixture
def run(library_path, capsys):
    """main() on the sample library: (exit status, stdout, stderr)."""

    def go(*argv: str) -> tuple[int, str, str]:
        try:
            code = main([*argv, "--library", str(library_path)] if argv and argv[0] != "--help" else list(argv))
        except SystemExit as e:
            code = int(e.code or 0)
        out = capsys.readouterr()
        return code, out.out, out.err

    return go


@pytest.mark.parametrize(("name", "fmt", "magic"), [("x.pdf", None, b"%PDF"), ("x.docx", None, b"PK"),
                                                     ("x.md", None, b"# "), ("x.HTML", None, b"<!DOCTYPE"),
                                                     ("x.pdf", "pdf", b"%PDF"), ("noext", "md", b"# ")])
def test_export_format_follows_the_file_name(run, tmp_path, name, fmt, magic):
    out = tmp_path / name
    code, stdout, err = run("export", "1", "-o", str(out), "--json", *(["--format", fmt] if fmt else []))
    assert code == 0, err
    assert out.read_bytes().startswith(magic)
    assert json.loads(stdout)["format"] == (fmt or name.rsplit(".", 1)[1].lower())


def test_export_refuses_a_contradiction_and_an_unknown_extension(run, tmp_path):
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    code, _, err = run("export", "1", "-o", str(tmp_path / "x.pdf"), "--format", "docx")
    assert code == 2 and "矛盾" in err and "Traceback" not in err
    code, _, err = run("export", "1", "-o", str(tmp_path / "x.odt"))
    assert code == 2 and "--format" in err
    assert list(tmp_path.iterdir()) == []


def test_argparse_speaks_chinese(run):
    code, out, _ = run("--help")
    assert code == 0
    assert out.startswith("用法：") and "显示本帮助并退出" in out and "usage:" not in out
    assert "show this help" not in out
    code, _, err = run("items", "--issue", "x")
    assert code == 2 and "错误" in err and "整数" in err and "usage" not in err and "error" not in err
    code, _, err = run("fly")
    assert code == 2 and "无效的选择" in err
    code, _, err = run("show")
    assert code == 2 and "缺少必需的参数" in err
    # argparse itself is left as it was for everyone else in the process
    assert argparse._("usage: ") == "usage: "  # type: ignore[attr-defined]


def test_json_before_the_command(run):
    code, out, err = run("--json", "issues")
    assert code == 0, err
    assert len(json.loads(out)) == 4


def test_items_of_a_missing_issue_is_an_error(run):
    code, out, err = run("items", "--issue", "99")
    assert code != 0 and "99" in err and out == ""


@pytest.mark.parametrize(("opt", "value"), [("--year", "1890"), ("--year", "3000"), ("--number", "0"), ("--total", "-1")])
def test_issue_edit_refuses_impossible_values(run, opt, value):
    before = run("issues", "--json")[1]
    code, _, err = run("issue", "edit", "1", opt, value)
    assert code == 2 and value in err and "Traceback" not in err
    assert run("issues", "--json")[1] == before


@pytest.mark.parametrize("q", ['"', "OR"])
def test_search_of_syntax_alone_is_not_everything(run, q):
    code, out, err = run("search", q, "--json", "--limit", "0")
    assert code == 0, err
    everything = len(json.loads(run("items", "--json")[1]))
    assert len(json.loads(out)) < everything
