"""Text cues: what a single line's wording says it may be (section header, credit, page number…).

Shared by the masthead/TOC finder and the classifier; layout cues (size, weight, position) are
judged in :mod:`classify`, relative to the document.
"""

from __future__ import annotations

import difflib
import re
import unicodedata

from .text import compact, is_ascii_alnum, is_cjk

SECTIONS = ("重要政策动态", "联盟联络组及协发网动态", "试点联盟动态及协发网网员单位动态")
OTHER_SECTION = "其他"
ALL_SECTIONS = (*SECTIONS, OTHER_SECTION)
BULLETIN_NAME = "产业技术创新战略联盟试点工作简报"

# Items that are not news: they go to section 其他 wherever they stand.
SPECIAL_TITLES = {"致谢", "鸣谢", "编者按", "编后语", "编后", "启事", "征稿启事", "更正", "声明", "致读者"}

PAGE_RE = re.compile(
    r"^(?:[-—–－‒―·•]+\s*)?(?:第\s*)?\d{1,4}\s*(?:页)?(?:\s*[/／]\s*\d{1,4}|\s*共\s*\d{1,4}\s*页)?(?:\s*[-—–－‒―·•]+)?$"
)
ISSUE_RE = re.compile(
    r"(\d{4})\s*年\s*第\s*([0-9一二三四五六七八九十]+)\s*期\s*[（(]\s*总\s*第\s*(\d+)\s*期\s*[)）]"
)
_CREDIT_WORDS = ("供稿", "信息来源", "来源：", "来源:", "摘述", "摘编", "撰稿", "供图", "整理）", "整理)")
_SUBHEADING_RE = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d{1,2}[、.．](?!\d)|第[一二三四五六七八九十]+[，、：:])"
)
FOOTER_RE = re.compile(r"^(?:报|送|抄送|报送|分送|抄报)\s*[:：]")
# Lines of the 版记 block besides 报/送: editor, address, contact, the 印发 line.
FOOTER_INFO_RE = re.compile(
    r"(?:编辑|主编|审核|签发|校对|地址|电话|传真|邮编|邮箱|网址|网站|公众号|微信|联系人|E-?mail|www\.|http|@|印发)",
    re.IGNORECASE,
)
SENTENCE_END = "。！？；…!?;"
_CLOSERS = "”’」』）)》】"
_MARKER_CHARS = "➤►▶▸◆◇■□●○◎★☆▲△"


def section_name(text: str, marked: bool = False) -> tuple[str, str] | None:
    """Return (canonical section, printed name) if ``text`` is a section header, else None.

    Known names are recognised in their variants (the TOC writes 试点联盟及协发网网员单位动态,
    style B numbers them 一、重要政策动态); an unknown short line behind a section marker (➤, a
    Wingdings glyph) becomes 其他.
    """
    core = "".join(ch for ch in text if is_cjk(ch) or is_ascii_alnum(ch))
    core = re.sub(r"^[一二三四五六七八九十]{1,3}(?=.{4})", "", core) if re.match(r"^\s*[一二三四五六七八九十]{1,3}[、.．]", text) else core
    if not core or len(core) > 24:
        return None
    if core in SECTIONS:
        return core, core
    if not marked:
        # Unmarked lines must be close to a known name, or a short “…动态” line (older issues
        # name their sections 政策动态, 联盟动态, 工作动态…); a title such as
        # 科技部发布最新政策动态 is longer than that.
        best = max(SECTIONS, key=lambda s: difflib.SequenceMatcher(None, core, s).ratio())
        if difflib.SequenceMatcher(None, core, best).ratio() >= 0.85:
            return best, core
        if not (core.endswith("动态") and len(core) <= 8 and not any(p in text for p in "，。；：,;:")):
            return None
    if core.endswith("动态") and len(core) <= 20:
        if "政策" in core:
            return SECTIONS[0], core
        if "试点联盟" in core or "网员单位" in core or core in ("联盟动态", "试点动态"):
            return SECTIONS[2], core
        if "联络组" in core or "协发网" in core:
            return SECTIONS[1], core
        return OTHER_SECTION, core
    if not any(p in text for p in "，。；：,;:") and len(core) <= 12:
        return OTHER_SECTION, core
    return None


def has_marker(raw: str) -> bool:
    s = raw.strip().lstrip("#* ")
    return bool(s) and (s[0] in _MARKER_CHARS or 0xE000 <= ord(s[0]) <= 0xF8FF)


def credit_of(text: str) -> str | None:
    """The text inside the brackets if ``text`` is a credit line such as （XX联盟秘书处供稿）."""
    s = text.strip()
    if len(s) < 4 or s[0] not in "（(" or s[-1] not in "）)":
        return None
    inner = s[1:-1].strip()
    if any(w in s for w in _CREDIT_WORDS):
        return inner
    if "联盟" in inner and inner.endswith(("秘书处", "办公室")) and len(inner) <= 60:
        return inner  # （XX产业技术创新战略联盟秘书处）: a credit without the word 供稿
    return None


def alliance_of_credit(credit: str | None) -> str | None:
    """The alliance a credit names (``<name>秘书处供稿``, ``供稿：<name>``), as printed; None for
    other credits (news sources, the 联盟协发网 secretariat)."""
    if not credit:
        return None
    c = compact(credit)
    if "来源" in c or c.startswith("联盟协发网"):
        return None
    c = re.sub(r"^(?:供稿|稿件提供|提供)(?:单位)?[:：]", "", c)
    m = re.match(r"^(.+?联盟)(?:联盟)*(?:秘书处|办公室)?(?:供稿|提供|撰稿)?$", c)
    if not m:
        return None
    name = m.group(1)
    return None if name.startswith("联盟协发网") else name


def is_page_number(text: str) -> bool:
    """``3``, ``- 3 -``, ``— 3 —``, ``第 3 页``, ``第 3 页 共 8 页``, ``3 / 8``."""
    return bool(PAGE_RE.match(text.strip()))


def is_subheading(text: str) -> bool:
    return bool(_SUBHEADING_RE.match(text))


def ends_sentence(text: str) -> bool:
    s = text.rstrip()
    if not s:
        return False
    if s[-1] in SENTENCE_END:
        return True
    return len(s) >= 2 and s[-1] in _CLOSERS and s[-2] in SENTENCE_END


def unbalanced(text: str) -> bool:
    """An opening 《“（ without its closer: the line runs on into the next."""
    return any(text.count(a) > text.count(b) for a, b in ("《》", "“”", "（）", "()", "「」", "〈〉"))


def dwidth(text: str) -> int:
    """Display width: CJK, full-width and (in Chinese text) ambiguous characters such as “” count
    two, others one: how wide a line is set."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WFA" else 1 for ch in text)


def is_running_head(text: str) -> bool:
    """The bulletin's name or its issue line, repeated at the top of pages."""
    c = compact(text)
    if c.startswith(BULLETIN_NAME) and len(c) > len(BULLETIN_NAME):  # 产业…简报  2024年第2期
        c = c[len(BULLETIN_NAME) :]
        return bool(re.fullmatch(r"\d{4}年第[0-9一二三四五六七八九十]+期(?:[（(]总第\d+期[)）])?", c))
    return c in (BULLETIN_NAME, BULLETIN_NAME[:-2]) or bool(ISSUE_RE.fullmatch(c))
