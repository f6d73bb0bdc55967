"""Files written whole or not at all: a temporary file beside the target, then a rename.

The temporary name ``.NAME.PID.jianbao-tmp`` is findable, so one a killed process left behind is
removed by the next writer of the same file once that process is gone.
"""

from __future__ import annotations

import glob
import os
from pathlib import Path

TMP_MARK = ".jianbao-tmp"


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # PermissionError: alive, someone else's
        return True
    return True


def temp_beside(out: Path) -> Path:
    """A new, empty temporary file beside ``out``, after removing stale ones of dead processes.

    Created with mode 0666 so that the user's umask decides, as for any file they create.
    Raises OSError when the folder cannot be written.
    """
    for stale in out.parent.glob(f".{glob.escape(out.name)}.*{TMP_MARK}"):
        pid = stale.name[len(out.name) + 2 : -len(TMP_MARK)]
        if pid.isdigit() and not _pid_alive(int(pid)):
            stale.unlink(missing_ok=True)
    tmp = out.with_name(f".{out.name}.{os.getpid()}{TMP_MARK}")
    os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666))
    return tmp


def write_atomic(out: Path, data: bytes) -> None:
    """Write ``data`` to ``out`` whole: a reader sees the old file or the new one, never half."""
    tmp = temp_beside(out)
    try:
        tmp.write_bytes(data)
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
