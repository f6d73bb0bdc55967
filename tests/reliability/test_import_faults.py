"""Issue 10, defects 6 and 2 (import side): hostile files, non-bulletins, and re-imports that
would empty an issue."""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

import pytest

from jianbao.index import cli, importer
from jianbao.index.backup import list_backups
from jianbao.index.store import Library
from tests.conftest import CORPUS_FILES

ORIGINAL_001 = next(f for f in CORPUS_FILES if f.name.startswith("001_"))


def truncated(tmp_path: Path) -> Path:
    """Issue 001 cut off after its first quarter (a damaged download): same masthead, few items."""
    lines = ORIGINAL_001.read_text("utf-8").splitlines()
    bad = tmp_path / "001_truncated.txt"
    bad.write_text("\n".join(lines[: len(lines) // 4]) + "\n", "utf-8")
    return bad


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def import_in_thread(lib_path: Path, target: str, seconds: float = 20):
    out: list = []

    def go() -> None:
        with Library(lib_path) as lib:
            out.append(lib.import_file(target))

    t = threading.Thread(target=go, daemon=True)
    t.start()
    t.join(seconds)
    assert not t.is_alive(), f"import of {target} hung"
    return out[0]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
@pytest.mark.parametrize("name", ["pipe.pdf", "pipe.png"])
def test_a_fifo_named_like_a_scan_is_refused_not_waited_for(library_path, tmp_path, name):
    # the scan route (PDF without text, page images) read the path before the regular-file check
    fifo = tmp_path / name
    os.mkfifo(fifo)
    r = import_in_thread(library_path, str(fifo))
    assert r.status == "failed" and "不是普通文件" in r.message


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_a_fifo_is_refused_not_waited_for(library_path, tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    r = import_in_thread(library_path, str(fifo))
    assert r.status == "failed" and "不是普通文件" in r.message


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_dev_zero_is_refused_without_reading_it(library_path):
    r = import_in_thread(library_path, "/dev/zero")
    assert r.status == "failed" and "不是普通文件" in r.message


def test_size_limit_names_itself(library_path, tmp_path, monkeypatch):
    monkeypatch.setattr(importer, "MAX_FILE_MB", 1)
    big = tmp_path / "big.txt"
    big.write_bytes(ORIGINAL_001.read_bytes() + b"x" * (1024 * 1024))
    with Library(library_path) as lib:
        before = lib.counts()
        r = lib.import_file(big)
        assert r.status == "failed" and "上限 1 MB" in r.message
        assert lib.counts() == before


def test_a_file_that_is_mostly_noise_warns(library_path, tmp_path):
    noisy = tmp_path / "noisy.txt"
    junk = "\n".join(f"- {i} -" for i in range(3000))  # page numbers: noise by any reading
    text = ORIGINAL_001.read_text("utf-8")
    noisy.write_text(text + "\n" + junk + "\n", "utf-8")
    with Library(library_path) as lib:
        r = lib.import_file(noisy)
    assert r.status != "failed", r.message
    assert any("不是简报内容" in w for w in r.warnings), r.warnings


def test_a_text_that_is_not_a_bulletin_is_refused_then_forced(library_path, tmp_path, capsys):
    readme = tmp_path / "README.txt"
    readme.write_text("# 安装说明\n\n本软件用于阅读简报。\n\n运行 pip install 即可安装，详见文档。\n", "utf-8")
    code, _, err = run(capsys, "import", str(readme), "--library", str(library_path))
    assert code == 1 and "不像是" in err and "--force" in err
    with Library(library_path) as lib:
        n = lib.counts()["issues"]
    code, _, err = run(capsys, "import", str(readme), "--force", "--library", str(library_path))
    assert code == 0, err
    with Library(library_path) as lib:
        assert lib.counts()["issues"] == n + 1


def test_reimport_that_would_empty_an_issue_is_refused_and_keeps_everything(library_path, tmp_path, capsys):
    bad = truncated(tmp_path)
    with Library(library_path) as lib:
        issue = next(i for i in lib.issues() if i["source"] and i["source"].startswith("001_"))
        items = {r["id"]: (r["title"], r["body"]) for r in lib.items(issue_id=issue["id"])}
        marked = next(iter(items))
        lib.bookmark(marked, "重要")
    code, _, err = run(capsys, "import", str(bad), "--library", str(library_path))
    lines = [ln for ln in err.splitlines() if ln.startswith("[")]
    assert code == 1 and len(lines) == 1 and "已保留原有条目" in lines[0] and "--force" in lines[0]
    with Library(library_path) as lib:
        assert {r["id"]: (r["title"], r["body"]) for r in lib.items(issue_id=issue["id"])} == items
        assert lib.bookmarks_by_id()[marked]["title"] is not None
    assert any(b.reason == "before-import" for b in list_backups(library_path))


def test_forced_bad_reimport_can_be_undone_by_the_original_file(library_path, tmp_path, capsys):
    """The content hash of the original is recorded, but it is no longer the issue's last source:
    importing it again must restore the issue, not say "unchanged"."""
    bad = truncated(tmp_path)
    with Library(library_path) as lib:
        issue = next(i for i in lib.issues() if i["source"] and i["source"].startswith("001_"))
        titles = [r["title"] for r in lib.items(issue_id=issue["id"])]
    assert run(capsys, "import", str(bad), "--force", "--library", str(library_path))[0] == 0
    with Library(library_path) as lib:
        assert len(lib.items(issue_id=issue["id"])) < len(titles)
        r = lib.import_file(ORIGINAL_001)
        assert r.status == "updated", r
        assert [x["title"] for x in lib.items(issue_id=issue["id"])] == titles
        assert lib.import_file(ORIGINAL_001).status == "unchanged"  # now it is the last source again


def test_gui_can_force_through_importer(library_path, tmp_path):
    """The operation the GUI retries after asking: import_paths(force=True)."""
    bad = truncated(tmp_path)
    with Library(library_path) as lib:
        results = [p.result for p in importer.import_paths(lib, [bad]) if p.result]
        assert results[0].status == "failed" and isinstance(results[0].message, str)
        results = [p.result for p in importer.import_paths(lib, [bad], force=True) if p.result]
        assert results[0].status == "updated"


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks")
def test_dangling_symlink_says_so(library_path, tmp_path):
    link = tmp_path / "gone.txt"
    link.symlink_to(tmp_path / "nowhere.txt")
    with Library(library_path) as lib:
        r = lib.import_file(link)
    assert r.status == "failed" and "符号链接" in r.message
