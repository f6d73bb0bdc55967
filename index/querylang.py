"""The search box's language: terms, quoted phrases, OR, exclusion; every term folded as the scan is."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .errors import InputError
from .text import fold


@dataclass
class ParsedQuery:
    """Terms are folded. ``groups``: each group is ORed, groups are ANDed; ``exclude`` are NOT."""

    groups: list[list[str]] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)

    @property
    def positive(self) -> list[str]:
        return [t for g in self.groups for t in g]

    def __bool__(self) -> bool:
        return bool(self.groups)


_TOKEN_RE = re.compile(r'(-?)"([^"]*)"?|(\S+)')
# Control characters are never part of a term: NUL and \x01 separate items and fields in the
# scan string, so a term holding one would match across an item's boundary.
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f]")
MAX_TERMS = 64  # distinct terms in one query: more is no search a person types, and costs seconds


def parse_query(q: str) -> ParsedQuery:
    """``钒钛 "ISO 26262" 粉末 OR 冶金 -WAPI``: AND of terms, quoted phrases, OR, exclusion.

    Chinese quotes “…” delimit a phrase like ASCII ones: users type them around what they seek.
    A repeated term or group counts once; more than :data:`MAX_TERMS` distinct terms is an
    :class:`InputError` (Whoosh's nested matchers grow with every term).
    """
    q = _CONTROL_RE.sub(" ", q)
    q = q.replace("“", '"').replace("”", '"').replace("＂", '"')
    out = _parse_terms(q)
    groups: dict[tuple[str, ...], list[str]] = {}
    for g in out.groups:
        terms = list(dict.fromkeys(g))
        groups.setdefault(tuple(sorted(terms)), terms)
    out.groups = list(groups.values())
    out.exclude = list(dict.fromkeys(out.exclude))
    n = len({t for g in out.groups for t in g} | set(out.exclude))
    if n > MAX_TERMS:
        raise InputError(f"检索词太多：{n} 个（最多 {MAX_TERMS} 个），请减少检索词")
    return out


def _parse_terms(q: str) -> ParsedQuery:
    out = ParsedQuery()
    pending_or = False
    for m in _TOKEN_RE.finditer(q):
        neg, quoted, bare = m.group(1), m.group(2), m.group(3)
        if bare is not None:
            if bare in ("OR", "|", "或"):
                pending_or = bool(out.groups)
                continue
            if bare.startswith("-") and len(bare) > 1:
                neg, bare = "-", bare[1:]
            term = fold(bare.replace('"', ""))
        else:
            term = fold(quoted or "")
        if not term:
            continue
        if neg:
            out.exclude.append(term)
        elif pending_or:
            out.groups[-1].append(term)
        else:
            out.groups.append([term])
        pending_or = False
    if not out and not out.exclude and q.strip():
        # nothing but syntax (a lone ", OR, ""): that is what the user seeks, literally, not
        # "no condition", which would find every item
        out.groups = [[t] for t in dict.fromkeys(fold(tok) for tok in q.split()) if t]
    return out
