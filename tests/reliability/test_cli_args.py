"""Issue 10, defect 8: arguments are validated by the argument parser, in one line each."""

from __future__ import annotations

import pytest

from jianbao.index import cli


def run(capsys, *argv: str) -> tuple[int, str]:
    try:
        code = cli.main(list(argv))
    except SystemExit as e:  # argparse refuses with exit status 2
        code = int(e.code or 0)
    return code, capsys.readouterr().err


@pytest.mark.parametrize(
    "argv, needle",
    [
        (["issue", "edit", "1", "--year", "99999999999999999999"], "年份"),
        (["issue", "edit", "1", "--year", "-5"], "年份"),
        (["issue", "edit", "1", "--number", "0"], "期号"),
        (["issue", "edit", "1", "--total", "abc"], "总期号"),
        (["search", "联盟", "--limit", "-1"], "条数"),
        (["search", "联盟", "--from", "99999999999999999999999"], "年份"),
        (["show", "99999999999999999999999"], "编号"),
        (["show", "-3"], "编号"),
        (["bookmark", "0"], "编号"),
    ],
)
def test_out_of_range_numbers_are_refused_by_the_parser(library_path, capsys, argv, needle):
    code, err = run(capsys, *argv, "--library", str(library_path))
    assert code == 2
    last = err.strip().splitlines()[-1]
    assert needle in last and "Traceback" not in err


def test_export_to_a_directory_is_refused_by_the_parser(library_path, tmp_path, capsys):
    code, err = run(capsys, "export", "1", "-o", str(tmp_path), "--force", "--library", str(library_path))
    assert code == 2 and "文件夹" in err and "Traceback" not in err


def test_message_names_the_file_once_and_survives_a_newline(library_path, tmp_path, capsys):
    odd = tmp_path / "bad\nname.txt"
    odd.write_text("", "utf-8")
    code, err = run(capsys, "import", str(odd), "--library", str(library_path))
    assert code == 1
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1, err
    assert lines[0].count("name.txt") == 1, err
    assert "bad\\nname.txt" in lines[0]


def test_empty_file_named_once(library_path, tmp_path, capsys):
    f = tmp_path / "empty.txt"
    f.write_text("", "utf-8")
    code, err = run(capsys, "import", str(f), "--library", str(library_path))
    assert code == 1 and err.count("empty.txt") == 1, err


def test_symlink_loop_is_not_reported_as_missing(library_path, tmp_path, capsys):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.symlink_to(b)
    b.symlink_to(a)
    code, err = run(capsys, "import", str(a), "--library", str(library_path))
    assert code == 1
    assert "文件不存在" not in err and "循环" in err, err
