"""The kept originals as pages to look at (查看原文): a PDF for every original, and where an item is.

A PDF original is shown as it is. A Word original (.docx/.doc) is converted once with LibreOffice
to a PDF cached beside the originals (``originals/pdf/<sha256>.pdf``); without LibreOffice there is
no page to show and the caller offers the system's own program instead. The DOCX reader only
*estimates* pages, so in a converted PDF the item's page is looked up by its title near the
estimate. Rendering is the GUI's business (pypdfium2 to an image); nothing here imports Qt.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from .errors import InputError
from .text import compact

# PDFium is not thread-safe: every use from this module (and the GUI's renderer) holds this lock.
PDFIUM_LOCK = threading.RLock()
WORD_SUFFIXES = (".docx", ".doc")
_CONVERTING = threading.Lock()  # one LibreOffice conversion at a time (each takes seconds and a CPU)


def viewable_pdf(original_path: str | Path) -> Path:
    """A PDF of the original: the original itself, or its cached LibreOffice conversion (made now
    if missing). Raises InputError (one line) when a Word original cannot be converted."""
    path = Path(original_path)
    if not path.is_file():
        raise InputError(f"原文文件不见了：{path}")
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        return path
    if suffix not in WORD_SUFFIXES:
        raise InputError(f"这种原文（{suffix}）没有页面可显示")
    cached = path.parent / "pdf" / f"{path.stem}.pdf"
    if cached.is_file():
        return cached
    with _CONVERTING:  # the pane renders pages in a pool: the first asker converts, the others wait for it
        if cached.is_file():
            return cached
        from .readers.doc import convert

        data = convert(path.read_bytes(), suffix, "pdf")
        cached.parent.mkdir(exist_ok=True)
        tmp = cached.with_name(f".{cached.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, cached)
    return cached


def locate(pdf_path: str | Path, title: str, hint: int | None) -> int | None:
    """The 1-based page of ``pdf_path`` whose text holds ``title``, searched outward from ``hint``."""
    import pypdfium2 as pdfium

    key = compact(title)[:16]
    if not key:
        return None
    with PDFIUM_LOCK:
        pdf = pdfium.PdfDocument(str(pdf_path))
        try:
            n = len(pdf)
            start = min(max((hint or 1) - 1, 0), n - 1)
            order = sorted(range(n), key=lambda i: (abs(i - start), i))
            for i in order:
                page = pdf[i]
                tp = page.get_textpage()
                try:
                    text = compact(tp.get_text_range())
                finally:
                    tp.close()
                    page.close()
                if key in text:
                    return i + 1
        finally:
            pdf.close()
    return None
