"""Readers: every source format becomes one ``Document`` of ``Line`` objects for the one classifier.

Each reader module exposes ``read(data: bytes, name: str, ctx: ReadContext) -> Document``. This
package only dispatches by content (magic bytes) and file name; it knows nothing of any format.

    text      .txt .md .markdown .text     (text and Markdown conversions)
    pdf       .pdf                         (pypdfium2: characters with size, font, colour, position)
    docx      .docx                        (python-docx: paragraphs with style, alignment, indent, runs)
    doc       .doc                         (LibreOffice → .docx, then the docx reader)
    ocr       .png .jpg .jpeg .tif .tiff   (page images; scanned PDF pages come through the pdf reader)
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePath

from ..errors import Cancelled, InputError
from ..lines import Line

SUFFIX_READER = {
    ".txt": "text", ".md": "text", ".markdown": "text", ".text": "text",
    ".pdf": "pdf",
    ".docx": "docx",
    ".doc": "doc",
    ".png": "ocr", ".jpg": "ocr", ".jpeg": "ocr", ".tif": "ocr", ".tiff": "ocr",
}
SUFFIXES = frozenset(SUFFIX_READER)


@dataclass
class ReadContext:
    """What a reader may use besides the bytes: progress, cancel, a cache folder (e.g. for OCR results)."""

    progress: Callable[[int, int, str], None] | None = None  # (done, total, message), e.g. pages
    cancelled: Callable[[], bool] | None = None
    cache_dir: str | None = None

    def report(self, done: int, total: int, message: str = "") -> None:
        if self.progress is not None:
            self.progress(done, total, message)
        if self.cancelled is not None and self.cancelled():
            raise Cancelled("已取消")


@dataclass
class Document:
    """A source read into lines. ``original`` is what the library keeps to show 查看原文 (PDF/DOCX/images)."""

    lines: list[Line]
    kind: str  # "text", "markdown", "pdf", "docx", "ocr"
    pages: int = 0  # page count of the original, 0 for text
    encoding: str | None = None  # text sources only
    original: bytes | None = None  # the file as imported, for PDF/DOCX/scans; None for text
    original_suffix: str = ""  # ".pdf", ".docx", ...
    ocr: bool = False  # text came from recognition
    warnings: list[str] = field(default_factory=list)
    noise: int = 0  # characters the reader dropped on purpose (control characters), counted in the balance


def reader_for(data: bytes, name: str) -> str:
    """The reader module's name for these bytes: content first (a PDF named .txt is a PDF), then the suffix."""
    if data.startswith(b"%PDF"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return "docx"
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):  # OLE2: old Word
        return "doc"
    if data.startswith((b"\x89PNG", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")):
        return "ocr"
    return SUFFIX_READER.get(PurePath(name).suffix.lower(), "text")


def read(data: bytes, name: str, ctx: ReadContext | None = None) -> Document:
    kind = reader_for(data, name)
    try:
        module = importlib.import_module(f".{kind}", __name__)
    except ModuleNotFoundError as e:
        if e.name and e.name.endswith(f"readers.{kind}"):
            raise InputError(f"{name}：暂不支持这种文件（{kind.upper()}）") from None
        raise
    return module.read(data, name, ctx or ReadContext())
