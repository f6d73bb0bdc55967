"""The core's modules stand on their own: each imports first in a fresh interpreter (no cycles)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

INDEX = Path(__file__).resolve().parents[2] / "index"
MODULES = sorted(p.stem for p in INDEX.glob("*.py") if p.stem not in ("__init__", "__main__"))


@pytest.mark.parametrize("module", MODULES)
def test_module_imports_first(module):
    r = subprocess.run([sys.executable, "-c", f"import jianbao.index.{module}"], capture_output=True, text=True,
                       timeout=60)
    assert r.returncode == 0, r.stderr[-2000:]
