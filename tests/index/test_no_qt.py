"""index/ is the headless core: it must never import Qt."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
QT = ("PySide6", "PyQt5", "PyQt6", "shiboken6", "qtpy", "desktop", "jianbao.desktop")


def test_no_qt_import_in_index_sources():
    offenders = []
    for path in (ROOT / "index").rglob("*.py"):
        tree = ast.parse(path.read_text("utf-8"), filename=str(path))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            elif isinstance(node, ast.ImportFrom) and node.level >= 2:
                # `from ..desktop import x` climbs out of the core into the GUI
                names = [f"jianbao.{node.module or ''}".rstrip(".")] + [f"jianbao.{a.name}" for a in node.names]
            for n in names:
                if n.split(".")[0] in QT or n.startswith("jianbao.desktop"):
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} imports {n}")
    assert offenders == []


def test_importing_the_core_loads_no_qt():
    code = (
        "import sys, jianbao.index.cli, jianbao.index.store, jianbao.index.search, jianbao.index.export, jianbao.index.parser;"
        "bad=[m for m in sys.modules if m.startswith(('PySide6','shiboken6','jianbao.desktop'))];"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
