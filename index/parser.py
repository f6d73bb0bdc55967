"""Parse one bulletin given as text: the text reader, then the one classifier.

The work is split by concern: :mod:`readers.text` (text/Markdown → lines with text cues),
:mod:`cues` (what a line's wording says), :mod:`masthead` (masthead, TOC, period),
:mod:`classify` (roles) and :mod:`items` (items from roles). This module keeps ``parse(text)``
and the names other modules and tests import.
"""

from __future__ import annotations

from .classify import Balance, ParsedIssue, classify
from .cues import (
    ALL_SECTIONS,
    BULLETIN_NAME,
    OTHER_SECTION,
    SECTIONS,
    SPECIAL_TITLES,
    alliance_of_credit,
    credit_of,
    ends_sentence,
    has_marker,
    is_page_number,
    is_subheading,
    section_name,
)
from .items import ParsedItem
from .masthead import Masthead
from .readers import Document

__all__ = [
    "ALL_SECTIONS", "BULLETIN_NAME", "OTHER_SECTION", "SECTIONS", "SPECIAL_TITLES", "Balance", "Masthead", "ParsedIssue",
    "ParsedItem", "alliance_of_credit", "credit_of", "ends_sentence", "has_marker", "is_page_number", "is_subheading",
    "parse", "parse_document", "section_name",
]


def parse_document(doc: Document) -> ParsedIssue:
    """Classify a Document from any reader."""
    return classify(doc.lines, doc.kind, pages=doc.pages, noise=doc.noise, warnings=doc.warnings)


def parse(text: str) -> ParsedIssue:
    """Parse the decoded text of one bulletin."""
    from .readers.text import from_text

    return parse_document(from_text(text))
