"""End to end: the real app process starts on a new library, imports the sample, answers a search."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from jianbao.index.store import Library
from tests.conftest import ROOT

pytestmark = [pytest.mark.e2e, pytest.mark.gui]


@pytest.mark.parametrize("entry", [["-m", "jianbao.desktop"], ["-m", "jianbao", "gui"], ["-m", "jianbao"]])
def test_app_starts_shows_the_window_and_answers_a_search(tmp_path, entry):
    lib = tmp_path / "lib"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "JIANBAO_STARTUP_PROBE": "钒钛",
           "XDG_CONFIG_HOME": str(tmp_path / "cfg")}
    env.pop("JIANBAO_NO_SAMPLE", None)
    r = subprocess.run([sys.executable, *entry, "--library", str(lib)], cwd=ROOT, env=env, capture_output=True,
                       text=True, timeout=120)
    log = lib / "logs" / "jianbao.log"
    assert r.returncode == 0, r.stderr[-8000:] + (log.read_text("utf-8")[-4000:] if log.is_file() else "")
    assert "出现意外错误" not in r.stderr
    marks = dict(line.split() for line in r.stdout.splitlines() if " " in line)
    assert float(marks["window_visible"]) <= float(marks["first_results"])
    with Library(lib) as library:
        assert library.counts()["issues"] == 4  # the built-in sample, imported in the background
