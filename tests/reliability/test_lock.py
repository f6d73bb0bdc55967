"""Defect 1: no wait on the index lock is unbounded, and the waiter is told what it waits for."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from jianbao.index import locking
from jianbao.index.dberrors import LibraryBusy

HOLD = """
import sys, time
from pathlib import Path
from jianbao.index.locking import index_lock
with index_lock(Path(sys.argv[1])):
    print("held", flush=True)
    time.sleep(60)
"""


@pytest.mark.skipif(sys.platform == "win32", reason="flock")
def test_wait_is_bounded_named_and_ends_when_the_holder_dies(tmp_path, monkeypatch):
    notices: list[str] = []
    monkeypatch.setattr(locking, "wait_notice", notices.append)
    p = subprocess.Popen([sys.executable, "-c", HOLD, str(tmp_path)], stdout=subprocess.PIPE, text=True)
    try:
        assert p.stdout is not None and p.stdout.readline().strip() == "held"
        t0 = time.monotonic()
        with pytest.raises(LibraryBusy, match=f"进程 {p.pid}"), locking.index_lock(tmp_path, timeout=0.5):
            pass
        assert time.monotonic() - t0 < 5
        assert len(notices) == 1 and "等待" in notices[0] and str(p.pid) in notices[0]
    finally:
        p.kill()
        p.wait()
        p.stdout.close()
    t0 = time.monotonic()
    with locking.index_lock(tmp_path, timeout=5):  # a dead holder never blocks
        pass
    assert time.monotonic() - t0 < 2
