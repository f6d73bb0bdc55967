"""What the home page (首页) shows, gathered without Qt: the newest issue's table of contents,
what the last import added, recent bookmarks and a one-line summary of the library."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .store import Library

# sources imported within this many seconds of the newest one belong to the same import
_SAME_IMPORT_SECONDS = 600


@dataclass
class HomeData:
    summary: dict[str, Any]
    newest_issue: dict[str, Any] | None
    newest_sections: list[tuple[str, list[tuple[int, str]]]] = field(default_factory=list)
    last_import: list[dict[str, Any]] = field(default_factory=list)  # issues: {id, year, number, total, items, first_item}
    last_import_at: str | None = None
    bookmarks: list[dict[str, Any]] = field(default_factory=list)
    sample_issues: int = 0  # built-in sample issues still in the library


def summary(lib: Library) -> dict[str, Any]:
    q = lib.conn.execute
    issues, y0, y1 = q("SELECT count(*), min(year), max(year) FROM issues").fetchone()
    items = q("SELECT count(*) FROM items").fetchone()[0]
    alliances = q("SELECT count(DISTINCT alliance) FROM items WHERE alliance IS NOT NULL").fetchone()[0]
    return {"issues": issues, "items": items, "year_from": y0, "year_to": y1, "alliances": alliances}


def summary_line(s: dict[str, Any]) -> str:
    years = f"{s['year_from']}–{s['year_to']} 年" if s["year_from"] and s["year_to"] != s["year_from"] else (
        f"{s['year_from']} 年" if s["year_from"] else "年份不详")
    return f"共 {s['issues']} 期 · {s['items']} 条 · {years} · {s['alliances']} 个联盟"


def home_data(lib: Library, bookmarks: int = 5) -> HomeData:
    q = lib.conn.execute
    newest = q("SELECT id, year, number, total, date FROM issues ORDER BY coalesce(year,0) DESC, coalesce(number,0) DESC,"
               " coalesce(date,'') DESC, id DESC LIMIT 1").fetchone()
    data = HomeData(summary(lib), None)
    if newest:
        data.newest_issue = dict(zip(("id", "year", "number", "total", "date"), newest, strict=True))
        sections: dict[str, list[tuple[int, str]]] = {}
        for iid, section, title in q("SELECT id, section, title FROM items WHERE issue_id=? ORDER BY position", (newest[0],)):
            sections.setdefault(section or "其他", []).append((iid, title))
        data.newest_sections = list(sections.items())
    last = q("SELECT max(imported) FROM sources").fetchone()[0]
    if last:
        data.last_import_at = last
        rows = q(
            """SELECT i.id, i.year, i.number, i.total, (SELECT count(*) FROM items t WHERE t.issue_id=i.id),
                      (SELECT t.id FROM items t WHERE t.issue_id=i.id ORDER BY t.position LIMIT 1)
               FROM issues i WHERE i.id IN (SELECT issue_id FROM sources
                 WHERE julianday(?) - julianday(imported) <= ? / 86400.0)
               ORDER BY coalesce(i.year,0) DESC, coalesce(i.number,0) DESC""",
            (last, _SAME_IMPORT_SECONDS),
        ).fetchall()
        data.last_import = [dict(zip(("id", "year", "number", "total", "items", "first_item"), r, strict=True)) for r in rows]
    rows = q("""SELECT b.item_id, t.title, b.note FROM bookmarks b JOIN items t ON t.id = b.item_id
                ORDER BY b.created DESC, b.rowid DESC LIMIT ?""", (bookmarks,)).fetchall()
    data.bookmarks = [{"id": r[0], "title": r[1], "note": r[2]} for r in rows]
    from .sample import sample_issue_ids

    data.sample_issues = len(sample_issue_ids(lib))
    return data
