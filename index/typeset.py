"""Chinese line breaking for the documents we lay out ourselves (the PDF export).

Word, WPS and Qt break Chinese lines by their own rules; fpdf2 does not know them, so the PDF
export asks :func:`break_lines` where each line ends. The rules are the usual 避头尾 of
GB/T 15834 and JIS X 4051 practice:

- a line never starts with closing punctuation (，。、；：？！ and closing brackets and quotes);
- a line never ends with an opening bracket or quote;
- a run of Latin letters and digits (``ISO``, ``26262``, ``5G``) is not split unless it is wider
  than a whole line.

When a break would violate a rule, characters are pushed down to the next line (推出); the
caller stretches the shortened line back to the full width. Only a line of nothing but
punctuation, where pushing cannot help, lets its closing marks hang into the margin (悬挂).

:func:`balanced_lines` breaks a heading into the same number of lines but as even as possible,
so a title never leaves one character alone on its last line.
"""

from __future__ import annotations

from collections.abc import Callable

# Closing punctuation: may not begin a line. Full width and their ASCII counterparts.
NO_START = frozenset(
    "，。、；：？！）》」』】〕〗〙〛〉”’…‥・·—～％‰℃°"
    "ー々〻ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ"
    ",.;:?!)]}%"
)
# Opening punctuation: may not end a line.
NO_END = frozenset("（《「『【〔〖〘〚〈“‘([{$￥＄")

Measure = Callable[[str], float]


def _is_word(ch: str) -> bool:
    """Latin letters and digits, and what joins them inside a word or number."""
    return ch.isascii() and (ch.isalnum() or ch in "-_./+#&@'")


def _units(text: str) -> list[str]:
    """Text as unbreakable units: each CJK character alone, each Latin word or number whole, spaces alone."""
    out: list[str] = []
    word = ""
    for ch in text:
        if _is_word(ch):
            word += ch
            continue
        if word:
            out.append(word)
            word = ""
        out.append(ch)
    if word:
        out.append(word)
    return out


def _split_long(unit: str, measure: Measure, width: float) -> list[str]:
    """A word wider than a line, cut by characters (the only way it can be set at all)."""
    parts, cur = [], ""
    for ch in unit:
        if cur and measure(cur + ch) > width:
            parts.append(cur)
            cur = ""
        cur += ch
    if cur:
        parts.append(cur)
    return parts


def _first_mark(carry: list[str], units: list[str], i: int) -> str:
    """The character the next line would start with."""
    for x in carry:
        if not x.isspace():
            return x[0]
    for j in range(i, len(units)):
        if not units[j].isspace():
            return units[j][0]
    return ""


def break_lines(text: str, measure: Measure, width: float, first_indent: float = 0.0) -> list[str]:
    """``text`` broken into lines no wider than ``width`` (the first ``first_indent`` narrower).

    ``measure`` gives the width of a string in the same unit as ``width``; a line's width is
    taken as the sum of its units' (CJK fonts do not kern). Spaces at a line's start or end are
    dropped; everything else is kept in order, so ``"".join`` of the lines is the text without
    those spaces.
    """
    widths: dict[str, float] = {}

    def w(unit: str) -> float:
        if unit not in widths:
            widths[unit] = measure(unit)
        return widths[unit]

    units: list[str] = []
    for u in _units(text):
        units += _split_long(u, measure, width - first_indent) if len(u) > 1 and measure(u) > width - first_indent else [u]
    lines: list[list[str]] = []
    cur: list[str] = []
    cur_w = 0.0
    avail = width - first_indent
    i = 0
    while i < len(units):
        u = units[i]
        if not cur and u.isspace():
            i += 1
            continue
        if not cur or cur_w + w(u) <= avail:
            cur.append(u)
            cur_w += w(u)
            i += 1
            continue
        # ``u`` does not fit: the line ends before it (spaces at the break are dropped). Push
        # characters down until the next line does not start with closing punctuation and this
        # one does not end with an opener.
        carry: list[str] = []
        while cur and cur[-1].isspace():
            cur.pop()
        while cur and (_first_mark(carry, units, i) in NO_START or cur[-1][-1] in NO_END):
            carry.insert(0, cur.pop())
            while cur and cur[-1].isspace():
                cur.pop()
        if not cur:
            # The line is all punctuation: pushing cannot help, so the closing marks hang past
            # the margin instead (悬挂), which is the other accepted way.
            cur, carry = carry, []
            while i < len(units) and (units[i].isspace() or units[i][0] in NO_START):
                if not units[i].isspace():
                    cur.append(units[i])
                i += 1
        lines.append(cur)
        cur = carry
        cur_w = sum(w(x) for x in cur)
        avail = width
    while cur and cur[-1].isspace():
        cur.pop()
    if cur:
        lines.append(cur)
    return ["".join(line) for line in lines]


def balanced_lines(text: str, measure: Measure, width: float) -> list[str]:
    """``text`` in as few lines as :func:`break_lines` needs, with the lines as even as possible."""
    widths: dict[str, float] = {}
    measure_once = measure

    def measure(s: str) -> float:  # the binary search below measures the same units again and again
        if s not in widths:
            widths[s] = measure_once(s)
        return widths[s]

    lines = break_lines(text, measure, width)
    if len(lines) < 2:
        return lines
    lo, hi = measure(text) / len(lines), width
    for _ in range(24):  # the narrowest width that still needs no more lines
        mid = (lo + hi) / 2
        if len(break_lines(text, measure, mid)) <= len(lines):
            hi = mid
        else:
            lo = mid
    return break_lines(text, measure, hi)
