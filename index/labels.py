"""How the bulletin, its issues and its items are named to the user: one place for every caller
(CLI, export, the GUI's tree, reader and dialogs)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .cues import BULLETIN_NAME  # the masthead's name, defined once where the parser recognises it

BULLETIN = f"《{BULLETIN_NAME}》"
APP_NAME = "简报阅览"


def issue_label(row: Mapping[str, Any]) -> str:
    """``2023年第6期（总第71期）``, with what is known."""
    y, n, t = row.get("year"), row.get("number"), row.get("total")
    s = f"{y}年" if y else "年份不详"
    s += f"第{n}期" if n else ""
    s += f"（总第{t}期）" if t else ""
    return s


def page_cite(pages: list[int]) -> str:
    """``原文第 3 页``, ``原文第 3–4 页``, ``原文第 3、5 页``; empty for an item without pages (text source)."""
    if not pages:
        return ""
    ps = sorted(set(pages))
    if len(ps) > 1 and ps == list(range(ps[0], ps[-1] + 1)):
        return f"原文第 {ps[0]}–{ps[-1]} 页"
    return f"原文第 {'、'.join(map(str, ps))} 页"


def item_meta(row: Mapping[str, Any], fields: tuple[str, ...] = ("date", "section", "alliance", "pages"),
              bulletin: bool = False) -> str:
    """``2023年第6期（总第71期） · 2023-12-20 · 重要政策动态 · 某联盟 · 原文第 3 页``: the line under an
    item's title, with what is known (``bulletin`` puts the bulletin's name first, as a citation
    does; ``pages`` cites the original's pages where the row has them)."""
    first = (BULLETIN if bulletin else "") + issue_label(row)
    parts = [page_cite(row[f]) if f == "pages" else str(row[f]) for f in fields if row.get(f)]
    return " · ".join([first, *parts])


def credit_line(row: Mapping[str, Any]) -> str:
    """The credit line as the reader shows it: as written (``credit_raw``), else the credit in
    brackets; empty when the item has none. Searched like the title and the body."""
    return row.get("credit_raw") or (f"（{row['credit']}）" if row.get("credit") else "")
