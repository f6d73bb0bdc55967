"""How the bulletin, its issues and its items are named to the user: one place for every caller
(CLI, export, the GUI's tree, reader and dialogs)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

BULLETIN_NAME = "产业技术创新战略联盟试点工作简报"
BULLETIN = f"《{BULLETIN_NAME}》"
APP_NAME = "简报阅览"


def issue_label(row: Mapping[str, Any]) -> str:
    """``2023年第6期（总第71期）``, with what is known."""
    y, n, t = row.get("year"), row.get("number"), row.get("total")
    s = f"{y}年" if y else "年份不详"
    s += f"第{n}期" if n else ""
    s += f"（总第{t}期）" if t else ""
    return s


def item_meta(row: Mapping[str, Any], fields: tuple[str, ...] = ("date", "section", "alliance"),
              bulletin: bool = False) -> str:
    """``2023年第6期（总第71期） · 2023-12-20 · 重要政策动态 · 某联盟``: the line under an item's title,
    with what is known (``bulletin`` puts the bulletin's name first, as a citation does)."""
    first = (BULLETIN if bulletin else "") + issue_label(row)
    return " · ".join([first, *(str(row[f]) for f in fields if row.get(f))])
