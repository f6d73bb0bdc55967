from __future__ import annotations

from jianbao.index.labels import BULLETIN, issue_label, item_meta


def test_issue_label_says_what_is_known():
    assert issue_label({"year": 2023, "number": 6, "total": 71}) == "2023年第6期（总第71期）"
    assert issue_label({"year": 2022, "number": None, "total": None}) == "2022年"
    assert issue_label({}) == "年份不详"


def test_item_meta_skips_what_is_missing():
    row = {"year": 2023, "number": 6, "total": None, "date": None, "section": "重要政策动态", "alliance": "某联盟"}
    assert item_meta(row) == "2023年第6期 · 重要政策动态 · 某联盟"
    assert item_meta({**row, "date": "2023-12-20"}, ("date",), bulletin=True) == f"{BULLETIN}2023年第6期 · 2023-12-20"
