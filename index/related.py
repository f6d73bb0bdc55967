"""Related items and keywords, from the search index the library already has.

* **Keywords** of an item: TF-IDF. Term frequencies come from segmenting the item itself (title
  words count double), document frequencies from the Whoosh index (one lookup a word), so no
  pass over the library is needed. Stop words, numbers, single characters, alliance names and the
  bulletin's boiler-plate words are left out, and so is any word in more than half the items.
* **Related items**: BM25 over the item's top keywords (each boosted by its weight), the item
  itself masked out; see :data:`RELATED_MAX_DF` for what keeps it fast.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from whoosh import query

from .segment import normalize, words

if TYPE_CHECKING:
    from .search import Searcher

# Function words and the bulletin's own boiler-plate: frequent, never what an item is about.
_STOP_TEXT = """
的 了 和 与 及 以及 在 是 为 对 等 将 由 于 从 并 也 把 被 其 该 各 个 中 上 下 年 月 日
我们 他们 通过 进行 开展 相关 有关 工作 方面 一个 一批 一些 这些 这个 已经 目前 同时 进一步 不断 积极
推动 推进 加强 提升 提高 促进 实现 发展 重要 主要 重点 全面 持续 有效 充分 切实 深入 共同 关于 围绕
召开 举办 组织 参加 出席 会议 活动 表示 指出 强调 介绍 情况 问题 工作会 秘书处 供稿 联盟 产业 技术
创新 战略 产业技术 技术创新 战略联盟 产业技术创新战略联盟 试点 简报 单位 成员 成员单位 协发网 联盟协发网
联络组 试点联盟 来自 代表 领导 专家 企业 本次 此次 以上 以下 其中 包括 一是 二是 三是 作为 可以 需要
要求 如何 我国 国家 全国 年度 公司 有限公司 发布 印发 正式 成功 举行 顺利 新 多 更 好 大 高
"""
STOP_WORDS = frozenset(_STOP_TEXT.split())
# ordinals and counts (第三届, 第二次, 两项): when, not what
_COUNTED = re.compile(r"^第?[一二三四五六七八九十百两0-9]+[届次期批项个家年月日号]$")


@dataclass
class Related:
    id: int
    title: str
    year: int | None
    number: int | None
    total: int | None
    date: str | None
    alliance: str | None
    score: float

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "year": self.year, "number": self.number, "total": self.total,
                "date": self.date, "alliance": self.alliance, "score": round(self.score, 4)}


def _excluded_words(s: Searcher) -> set[str]:
    names = {normalize(n) for a in s.lib.alliance_table.alliances.values() for n in (a.name, *a.aliases)}
    return names | STOP_WORDS


def _keep(w: str, excluded: set[str]) -> bool:
    if len(w) < 2 or w in excluded:
        return False
    if all(ch.isdigit() or ch in ".%-" for ch in w) or _COUNTED.match(w):
        return False
    # mostly digits with a unit (2023年, 10亿, 5g is kept): dates and amounts are not topics
    return not (w[:-1].isdigit() and not w[-1].isascii())


def keywords(s: Searcher, item_id: int, limit: int = 8) -> list[tuple[str, float]]:
    """The item's ``limit`` most characteristic words with their TF-IDF weight, best first."""
    s.ensure_current()
    row = s.lib.conn.execute("SELECT title, body FROM items WHERE id=?", (item_id,)).fetchone()
    if row is None:
        return []
    whoosh = s._whoosh()
    if whoosh is None:
        return []
    seg = s._segmenter()
    excluded = _excluded_words(s)
    tf: Counter[str] = Counter()
    for text, weight in ((row[0] or "", 2), (row[1] or "", 1)):
        for w, _, _ in words(text, seg, mode="default"):
            if _keep(w, excluded):
                tf[w] += weight
    if not tf:
        return []
    reader = whoosh.reader()
    n_docs = max(reader.doc_count(), 1)
    scored = []
    for w, f in tf.items():
        df = reader.doc_frequency("text", w)
        if df > n_docs / 2 and n_docs >= 4:
            continue
        idf = math.log((n_docs + 1) / (df + 1)) + 1.0
        scored.append((w, (1 + math.log(f)) * idf))
    scored.sort(key=lambda kv: (-kv[1], kv[0]))
    return [(w, round(sc, 3)) for w, sc in scored[:limit]]


# The query takes the item's best keywords found in at most this share of the items: a common word
# adds little to "alike" and its long posting list is what makes the query slow (at 10,000 items,
# 12 unrestricted words: p95 ≈ 85 ms; 8 words under 20 %: ≈ 30 ms).
RELATED_TERMS = 8
RELATED_MAX_DF = 0.2


def related(s: Searcher, item_id: int, limit: int = 5) -> list[Related]:
    """Up to ``limit`` other items most like ``item_id`` (never the item itself), best first."""
    kws = keywords(s, item_id, RELATED_TERMS * 3)
    whoosh = s._whoosh()
    if not kws or whoosh is None:
        return []
    reader = whoosh.reader()
    cap = max(RELATED_MAX_DF * reader.doc_count(), 3)
    kws = [(w, weight) for w, weight in kws if reader.doc_frequency("text", w) <= cap][:RELATED_TERMS]
    if not kws:
        return []
    docnums = s._docnums()
    me = docnums.get(item_id)
    q = query.Or([query.Term("text", w, boost=weight) for w, weight in kws])
    res = whoosh.search(q, limit=limit, mask={me} if me is not None else None, terms=False)
    col = s._iids()
    ranked = [(col[d], float(sc)) for d, sc in res.items() if col[d] != item_id]
    meta = s.scan.meta
    out = []
    for iid, score in ranked[:limit]:
        m = meta.get(iid)
        if m is None:  # deleted since the index was written
            continue
        out.append(Related(iid, m.title, m.year, m.number, m.total, m.date, m.alliance, score))
    return out
