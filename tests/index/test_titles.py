"""Titles numbered through the issue (house style F): the number is not part of the title."""

from __future__ import annotations

from jianbao.index.items import ParsedItem
from jianbao.index.titles import strip_title_numbers


def _items(*titles: str) -> list[ParsedItem]:
    return [ParsedItem("重要政策动态", t, ["正文。"]) for t in titles]


def test_a_run_numbered_from_one_loses_its_numbers() -> None:
    items = _items("1．科技部印发办法", "2．联盟召开年会", "3.两部门印发意见")
    assert strip_title_numbers(items) == 6
    assert [it.title for it in items] == ["科技部印发办法", "联盟召开年会", "两部门印发意见"]


def test_a_lost_title_or_a_misread_number_keeps_the_rest_unnumbered() -> None:
    """A scan of style F lost item 4 into item 3's body and read one title's number badly: the
    other titles are still the house style's numbered run."""
    items = _items("1．科技部印发办法", "2．联盟召开年会", "3．两部门印发意见", "5．联盟协发网召开理事会",
                   "6．活跃度评价工作启动", "7．秘书处继续调研", "8．联盟举办论坛", "9．联盟发布标准", "l0．联盟召开大会")
    assert strip_title_numbers(items) > 0
    assert [it.title for it in items][:8] == ["科技部印发办法", "联盟召开年会", "两部门印发意见", "联盟协发网召开理事会",
                                              "活跃度评价工作启动", "秘书处继续调研", "联盟举办论坛", "联盟发布标准"]


def test_titles_that_merely_start_with_a_number_keep_it() -> None:
    items = _items("3家单位获奖", "科技部印发办法", "联盟召开年会", "5个项目通过验收", "两部门印发意见")
    assert strip_title_numbers(items) == 0
    items = _items("1．科技部印发办法", "联盟召开年会", "两部门印发意见", "2．联盟发布标准", "秘书处调研")
    assert strip_title_numbers(items) == 0  # two of five: not the house style


def test_several_lost_titles_do_not_stop_the_run() -> None:
    """003 style F scanned: titles 4, 6, 7 and 8 were lost into other items; 22 titles run to 26."""
    numbers = [1, 2, 3, 5, *range(9, 27)]
    items = _items(*(f"{n}．联盟第{n}条动态" for n in numbers))
    assert strip_title_numbers(items) > 0
    assert items[-1].title == "联盟第26条动态"
