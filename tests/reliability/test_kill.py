"""Fault injection: ``kill -9`` at random points of import and of reindex, 20+ runs each.

After every kill the library must be whole (integrity_check ok; each issue either as it was or
as the import left it, never half; bookmarks kept), no process may still hold the index lock,
and the next search must answer (no hang: bounded by a thread join). Delays are drawn from a
seeded generator over the measured length of an uninterrupted run, so kills land in start-up,
parsing, the SQLite transaction and the index update alike.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from jianbao.index.check import check
from jianbao.index.labels import credit_line
from jianbao.index.store import Library
from tests.conftest import CORPUS_FILES

RUNS = 20
CLI = [sys.executable, "-c", "import sys; from jianbao.index.cli import main; sys.exit(main())"]
pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="kill -9 and /proc are POSIX")


def start(*argv: str) -> subprocess.Popen:
    env = {**os.environ, "JIANBAO_NO_SAMPLE": "1"}
    return subprocess.Popen([*CLI, *argv], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
                            start_new_session=True)


def timed_run(*argv: str) -> float:
    t0 = time.perf_counter()
    p = start(*argv)
    assert p.wait(120) == 0
    return time.perf_counter() - t0


def kill_after(p: subprocess.Popen, delay: float) -> None:
    time.sleep(delay)
    with_children = p.poll() is None
    if with_children:
        os.kill(p.pid, signal.SIGKILL)  # the process only, as `kill -9 PID` does: its workers must follow
    p.wait(30)


def lock_holders(folder: Path) -> list[int]:
    """Processes with ``search.lock`` of this library open."""
    target = str((folder / "search.lock").resolve())
    out = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            for fd in (proc / "fd").iterdir():
                if os.readlink(fd) == target:
                    out.append(int(proc.name))
                    break
        except OSError:
            continue
    return out


def wait_no_holders(folder: Path, seconds: float = 10) -> list[int]:
    deadline = time.monotonic() + seconds
    while (held := lock_holders(folder)) and time.monotonic() < deadline:
        time.sleep(0.05)
    return held


def search_answers(folder: Path, seconds: float = 60) -> int:
    """A search in a thread; fails the test (instead of hanging it) if it does not return."""
    out: list[object] = []

    def run() -> None:
        from jianbao.index.search import open_searcher, update_index

        try:
            with Library(folder) as lib:
                update_index(lib)
                with open_searcher(lib) as s:
                    out.append(s.search("联盟", limit=None).total)
        except BaseException as e:  # reported below
            out.append(e)

    t = threading.Thread(target=run, daemon=True)
    t.start()
    t.join(seconds)
    assert not t.is_alive(), "search hung after a killed process"
    assert out and isinstance(out[0], int), out
    return out[0]


def snapshot(folder: Path) -> dict[int, tuple[tuple[str, str], ...]]:
    with Library(folder) as lib:
        rows = lib.conn.execute("SELECT issue_id, title, body FROM items ORDER BY issue_id, position").fetchall()
    snap: dict[int, list[tuple[str, str]]] = {}
    for issue, title, body in rows:
        snap.setdefault(issue, []).append((title, body))
    return {k: tuple(v) for k, v in snap.items()}


def brute_count(folder: Path, term: str) -> int:
    with Library(folder) as lib:
        # everything the reader shows as the item's text is searched: title, body and credit line
        return sum(any(term in t for t in (r["title"], r["body"], credit_line(r))) for r in lib.items())


@pytest.fixture
def changed_files(tmp_path: Path) -> Path:
    """The sample issues, each corrected in place (a body sentence changed) — updates, not additions."""
    folder = tmp_path / "incoming"
    folder.mkdir()
    for f in CORPUS_FILES:
        text = f.read_text("utf-8").replace("。", "。（更正）", 3)
        (folder / f.name).write_text(text, "utf-8")
    return folder


def test_kill_during_import_loses_nothing(library_path, changed_files, tmp_path):
    rnd = random.Random(10)
    with Library(library_path) as lib:
        item = lib.items()[0]["id"]
        lib.bookmark(item, "保留")
    before = snapshot(library_path)
    full = tmp_path / "full"
    shutil.copytree(library_path, full)
    length = timed_run("import", str(changed_files), "--library", str(full))
    after = snapshot(full)
    assert after != before
    for n in range(RUNS):
        lib_dir = tmp_path / f"run{n}"
        shutil.copytree(library_path, lib_dir)
        kill_after(start("import", str(changed_files), "--library", str(lib_dir)), rnd.uniform(0.05, length))
        assert not wait_no_holders(lib_dir), f"run {n}: the index lock is still held"
        report = check(lib_dir, full=False)
        assert report.findings[1].ok, (n, report.text())  # integrity
        snap = snapshot(lib_dir)
        for issue, titles in snap.items():
            assert titles in (before.get(issue), after.get(issue)), f"run {n}: issue {issue} half imported"
        with Library(lib_dir) as lib:
            assert lib.bookmarks_by_id()[item]["note"] == "保留"
        assert search_answers(lib_dir) == brute_count(lib_dir, "联盟")
        # and the import can simply be run again to the end
        if n % 5 == 0:
            assert timed_run("import", str(changed_files), "--library", str(lib_dir)) > 0
            assert snapshot(lib_dir) == after


def test_kill_during_reindex_never_leaves_a_lock_or_a_hang(library_path):
    rnd = random.Random(11)
    length = timed_run("reindex", "--library", str(library_path))
    expected = brute_count(library_path, "联盟")
    for n in range(RUNS):
        kill_after(start("reindex", "--library", str(library_path)), rnd.uniform(0.05, length))
        held = wait_no_holders(library_path)
        assert not held, f"run {n}: processes {held} still hold the index lock after their parent was killed"
        if n % 4 == 3:
            assert search_answers(library_path) == expected
    assert search_answers(library_path) == expected
    assert check(library_path).ok, check(library_path).text()


def children(pid: int) -> list[int]:
    try:
        return [int(c) for t in Path(f"/proc/{pid}/task").iterdir() for c in (t / "children").read_text().split()]
    except OSError:
        return []


def test_interrupted_reindex_prints_no_traceback(library_path):
    """Ctrl+C while the rebuild's workers run: one line, no KeyboardInterrupt from the workers."""
    interrupted = 0
    for _ in range(3):
        env = {**os.environ, "JIANBAO_NO_SAMPLE": "1"}
        p = subprocess.Popen([*CLI, "reindex", "--library", str(library_path)], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env=env, start_new_session=True)
        deadline = time.monotonic() + 30
        while p.poll() is None and not children(p.pid) and time.monotonic() < deadline:
            time.sleep(0.005)
        if p.poll() is None:
            os.killpg(p.pid, signal.SIGINT)  # Ctrl+C reaches the whole foreground group
            interrupted += 1
        _, err = p.communicate(timeout=60)
        assert "Traceback" not in err and "KeyboardInterrupt" not in err, err
        assert not wait_no_holders(library_path)
    assert interrupted, "the rebuild never ran long enough to be interrupted"


