"""What a result list needs beyond the first page of a search: hits made as the list scrolls,
and, when nothing matches, a sentence saying why."""

from __future__ import annotations

from typing import Any

from .labels import credit_line
from .querylang import parse_query
from .search import Hit, Searcher
from .snippets import item_snippet
from .store import Library


def hits_for(lib: Library, ids: list[int], terms: list[str], chars: int = 80) -> list[Hit]:
    """Hits for ``ids`` (in that order; ids no longer in the library are left out), their
    snippets around ``terms``: the rest of a result list, made as it scrolls."""
    rows = {r["id"]: r for r in lib.items(ids=ids)}
    out = []
    for i in ids:
        r = rows.get(i)
        if r is None:
            continue
        snippet, spans = item_snippet(r["body"], credit_line(r), terms, chars)
        out.append(Hit(i, r["title"], r["year"], r["number"], r["total"], r["date"], r["section"], r["alliance"], 0.0,
                       snippet, spans))
    return out


def explain_empty(searcher: Searcher, q: str, filters: dict[str, Any]) -> str:
    """Why ``q`` with ``filters`` finds nothing, in a sentence: the terms that occur nowhere,
    else the filters, else the combination."""
    pq = parse_query(q)
    missing = [t for t in pq.positive if not searcher.search(f'"{t}"', limit=1).total]
    if missing:
        return "、".join(f"“{t}”" for t in missing) + " 在全部简报中都没有出现"
    if any(filters.get(k) for k in ("alliance", "section", "year_from", "year_to")) and searcher.search(q, limit=1).total:
        return "当前的联盟、栏目或年份筛选下没有结果，取消筛选即可找到"
    if len(pq.groups) > 1:
        return "每个词都能找到，但没有一条同时包含它们"
    if pq.exclude:
        return "排除的词去掉了全部结果"
    return ""
