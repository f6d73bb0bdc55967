"""Chinese line breaking (避头尾) and balanced headings, on a simple width model."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from jianbao.index.typeset import NO_END, NO_START, balanced_lines, break_lines


def width(s: str) -> float:
    """Full-width characters 1, ASCII ½ — the proportions of a CJK font."""
    return sum(0.5 if c.isascii() else 1.0 for c in s)


TEXT = "党的二十大后，习近平总书记明确提出新质生产力这个概念和发展新质生产力这个重大任务。强调“发展新质生产力是推动高质量发展的内在要求”。"


def test_no_closing_punctuation_at_a_line_start_nor_opening_at_an_end():
    for w in range(4, 30):
        lines = break_lines(TEXT, width, w, first_indent=2)
        assert "".join(lines) == TEXT
        assert all(line[0] not in NO_START for line in lines[1:]), (w, lines)
        assert all(line[-1] not in NO_END for line in lines), (w, lines)
        assert width(lines[0]) <= w - 2 and all(width(line) <= w for line in lines[1:])


def test_greedy_would_have_started_a_line_with_a_comma():
    # 6 characters fit; the 7th is "，": it may not open the next line, so "后" goes down with it.
    lines = break_lines("党的二十大后，习近平总书记", width, 6)
    assert lines == ["党的二十大", "后，习近平总", "书记"]
    assert break_lines("明确要求。”随后", width, 5) == ["明确要", "求。”随后"]  # 。” go down together
    assert break_lines("今天（星期一）", width, 3) == ["今天", "（星期", "一）"]


def test_latin_words_and_numbers_stay_whole():
    lines = break_lines("符合ISO 26262标准的2024年", width, 5)
    assert lines == ["符合ISO", "26262标准", "的2024年"]
    assert "".join(lines).replace(" ", "") == "符合ISO26262标准的2024年"
    assert break_lines("ABCDEFGHIJKLMNOP", width, 3) == ["ABCDEF", "GHIJKL", "MNOP"]  # wider than a line: cut


def test_a_balanced_heading_leaves_no_character_alone():
    title = "产业技术创新战略联盟试点工作简报汇编"  # 18: greedy at 17 leaves "编" alone
    assert break_lines(title, width, 17)[-1] == "编"
    lines = balanced_lines(title, width, 17)
    assert len(lines) == 2 and [len(x) for x in lines] == [9, 9]
    assert balanced_lines("短标题", width, 17) == ["短标题"]


CJK = st.sampled_from(list("新质生产力联盟钒钛创新技术") + list("，。、；：？！）》」』】（《「『【") + ["ab", "12", " "])


@settings(max_examples=300, deadline=None)
@given(st.lists(CJK, min_size=1, max_size=80), st.integers(min_value=3, max_value=20))
def test_rules_hold_for_any_text(parts, w):
    text = "".join(parts)
    lines = break_lines(text, width, w)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    for prev, line in itertools.pairwise(lines):
        assert line[0] not in NO_START, (prev, line)
        if prev[-1] in NO_END:  # only where the line holds nothing else
            assert all(c in NO_START | NO_END for c in prev), (prev, line)
    for line in lines:
        assert line.strip() == line and line
        # wider only by closing marks hanging in the margin
        assert width(line.rstrip("".join(NO_START))) <= w or len(line.split()) == 1
    b = balanced_lines(text, width, w)
    assert len(b) == len(lines)
