"""Text helpers shared by the parser, the store and the search: decoding and normalising."""

from __future__ import annotations

import codecs
import re
import unicodedata

from .errors import InputError

_WS_RE = re.compile(r"\s+")


def decode(data: bytes, name: str = "") -> tuple[str, str]:
    """Decode a bulletin file, returning (text with LF newlines, encoding name).

    Bulletins arrive as UTF-8 (with or without BOM), GB18030/GBK or UTF-16 with a BOM.
    Binary documents (PDF, DOCX, images) are refused with a clear message.
    """
    label = name or "file"
    if data.startswith(b"%PDF"):
        raise InputError(f"{label}: 这是 PDF 文件，请先导出为文本（PDF 直接导入尚未支持）")
    if data.startswith(b"PK\x03\x04"):
        raise InputError(f"{label}: 这是 DOCX/ZIP 文件，请先导出为文本（DOCX 直接导入尚未支持）")
    candidates: list[tuple[bytes, str]] = [
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ]
    text: str | None = None
    encoding = ""
    for bom, enc in candidates:
        if data.startswith(bom):
            try:
                text, encoding = data.decode(enc), enc
            except UnicodeDecodeError as e:
                raise InputError(f"{label}: 无法按 {enc} 解码（第 {e.start} 字节）") from None
            break
    if text is None:
        if b"\x00" in data[:4096]:
            raise InputError(f"{label}: 不是文本文件（含二进制内容）")
        for enc in ("utf-8", "gb18030"):
            try:
                text, encoding = data.decode(enc), enc
                break
            except UnicodeDecodeError:
                continue
        else:
            raise InputError(f"{label}: 无法识别文本编码（既不是 UTF-8/UTF-16，也不是 GB18030/GBK）")
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return text, encoding


def nonws_len(s: str) -> int:
    """Number of non-whitespace characters: the unit of the import balance."""
    return sum(1 for ch in s if not ch.isspace())


def compact(s: str) -> str:
    """Remove all whitespace."""
    return _WS_RE.sub("", s)


# Full-width ASCII and the ideographic space: what NFKC changes in most bulletin text.
_FULLWIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


def fold(s: str) -> str:
    """The form used for matching: NFKC (full/half width), casefolded, without whitespace.

    NFKC can change the length of a string (e.g. ligatures), so offsets into the folded
    form must be mapped back with :func:`fold_with_map` when they matter. Full-width ASCII is
    translated first (what NFKC would do, at C speed); the full normalisation only runs when a
    quick check says something else remains.
    """
    t = s.translate(_FULLWIDTH)
    if not unicodedata.is_normalized("NFKC", t):
        t = unicodedata.normalize("NFKC", t)
    return compact(t.casefold())


_FOLD_CHAR: dict[str, str] = {}


def _fold_char(ch: str) -> str:
    f = _FOLD_CHAR.get(ch)
    if f is None:
        f = "" if ch.isspace() else "".join(c for c in unicodedata.normalize("NFKC", ch).casefold() if not c.isspace())
        if len(_FOLD_CHAR) < 100_000:
            _FOLD_CHAR[ch] = f
    return f


def fold_with_map(s: str) -> tuple[str, list[int]]:
    """Fold ``s`` like :func:`fold` and return, for each folded character, its index in ``s``.

    Folds character by character (through a cache), which equals :func:`fold` except where
    NFKC composes across characters (a letter followed by a combining mark); bulletin text is
    already composed, and the difference only shifts a highlight.
    """
    out: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(s):
        f = _FOLD_CHAR.get(ch)
        if f is None:
            f = _fold_char(ch)
        if f:
            out.append(f)
            index.extend([i] * len(f))
    return "".join(out), index


def is_cjk(ch: str) -> bool:
    o = ord(ch)
    return (
        0x4E00 <= o <= 0x9FFF
        or 0x3400 <= o <= 0x4DBF
        or 0x20000 <= o <= 0x2FA1F
        or 0xF900 <= o <= 0xFAFF
    )


def is_ascii_alnum(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


FOLDED_FORMAT = "2"  # 2: the credit line is part of what is searched (1: title and body)


def fold_item(title: str, body: str | None, credit: str | None) -> str:
    """What the exact search scans for one item: the folded title, body and credit line (as the
    reader shows them), apart by \x01 so that no term matches across two of them."""
    return fold(title) + "\x01" + fold(body or "") + "\x01" + fold(credit or "")
