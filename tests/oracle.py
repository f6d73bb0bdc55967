"""Compare a parsed issue with its hand-checked oracle (``tests/fixtures/truth/*.json``).

``compare`` returns human-readable mismatches, so a test can assert an empty list and a parser engineer
can print what is wrong with one file (typeset variants, other extractors) without a wall of asserts:

    from tests.oracle import compare, truth_for
    problems = compare(parse_pdf(path), truth_for("001"))

Titles, bodies and credits are compared with all whitespace removed (``compact``): a PDF's line breaks and the
spaces an extractor puts around Latin text are not the parser's business. Paragraph breaks are not
compared: the oracle does not record them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from jianbao.index.alliances import AllianceTable
from jianbao.index.text import compact

TRUTH = Path(__file__).resolve().parent / "fixtures" / "truth"


def truth_for(key: str) -> dict:
    """The oracle of issue ``key`` ("001") or of a file name ("001_12ead631a97e2b81.txt")."""
    stem = Path(key).stem
    matches = sorted(TRUTH.glob(f"{stem[:3]}_*.json"))
    if not matches:
        raise FileNotFoundError(f"no oracle for {key!r} in {TRUTH}")
    return json.loads(matches[0].read_text("utf-8"))


def _short(s: str | None, n: int = 24) -> str:
    if s is None:
        return "None"
    return s if len(s) <= n else s[:n] + "…"


def _loose(s: str | None) -> str | None:
    """No oracle credit holds whitespace; PDF extractors put spaces around Latin text (``模型 BIM 产业``)."""
    return None if s is None else compact(s)


def compare(parsed: Any, truth: dict) -> list[str]:
    """Mismatches between ``parsed`` (a ``ParsedIssue``) and ``truth`` (an oracle dict), one line each.

    Checked per item: section, compact title, credit, alliance as printed and as resolved by the
    built-in alliance table, compact body length, head and tail. The item count is checked first;
    items are then paired in order, and a missing or extra item is reported by its title.
    """
    want_items = truth["items"]
    got_items = list(parsed.items)
    out: list[str] = []
    if len(got_items) != len(want_items):
        out.append(f"items: got {len(got_items)}, want {len(want_items)}")
        got_titles = {compact(i.title) for i in got_items}
        want_titles = {w["x_title_compact"] for w in want_items}
        out += [f"missing item: {_short(t, 40)}" for t in sorted(want_titles - got_titles)]
        out += [f"extra item: {_short(t, 40)}" for t in sorted(got_titles - want_titles)]
    resolve = AllianceTable.builtin().resolve
    # pair in order; a count mismatch was reported above
    for n, (got, want) in enumerate(zip(got_items, want_items, strict=False), 1):
        where = f"item {n} ({_short(want['x_title_compact'], 16)})"
        if got.section != want["section"]:
            out.append(f"{where}: section {got.section!r}, want {want['section']!r}")
        if compact(got.title) != want["x_title_compact"]:
            out.append(f"{where}: title {_short(compact(got.title), 40)!r}, want {_short(want['x_title_compact'], 40)!r}")
        if _loose(got.credit) != want["credit"]:
            out.append(f"{where}: credit {_short(got.credit, 30)!r}, want {_short(want['credit'], 30)!r}")
        alliance_raw = _loose(getattr(got, "alliance_raw", None))
        if alliance_raw != want.get("x_alliance_raw"):
            out.append(f"{where}: alliance as printed {alliance_raw!r}, want {want.get('x_alliance_raw')!r}")
        elif resolve(alliance_raw) != want["alliance"]:
            out.append(f"{where}: alliance resolves to {resolve(alliance_raw)!r}, want {want['alliance']!r}")
        body = compact("".join(got.paragraphs))
        if len(body) != want["body_chars"]:
            out.append(f"{where}: body has {len(body)} characters, want {want['body_chars']}")
        head, tail = want["x_body_head_compact"], want["x_body_tail_compact"]
        if not body.startswith(head):
            out.append(f"{where}: body starts {body[:len(head)]!r}, want {head!r}")
        if not body.endswith(tail):
            out.append(f"{where}: body ends {body[-len(tail):] if tail else ''!r}, want {tail!r}")
    return out
