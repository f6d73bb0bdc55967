"""Where the library lives: ``--library DIR``, else ``$JIANBAO_LIBRARY``, else the user data folder."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "jianbao"
ENV_LIBRARY = "JIANBAO_LIBRARY"


def library_folder(explicit: str | os.PathLike[str] | None = None) -> Path:
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get(ENV_LIBRARY)
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
