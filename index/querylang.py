"""The search box's language: terms, quoted phrases, OR, exclusion; every term folded as the scan is."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

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


def parse_query(q: str) -> ParsedQuery:
    """``钒钛 "ISO 26262" 粉末 OR 冶金 -WAPI``: AND of terms, quoted phrases, OR, exclusion.

    Chinese quotes “…” delimit a phrase like ASCII ones: users type them around what they seek.
    """
    q = q.replace("“", '"').replace("”", '"').replace("＂", '"')
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
    return out
