"""Shared fixtures. Qt runs offscreen; no test touches the user's real library."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "resources" / "corpus"
TRUTH = ROOT / "tests" / "fixtures" / "truth"
CORPUS_FILES = sorted(CORPUS.glob("*.txt"))


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("JIANBAO_LIBRARY", str(home / "default-library"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("HOME", str(home))


def truth(name: str) -> dict:
    return json.loads((TRUTH / (Path(name).stem + ".json")).read_text("utf-8"))


@pytest.fixture(scope="session")
def _sample_library_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample library with its search index, built once per session."""
    from jianbao.index.store import Library
    from jianbao.index.upkeep import update_index

    folder = tmp_path_factory.mktemp("sample-template") / "lib"
    with Library(folder) as lib:
        lib.ensure_sample()
        update_index(lib)
    return folder


@pytest.fixture
def library_path(_sample_library_template: Path, tmp_path: Path) -> Path:
    """A private copy of the sample library (expensive fixtures built once, copied per test)."""
    dest = tmp_path / "lib"
    shutil.copytree(_sample_library_template, dest)
    return dest


@pytest.fixture
def library(library_path: Path):
    from jianbao.index.store import Library

    with Library(library_path) as lib:
        yield lib


@pytest.fixture
def empty_library(tmp_path: Path):
    from jianbao.index.store import Library

    with Library(tmp_path / "empty") as lib:
        yield lib
