"""Alliance activity: how many items each alliance was credited with, year by year.

Counts only credited items under their canonical alliance name, as the 联盟 tab does
(:meth:`Library.alliances`); items of an issue whose year is unknown count under year None.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .store import Library


def activity(lib: Library, year_from: int | None = None, year_to: int | None = None) -> list[dict[str, Any]]:
    """``[{alliance, year, items}]``, alliance by name then year (None last)."""
    where = ["t.alliance IS NOT NULL"]
    params: list[Any] = []
    if year_from is not None:
        where.append("i.year >= ?")
        params.append(year_from)
    if year_to is not None:
        where.append("i.year <= ?")
        params.append(year_to)
    rows = lib.conn.execute(
        "SELECT t.alliance, i.year, count(*) FROM items t JOIN issues i ON i.id = t.issue_id WHERE "
        + " AND ".join(where) + " GROUP BY t.alliance, i.year",
        params,
    ).fetchall()
    known = lib.alliance_table.alliances
    out = [{"alliance": a, "year": y, "items": n} for a, y, n in rows if a in known]
    out.sort(key=lambda r: (r["alliance"], r["year"] is None, r["year"] or 0))
    return out


@dataclass
class AllianceActivity:
    """One alliance's row: counts per year, aliases and its latest item's date."""

    name: str
    aliases: list[str]
    per_year: dict[int | None, int] = field(default_factory=dict)
    last_date: str | None = None
    last_year: int | None = None

    @property
    def total(self) -> int:
        return sum(self.per_year.values())


def activity_table(lib: Library, year_from: int | None = None, year_to: int | None = None) -> tuple[list[int], list[AllianceActivity]]:
    """The years present (ascending) and one row per active alliance, most items first."""
    rows: dict[str, AllianceActivity] = {}
    known = lib.alliance_table.alliances
    for r in activity(lib, year_from, year_to):
        a = rows.get(r["alliance"])
        if a is None:
            a = rows[r["alliance"]] = AllianceActivity(r["alliance"], list(known[r["alliance"]].aliases))
        a.per_year[r["year"]] = r["items"]
    for name, year, date in lib.conn.execute(
        "SELECT t.alliance, max(i.year), max(i.date) FROM items t JOIN issues i ON i.id = t.issue_id"
        " WHERE t.alliance IS NOT NULL GROUP BY t.alliance"
    ):
        if name in rows:
            rows[name].last_year, rows[name].last_date = year, date
    years = sorted({y for a in rows.values() for y in a.per_year if y is not None})
    return years, sorted(rows.values(), key=lambda a: (-a.total, a.name))


def activity_items(lib: Library, alliance: str, year: int | None = None) -> list[int]:
    """Ids of an alliance's items (in ``year`` if given), newest first."""
    sql = ("SELECT t.id FROM items t JOIN issues i ON i.id = t.issue_id WHERE t.alliance = ?"
           + (" AND i.year = ?" if year is not None else "")
           + " ORDER BY coalesce(i.year,0) DESC, coalesce(i.number,0) DESC, coalesce(i.date,'') DESC, i.id DESC, t.position")
    return [r[0] for r in lib.conn.execute(sql, (alliance, year) if year is not None else (alliance,))]


def to_csv(years: list[int], rows: list[AllianceActivity]) -> str:
    """The table as CSV that Excel opens as UTF-8 (BOM added by the writer, CRLF rows)."""
    import csv
    import io

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(["联盟", *[str(y) for y in years], "合计", "最近条目日期"])
    for a in rows:
        w.writerow([a.name, *[a.per_year.get(y, 0) for y in years], a.total, a.last_date or ""])
    return buf.getvalue()