SELF_KILL = """
import os, signal, sys
from pathlib import Path
from jianbao.index.store import Library
from jianbao.index.upkeep import IndexUpkeep
lib = Library(Path(sys.argv[1]))
n = [0]
def cancelled():
    n[0] += 1
    if n[0] == lib.counts()["items"] - 1:  # a worker has its first batch by now
        os.kill(os.getpid(), signal.SIGKILL)
    return False
for _ in IndexUpkeep(lib).rebuild(cancelled=cancelled, procs=2):
    pass
"""


def test_workers_of_a_killed_rebuild_die_and_release_the_lock(library_path):
    """Defect 1, deterministically: the rebuild kills itself once a worker process exists."""
    with Library(library_path) as lib:
        assert lib.counts()["items"] > 100  # more than one batch: Whoosh starts a worker
    p = subprocess.Popen([sys.executable, "-c", SELF_KILL, str(library_path)], start_new_session=True)
    assert p.wait(60) == -signal.SIGKILL
    held = wait_no_holders(library_path, 5)
    for pid in held:  # leave no stray process behind, then fail
        os.kill(pid, signal.SIGKILL)
    assert not held, f"workers {held} of the killed rebuild still hold the index lock"
    assert search_answers(library_path) == brute_count(library_path, "联盟")
