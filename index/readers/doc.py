"""Old Word .doc → .docx through LibreOffice, then the docx reader.

LibreOffice runs headless in a temporary profile (so it neither touches nor waits for the user's
own running instance) with a time limit; on timeout its whole process group is killed. Without
LibreOffice the file is refused in one line that says what to do. The library keeps the original
.doc bytes.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from ..errors import Cancelled, InputError
from . import Document, ReadContext

TIMEOUT = 120  # seconds; a bulletin converts in a few
_CANDIDATES = ("soffice", "libreoffice", "/usr/bin/soffice", "/usr/lib/libreoffice/program/soffice",
               "/opt/libreoffice/program/soffice", "/Applications/LibreOffice.app/Contents/MacOS/soffice",
               r"C:\Program Files\LibreOffice\program\soffice.exe")


def find_soffice() -> str | None:
    """The LibreOffice program, or None. ``$JIANBAO_SOFFICE`` overrides the search (empty: none)."""
    override = os.environ.get("JIANBAO_SOFFICE")
    if override is not None:
        return override if override and Path(override).is_file() else None
    for c in _CANDIDATES:
        found = shutil.which(c) or (c if Path(c).is_file() else None)
        if found:
            return found
    return None


def convert(data: bytes, suffix: str, to: str, *, timeout: float = TIMEOUT,
            cancelled: Callable[[], bool] | None = None) -> bytes:
    """Convert ``data`` (a file ending in ``suffix``) with LibreOffice to format ``to`` ("docx", "pdf").

    Raises InputError in one line when LibreOffice is absent, fails, or runs past ``timeout``;
    Cancelled (LibreOffice stopped) as soon as ``cancelled()`` says so.
    """
    soffice = find_soffice()
    if soffice is None:
        raise InputError("未找到 LibreOffice，无法转换旧版 Word 文件（.doc）：请在 Word 或 WPS 中另存为 .docx 后再导入")
    with tempfile.TemporaryDirectory(prefix="jianbao-lo-") as tmp:
        src = Path(tmp) / f"source{suffix}"
        src.write_bytes(data)
        out = Path(tmp) / "out"
        profile = Path(tmp) / "profile"
        cmd = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore", "--nologo",
               "--convert-to", to, "--outdir", str(out), str(src)]
        try:
            proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                                    start_new_session=True)
        except OSError as e:
            raise InputError(f"无法启动 LibreOffice（{soffice}）：{e.strerror}") from None
        deadline = time.monotonic() + timeout
        while True:
            try:
                _, err = proc.communicate(timeout=min(0.25, max(deadline - time.monotonic(), 0.01)))
                break
            except subprocess.TimeoutExpired:
                if cancelled is not None and cancelled():
                    _kill_group(proc)
                    raise Cancelled("已取消") from None
                if time.monotonic() >= deadline:
                    _kill_group(proc)
                    raise InputError(
                        f"LibreOffice 转换超时（{timeout:g} 秒），已停止：请在 Word 或 WPS 中另存为 .docx 后再导入"
                    ) from None
        result = out / f"source.{to}"
        if proc.returncode != 0 or not result.is_file():
            detail = (err or b"").decode("utf-8", "replace").strip().splitlines()
            raise InputError("LibreOffice 无法转换此文件" + (f"：{detail[-1]}" if detail else "（文件可能已损坏）"))
        return result.read_bytes()


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError, AttributeError):
        proc.kill()
    proc.communicate()


def is_encrypted_office(data: bytes) -> bool:
    """A password-protected Word file: an OLE2 container holding an ``EncryptedPackage`` stream
    (how Office encrypts .docx) or, for old .doc, directory names that only encryption writes."""
    head = data[:2_000_000]
    return any(n.encode("utf-16-le") in head for n in ("EncryptedPackage", "EncryptionInfo"))


def read(data: bytes, name: str, ctx: ReadContext) -> Document:
    from . import docx as docx_reader

    if is_encrypted_office(data):
        raise InputError(f"{name}：Word 文件设有密码（已加密），无法读取：请在 Word 或 WPS 中取消密码后再导入")
    ctx.report(0, 1, f"{name}：LibreOffice 转换中")
    try:
        converted = convert(data, ".doc", "docx", cancelled=ctx.cancelled)
    except InputError as e:
        raise InputError(f"{name}：{e}") from None
    doc = docx_reader.read(converted, name, ctx)
    doc.original, doc.original_suffix = data, ".doc"
    doc.kind = "doc"
    return doc
