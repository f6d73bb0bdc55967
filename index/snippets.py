"""Hits in context: where query terms occur in a text, and a snippet around the first one.

Kept apart from :mod:`index.search` so that the reader can highlight without importing Whoosh.
"""

from __future__ import annotations

import re
import unicodedata

from .text import fold_with_map

__all__ = ["find_spans", "make_snippet"]


def find_spans(text: str, terms: list[str]) -> list[tuple[int, int]]:
    """Where the folded ``terms`` occur in ``text`` (ignoring whitespace, case, width), merged."""
    terms = [t for t in terms if t]
    if not terms:
        return []
    spans: list[tuple[int, int]] = []
    folded_chars = unicodedata.normalize("NFKC", text).casefold()
    if len(folded_chars) == len(text):
        # the usual case: folding maps character to character, so a regex that allows
        # whitespace between the term's characters finds the spans at C speed
        for t in terms:
            pattern = r"\s*".join(map(re.escape, t))
            spans += [m.span() for m in re.finditer(pattern, folded_chars)]
    else:
        folded, idx = fold_with_map(text)
        for t in terms:
            i = folded.find(t)
            while i >= 0:
                spans.append((idx[i], idx[i + len(t) - 1] + 1))
                i = folded.find(t, i + 1)
    spans.sort()
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged


def make_snippet(body: str, terms: list[str], chars: int = 80) -> tuple[str, list[tuple[int, int]]]:
    """About ``chars`` characters of ``body`` around the first hit, and the hits inside it."""
    flat = body.replace("\n", " ")
    spans = find_spans(flat, terms)
    if not spans:
        s = flat[:chars]
        return (s + "…" if len(flat) > chars else s), []
    first = spans[0][0]
    start = max(0, first - chars // 4)
    end = min(len(flat), start + chars)
    start = max(0, min(start, end - chars))
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(flat) else ""
    out = prefix + flat[start:end] + suffix
    off = len(prefix) - start
    inside = [(max(s, start) + off, min(e, end) + off) for s, e in spans if s < end and e > start]
    return out, inside


def item_snippet(body: str | None, credit: str, terms: list[str], chars: int = 80) -> tuple[str, list[tuple[int, int]]]:
    """The snippet of a hit: around the first term in the body, else in the credit line (where
    a search for 新华社 finds it), else the body's start."""
    snippet, spans = make_snippet(body or "", terms, chars)
    if not spans and credit and terms:
        in_credit = make_snippet(credit, terms, chars)
        if in_credit[1]:
            return in_credit
    return snippet, spans
