"""The wheel carries everything the app reads at run time."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.e2e


def test_wheel_carries_the_resources(tmp_path):
    r = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp_path), str(ROOT)],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]
    wheel = next(tmp_path.glob("jianbao-*.whl"))
    check = subprocess.run([sys.executable, str(ROOT / "packaging" / "check_wheel.py"), str(wheel)],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stdout
