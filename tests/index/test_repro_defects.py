"""Issue 10 defects 2–4, from the reproduction files (copied from ../shared/repro)."""

from __future__ import annotations

import re
from pathlib import Path

from jianbao.index.parser import parse
from jianbao.index.text import compact
from tests.conftest import CORPUS_FILES

REPRO = Path(__file__).resolve().parent.parent / "fixtures" / "repro"


def _items(text: str) -> list[tuple]:
    return [(i.section, compact(i.title), i.credit) for i in parse(text).items]


def test_a_body_line_starting_with_bao_mid_issue_is_body_not_footer():
    p = parse((REPRO / "footer_swallow_004.txt").read_text("utf-8"))
    assert _items((REPRO / "footer_swallow_004.txt").read_text("utf-8")) == _items(CORPUS_FILES[3].read_text("utf-8"))
    assert any("报：聆燕" in it.body for it in p.items)
    assert p.balance.unaccounted == 0 and p.balance.noise < 10


def test_a_bao_line_inside_the_first_item_keeps_every_item():
    p = parse((REPRO / "footer_swallow_001_reimport.txt").read_text("utf-8"))
    assert len(p.items) == 23
    assert "报：会议要求各地抓好落实。" in p.items[0].body


def test_the_real_footer_is_still_a_footer():
    text = CORPUS_FILES[0].read_text("utf-8")
    p = parse(text)
    assert not any("报：科技部" in it.body or "编辑部地址" in it.body for it in p.items)
    assert p.balance.noise >= len(compact(text[text.rindex("报：") :])) - 40  # markup links aside


def test_two_credit_lines_in_a_row_stay_with_their_item():
    p = parse((REPRO / "two_double_credits_001.txt").read_text("utf-8"))
    assert len(p.items) == 23 and not any(it.untitled for it in p.items)
    it = next(i for i in p.items if "半导体照明联盟" in i.title)
    assert it.credit_raw is not None and "中国科技网1" in it.credit_raw and "半导体照明" in it.credit_raw
    assert it.alliance_raw == "半导体照明工程研发及产业联盟"
    assert p.balance.unaccounted == 0


def test_two_lone_credits_are_kept():
    for name in ("unaccounted_seed21_case77.txt", "unaccounted_seed22_case1.txt"):
        p = parse((REPRO / name).read_text("utf-8"))
        assert p.balance.unaccounted == 0
        kept = "".join((it.credit_raw or "") + it.body for it in p.items)
        assert len(compact(kept)) == p.balance.total


def test_control_characters_are_stripped_at_import_and_counted_as_noise():
    raw = (REPRO / "ctrl_char_body.txt").read_bytes().decode("utf-8")
    controls = re.findall(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", raw)
    assert controls
    p = parse(raw)
    for it in p.items:
        assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", it.title + it.body + (it.credit_raw or ""))
    assert p.balance.unaccounted == 0
    assert p.balance.total == len(compact(raw))
    assert any("控制字符" in w for w in p.warnings)
