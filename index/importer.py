"""Importing bulletins into a :class:`~index.store.Library`.

The store keeps rows; this module decides what a file means for them: reject what is not a
bulletin, find the issue a file is a (possibly corrected) version of, diff its items against
what the library has while keeping item ids (so bookmarks survive a re-import), guess 总期 for
an inferred issue, and seed a new library with the bundled sample. Every function takes the
library it writes to; each file is one transaction, so a failure changes nothing.
"""

from __future__ import annotations

import difflib
import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import Cancelled, InputError, LibraryError
from .labels import BULLETIN
from .parser import ParsedIssue, parse
from .progress import ImportResult, Progress
from .store import Library, Meta, now
from .text import compact, decode, fold

SUFFIXES = {".txt", ".md", ".markdown", ".text"}
SAMPLE_PREFIX = "sample:"


def import_file(lib: Library, path: Path | str) -> ImportResult:
    """Import one bulletin file. Errors in the file become a ``failed`` result, never a change."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        return ImportResult(str(p), "failed", message=f"{p}: 文件不存在")
    except OSError as e:
        return ImportResult(str(p), "failed", message=f"{p}: 无法读取（{e.strerror}）")
    try:
        return import_bytes(lib, data, name=p.name, path=str(p.resolve()))
    except InputError as e:
        return ImportResult(str(p), "failed", message=str(e))


def import_bytes(lib: Library, data: bytes, *, name: str, path: str = "") -> ImportResult:
    """Import one bulletin given as bytes; raises :class:`InputError` when it is not one."""
    sha = hashlib.sha256(data).hexdigest()
    row = lib.conn.execute("SELECT issue_id FROM sources WHERE sha256=?", (sha,)).fetchone()
    if row:
        n = lib.conn.execute("SELECT count(*) FROM items WHERE issue_id=?", (row[0],)).fetchone()[0]
        return ImportResult(path or name, "unchanged", issue_id=row[0], items=n, message="内容未变")
    text, encoding = decode(data, name)
    parsed = parse(text)
    if not parsed.items or not (
        parsed.masthead or any(it.credit for it in parsed.items) or parsed.balance.sections
    ):
        raise InputError(f"{name}: 不像是{BULLETIN}：没有刊头、栏目或供稿行")
    with lib.transaction():
        issue_id, status = _store_issue(lib, parsed)
        lib.db["sources"].insert(
            {
                "issue_id": issue_id, "name": name, "path": path, "sha256": sha, "encoding": encoding,
                "format": parsed.format, "imported": now(),
                "balance": json.dumps(parsed.balance.as_dict()),
                "warnings": json.dumps(parsed.warnings, ensure_ascii=False),
            }
        )
    return ImportResult(
        path or name, status, issue_id=issue_id, items=len(parsed.items),
        balance=parsed.balance.as_dict(), warnings=parsed.warnings,
    )


def match_issue(lib: Library, parsed: ParsedIssue) -> int | None:
    """The issue this parse is a (possibly corrected) version of, if the library has it."""
    if parsed.masthead is not None:
        row = lib.conn.execute(
            "SELECT id FROM issues WHERE year=? AND number=? AND (inferred=0 OR edited=1)",
            (parsed.year, parsed.number),
        ).fetchone()
        if row:
            return int(row[0])
    titles = sorted({compact(it.title) for it in parsed.items})
    marks = ",".join("?" * len(titles))
    rows = lib.conn.execute(
        f"""SELECT issue_id, count(DISTINCT title_key),
                   (SELECT count(*) FROM items x WHERE x.issue_id = t.issue_id)
            FROM items t WHERE title_key IN ({marks}) GROUP BY issue_id""",
        titles,
    ).fetchall()
    best, best_score = None, 0.0
    for issue_id, common, have in rows:
        score = common / max(len(titles), have)
        if score > best_score:
            best, best_score = issue_id, score
    return best if best_score >= 0.5 else None


def _store_issue(lib: Library, parsed: ParsedIssue) -> tuple[int, str]:
    """Write the parse as a new issue or over the one it matches, keeping item ids."""
    rev = lib.bump_rev()
    ts = now()
    issue_id = match_issue(lib, parsed)
    meta = {
        "year": parsed.year, "number": parsed.number, "total": parsed.total, "date": parsed.date,
        "publisher": parsed.masthead.publisher if parsed.masthead else None,
        "inferred": int(parsed.inferred), "format": parsed.format,
    }
    if issue_id is None:
        issue_id = lib.db["issues"].insert({**meta, "edited": 0, "created": ts, "updated": ts, "rev": rev}).last_pk
        if parsed.inferred and parsed.total is None:
            guess_total(lib, issue_id)
        old: list[dict[str, Any]] = []
        status = "added"
    else:
        cur = lib.db["issues"].get(issue_id)
        if cur["edited"] and parsed.inferred:
            meta = {"format": parsed.format}  # keep what the user corrected
        lib.db["issues"].update(issue_id, {**meta, "updated": ts, "rev": rev})
        old = list(lib.db.query("SELECT * FROM items WHERE issue_id=? ORDER BY position", [issue_id]))
        status = "updated"
    # keep ids: match by title, then by position with a similar title
    by_title: dict[str, dict[str, Any]] = {}
    for o in old:
        by_title.setdefault(compact(o["title"]), o)
    used: set[int] = set()
    changed = False
    for pos, it in enumerate(parsed.items, 1):
        row = {
            "issue_id": issue_id, "section": it.section, "section_raw": it.section_raw, "position": pos,
            "title": it.title, "title_key": compact(it.title), "body": it.body,
            "folded": fold(it.title) + "\x01" + fold(it.body), "credit": it.credit,
            "credit_raw": it.credit_raw,
            "alliance": lib.alliance_for(it.alliance_raw), "alliance_raw": it.alliance_raw,
        }
        match = by_title.get(compact(it.title))
        if match is None or match["id"] in used:
            match = next(
                (o for o in old if o["id"] not in used and o["position"] == pos
                 and difflib.SequenceMatcher(None, o["title"], it.title).ratio() >= 0.6),
                None,
            )
        if match is None:
            lib.db["items"].insert({**row, "rev": rev, "updated": ts})
            changed = True
        else:
            used.add(match["id"])
            if any(match[k] != v for k, v in row.items()):
                lib.db["items"].update(match["id"], {**row, "rev": rev, "updated": ts})
                changed = True
    for o in old:
        if o["id"] not in used:
            lib.db["items"].delete(o["id"])
            lib.db["tombstones"].insert({"item_id": o["id"], "rev": rev})
            changed = True
    if status == "updated" and not changed:
        status = "unchanged"
    return int(issue_id), status


def guess_total(lib: Library, issue_id: int) -> None:
    """Guess 总期 for an inferred issue from a neighbour with a known one (six issues a year)."""
    me = lib.db["issues"].get(issue_id)
    if not me["year"] or not me["number"]:
        return
    known = next(iter(lib.db.query(
        "SELECT year, number, total FROM issues WHERE total IS NOT NULL AND inferred=0 "
        "ORDER BY abs(year - ?) LIMIT 1", [me["year"]]
    )), None)
    if known:
        total = known["total"] + (me["year"] - known["year"]) * 6 + (me["number"] - known["number"])
        if total > 0:
            lib.db["issues"].update(issue_id, {"total": total})


def import_paths(
    lib: Library, paths: Iterable[Path | str], cancelled: Callable[[], bool] = lambda: False
) -> Iterator[Progress]:
    """Import files and folders, yielding one :class:`Progress` per file (its ImportResult)."""
    files = list(expand_paths(paths))
    yield Progress(0, len(files), f"共 {len(files)} 个文件")
    for i, f in enumerate(files, 1):
        if cancelled():
            raise Cancelled("导入已取消")
        if isinstance(f, ImportResult):
            result = f
        else:
            try:
                result = import_file(lib, f)
            except LibraryError as e:
                result = ImportResult(str(f), "failed", message=str(e))
        yield Progress(i, len(files), result.path, result)


def needs_sample(lib: Library) -> bool:
    """True for a new, empty library that has never been given the sample."""
    return not lib.meta(Meta.SAMPLE_IMPORTED) and not lib.counts()["issues"]


def import_sample(lib: Library, cancelled: Callable[[], bool] = lambda: False) -> Iterator[Progress]:
    """Import the bundled sample bulletins, then mark the library so it never gets them again.

    The one way to seed a library: the CLI runs it to the end at once, the GUI as a background
    job. The mark is written by the same code (and thread) that imported, only when it finished.
    """
    entries = sorted(
        (e for e in resources.files("jianbao.resources").joinpath("corpus").iterdir() if e.name.endswith(".txt")),
        key=lambda e: e.name,
    )
    yield Progress(0, len(entries), f"共 {len(entries)} 个示例文件")
    for i, entry in enumerate(entries, 1):
        if cancelled():
            raise Cancelled("导入已取消")
        try:
            result = import_bytes(lib, entry.read_bytes(), name=entry.name, path=SAMPLE_PREFIX + entry.name)
        except InputError as e:  # pragma: no cover - the sample is tested
            result = ImportResult(entry.name, "failed", message=str(e))
        yield Progress(i, len(entries), result.path, result)
    lib.set_meta(Meta.SAMPLE_IMPORTED, now())


def ensure_sample(lib: Library) -> list[ImportResult]:
    """Import the built-in sample bulletins into a new, empty library (once)."""
    if not needs_sample(lib):
        return []
    return [p.result for p in import_sample(lib) if p.result is not None]


def expand_paths(paths: Iterable[Path | str]) -> Iterator[Path | ImportResult]:
    """Files to import: the files named, and the bulletin files inside the folders named."""
    for p in map(Path, paths):
        if p.is_dir():
            found = sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUFFIXES)
            if not found:
                yield ImportResult(str(p), "failed", message=f"{p}: 文件夹中没有 .txt/.md 简报文件")
            yield from found
        elif p.exists():
            yield p
        else:
            yield ImportResult(str(p), "failed", message=f"{p}: 文件不存在")
