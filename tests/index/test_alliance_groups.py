"""One alliance, several names: credits keep their text, listings and filters see one alliance."""

from __future__ import annotations

from jianbao.index.alliances import Alliance, AllianceTable
from tests.conftest import CORPUS_FILES

VT_LONG, VT_SHORT = "钒钛资源综合利用产业技术创新战略联盟", "钒钛产业技术创新战略联盟"


def test_names_sharing_a_short_name_are_one_alliance():
    t = AllianceTable.builtin()
    assert t.groups()[VT_LONG] == [VT_LONG, VT_SHORT]
    for query in ("钒钛联盟", VT_LONG, VT_SHORT):
        assert t.lookup(query) == {VT_LONG, VT_SHORT}, query
    assert t.resolve(VT_SHORT) == VT_SHORT  # the credit's own name stays what it is
    assert all(len(ns) == 1 for main, ns in t.groups().items() if main != VT_LONG)  # nothing else merged


def test_any_alliance_whose_credits_use_a_shorter_name():
    t = AllianceTable([Alliance("海洋装备材料产业技术创新战略联盟", ["海洋联盟"]), Alliance("钢铁产业技术创新战略联盟")])
    # a credit that shortens the name to what the short name says is the same alliance …
    assert t.resolve("海洋产业技术创新战略联盟") == "海洋装备材料产业技术创新战略联盟"
    t.add("海洋产业技术创新战略联盟", [])
    assert t.lookup("海洋联盟") == {"海洋装备材料产业技术创新战略联盟", "海洋产业技术创新战略联盟"}
    # … while an unrelated alliance stays apart
    assert t.resolve("铝业产业技术创新战略联盟") is None
    assert t.lookup("钢铁联盟") == {"钢铁产业技术创新战略联盟"}


def test_library_lists_one_alliance_and_filters_agree(library):
    rows = [a for a in library.alliances() if "钒钛" in a["name"]]
    assert len(rows) == 1 and rows[0]["name"] == VT_LONG and rows[0]["items"] == 2
    assert VT_SHORT in rows[0]["aliases"] and "钒钛联盟" in rows[0]["aliases"]
    by_row = library.items(alliance=rows[0]["name"])  # what the GUI filters by
    assert len(by_row) == 2
    assert library.items(alliance="钒钛联盟") == by_row == library.items(alliance=VT_SHORT)  # what the CLI takes
    # each item keeps the name its credit gives
    assert {library.item(r["id"])["alliance_raw"] for r in by_row} == {VT_LONG, VT_SHORT}
    assert {r["alliance"] for r in by_row} == {VT_LONG, VT_SHORT}
    outline = {r[0] for r in library.outline(alliance=rows[0]["name"])}
    assert outline == {r["id"] for r in by_row}


def test_imported_shorter_name_joins_the_alliance(empty_library):
    text = (CORPUS_FILES[0].read_text("utf-8")
            .replace("（粉末冶金产业技术创新战略联盟秘书处供稿）", "（粉末产业技术创新战略联盟秘书处供稿）"))
    # 粉末 is not a short name of 粉末冶金: a new alliance, as before
    assert empty_library.import_bytes(text.encode(), name="x.txt").status == "added"
    assert "粉末产业技术创新战略联盟" in {a["name"] for a in empty_library.alliances()}
