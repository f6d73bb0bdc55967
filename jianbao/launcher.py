"""The ``jianbao`` command: the window when no command is given (or ``gui``), else the CLI.

This is the only module that knows both halves; ``jianbao.index`` never imports the GUI.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

# Options that may stand before the command and take a value.
_VALUE_OPTIONS = {"--library"}


def _command_of(argv: Sequence[str]) -> str | None:
    """The first word that is not a global option (or its value), or None."""
    skip = False
    for arg in argv:
        if skip:
            skip = False
            continue
        if arg in _VALUE_OPTIONS:
            skip = True
            continue
        if arg.startswith("-"):
            continue
        return arg
    return None


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    command = _command_of(args)
    wants_help = any(a in ("-h", "--help", "--version") for a in args)
    if command == "gui" or (command is None and not wants_help):
        if command == "gui":
            args.remove("gui")
        try:
            from .desktop.app import main as gui_main
        except ImportError as e:  # PySide6 missing or its system libraries absent
            print(f"jianbao: 无法启动图形界面（{e}）", file=sys.stderr)
            return 2
        return gui_main(args)
    from .index.cli import main as cli_main

    return cli_main(args)
