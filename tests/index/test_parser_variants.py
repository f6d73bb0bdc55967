"""Issues we do not have will be tried: the sample's text in the other shapes an issue may take."""

from __future__ import annotations

import re

import pytest

from jianbao.index.parser import alliance_of_credit, credit_of, parse, section_name
from jianbao.index.text import compact
from tests.conftest import CORPUS_FILES

PDF = CORPUS_FILES[3].read_text("utf-8")  # 004, text from PDF
MD = CORPUS_FILES[0].read_text("utf-8")  # 001, Markdown
EXPECTED_PDF = [(i.section, compact(i.title), i.credit, compact(i.body)) for i in parse(PDF).items]
EXPECTED_MD = [(i.section, compact(i.title), i.credit, compact(i.body)) for i in parse(MD).items]


def items(text: str) -> list[tuple]:
    return [(i.section, compact(i.title), i.credit, compact(i.body)) for i in parse(text).items]


def test_pdf_with_masthead_toc_and_running_headers():
    titles = [t for _, t, _, _ in EXPECTED_PDF]
    masthead = ["产业技术创新战略联盟试点工作", "", "简  报", "", "2022年第6期（总第65期）", "",
                "联盟试点工作联络组办公室            2023年1月15日 ", "", "本期导读 ", ""]
    toc = [f"{t} " for t in titles[:-1]] + [""]  # a TOC without section headers
    body = PDF.split("\n")
    body.insert(120, "2022年第6期（总第65期） ")  # running header, mid-item
    body.insert(300, "- 5 - ")
    p = parse("\n".join(masthead + toc + body))
    assert p.masthead is not None and not p.inferred
    assert (p.year, p.number, p.total, p.date, p.masthead.publisher) == (2022, 6, 65, "2023-01-15", "联盟试点工作联络组办公室")
    assert [(i.section, compact(i.title), i.credit, compact(i.body)) for i in p.items] == EXPECTED_PDF
    assert len(p.toc) == len(titles) - 1
    assert p.balance.unaccounted == 0


@pytest.mark.parametrize("path", CORPUS_FILES[2:], ids=lambda p: p.name[:3])
def test_pdf_text_without_trailing_spaces(path):
    """Another extractor may keep no trailing spaces: short lines and sentence ends take their place."""
    text = path.read_text("utf-8")
    stripped = "\n".join(line.rstrip() for line in text.split("\n"))
    assert items(stripped) == items(text)


def test_markdown_with_bold_titles_and_bullets():
    text = re.sub(r"^#{2,4} (?!➤|\*\*➤)(\*\*)?(.+?)(\*\*)?$", r"**\2**", MD.split("本期导读")[1], flags=re.M)
    text = text.replace("\n\n产品创新的重要方式", "\n\n- 产品创新的重要方式")
    p = parse("# 产业技术创新战略联盟试点工作\n\n2023年第6期（总第71期）\n\n### 本期导读" + text)
    assert [(i.section, compact(i.title), i.credit, compact(i.body)) for i in p.items] == EXPECTED_MD
    assert p.balance.unaccounted == 0


@pytest.mark.parametrize(
    "line, credit, alliance",
    [
        ("（粉末冶金产业技术创新战略联盟秘书处供稿）", "粉末冶金产业技术创新战略联盟秘书处供稿", "粉末冶金产业技术创新战略联盟"),
        ("(粉末冶金产业技术创新战略联盟 供稿)", "粉末冶金产业技术创新战略联盟 供稿", "粉末冶金产业技术创新战略联盟"),
        ("（粉末冶金产业技术创新战略联盟秘书处）", "粉末冶金产业技术创新战略联盟秘书处", "粉末冶金产业技术创新战略联盟"),
        ("（供稿：粉末冶金产业技术创新战略联盟）", "供稿：粉末冶金产业技术创新战略联盟", "粉末冶金产业技术创新战略联盟"),
        ("（WAPI产业技术创新战略联盟联盟秘书处供稿）", "WAPI产业技术创新战略联盟联盟秘书处供稿", "WAPI产业技术创新战略联盟"),
        ("（信息来源：新华社）", "信息来源：新华社", None),
        ("（联盟协发网秘书处和联盟试点工作组供稿）", "联盟协发网秘书处和联盟试点工作组供稿", None),
        ("（以下简称《办法》）", None, None),
        ("（2023年）", None, None),
    ],
)
def test_credit_lines(line, credit, alliance):
    assert credit_of(line) == credit
    assert alliance_of_credit(credit) == alliance


@pytest.mark.parametrize(
    "line, marked, section",
    [
        ("重要政策动态", False, "重要政策动态"),
        ("一、重要政策动态", False, "重要政策动态"),
        ("【联盟联络组及协发网动态】", False, "联盟联络组及协发网动态"),
        ("➤ 试点联盟及协发网网员单位动态", True, "试点联盟动态及协发网网员单位动态"),
        ("◆ 地方动态", True, "其他"),
        ("政策动态", False, "重要政策动态"),  # older issues' shorter names
        ("联盟动态", False, "试点联盟动态及协发网网员单位动态"),
        ("工作动态", False, "其他"),
        ("科技部发布最新政策动态", False, None),  # a title, not a header
    ],
)
def test_section_headers(line, marked, section):
    got = section_name(line, marked)
    assert (got[0] if got else None) == section


def test_masthead_without_the_year_takes_it_from_the_date():
    head = "产业技术创新战略联盟试点工作简报\n\n第6期（总第65期）\n\n联盟试点工作联络组办公室  2023年1月15日\n\n"
    p = parse(head + PDF)
    assert (p.year, p.number, p.total, p.date, p.inferred) == (2022, 6, 65, "2023-01-15", False)
    assert items(head + PDF) == EXPECTED_PDF


def test_older_section_names_split_items_the_same():
    text = PDF.replace("  重要政策动态 ", "政策动态 ").replace(" 试点联盟动态及协发网网员单位动态 ", "联盟动态 ")
    assert items(text) == EXPECTED_PDF
