"""How a query was read: the terms as the exact search understands them, and how the segmenter
split each term for ranking (``新质生产力 → 新质 · 生产力``).

Matching is literal (see :mod:`.search`), ranking is BM25 over jieba words: a user who sees the
segmentation sees why an item ranks where it does. This module only reads the query; it uses the
same tokenizer regex and the same "default" segmentation mode as the search itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .querylang import _TOKEN_RE, parse_query
from .segment import words
from .text import fold

OR_WORDS = ("OR", "|", "或")


@dataclass
class Explanation:
    """``terms``: plain AND terms; ``phrases``: quoted AND terms; ``any_of``: OR groups (each
    a list, any one suffices); ``excluded``: NOT terms; ``segmented``: term → ranking words."""

    terms: list[str] = field(default_factory=list)
    phrases: list[str] = field(default_factory=list)
    any_of: list[list[str]] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)
    segmented: dict[str, list[str]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"terms": self.terms, "phrases": self.phrases, "any_of": self.any_of, "excluded": self.excluded,
                "segmented": self.segmented}

    def line(self) -> str:
        """One quiet line for under the search field (简体中文)."""
        parts: list[str] = []
        if self.terms:
            parts.append("同时含 " + " ＋ ".join(self.terms))
        if self.phrases:
            parts.append("短语 " + " ＋ ".join(f"“{p}”" for p in self.phrases))
        for g in self.any_of:
            parts.append("任一 " + " / ".join(g))
        if self.excluded:
            parts.append("不含 " + "、".join(self.excluded))
        split = [f"{t} → {' · '.join(ws)}" for t, ws in self.segmented.items() if ws and ws != [t]]
        if split:
            parts.append("排序分词：" + "；".join(split))
        return "　".join(parts)


def _quoted_terms(q: str) -> set[str]:
    """Folded terms that the user put in quotes (the parser folds them like bare ones)."""
    q = q.replace("“", '"').replace("”", '"').replace("＂", '"')
    return {fold(m.group(2) or "") for m in _TOKEN_RE.finditer(q) if m.group(2) is not None and not m.group(1)}


def explain(q: str, seg: Any = None) -> Explanation:
    """Read ``q`` as the search does. ``seg``: the segmenter the index ranks with (with the
    library's user words); None uses the process-wide one."""
    pq = parse_query(q)
    quoted = _quoted_terms(q)
    out = Explanation(excluded=list(pq.exclude))
    for group in pq.groups:
        if len(group) > 1:
            out.any_of.append(list(group))
        elif group[0] in quoted:
            out.phrases.append(group[0])
        else:
            out.terms.append(group[0])
    for t in pq.positive:
        out.segmented[t] = [w for w, _, _ in words(t, seg, mode="default")]
    return out
