"""The one entry point picks the window or the CLI; the core never needs the GUI to answer."""

from __future__ import annotations

import sys

import pytest

from jianbao import launcher


@pytest.mark.parametrize(
    ("argv", "command"),
    [
        ([], None),
        (["--library", "x"], None),
        (["--no-sample"], None),
        (["--library", "gui", "issues"], "issues"),  # a library folder named "gui" is not the command
        (["gui", "--library", "x"], "gui"),
        (["--json", "issues"], "issues"),
        (["search", "钒钛"], "search"),
    ],
)
def test_command_word(argv, command):
    assert launcher._command_of(argv) == command


def test_a_command_runs_the_cli_without_loading_qt(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("JIANBAO_NO_SAMPLE", "1")
    before = {m for m in sys.modules if m.startswith(("PySide6", "jianbao.desktop"))}
    assert launcher.main(["--library", str(tmp_path / "lib"), "issues", "--json"]) == 0
    assert capsys.readouterr().out.strip() == "[]"
    after = {m for m in sys.modules if m.startswith(("PySide6", "jianbao.desktop"))}
    assert after == before


def test_help_is_the_cli_help(capsys):
    with pytest.raises(SystemExit) as e:
        launcher.main(["--help"])
    assert e.value.code == 0
    assert "jianbao" in capsys.readouterr().out
