"""Importing bulletins into a :class:`~index.store.Library`.

The store keeps rows; this module decides what a file means for them: reject what is not a
bulletin, find the issue a file is a (possibly corrected) version of, diff its items against
what the library has while keeping item ids (so bookmarks survive a re-import), guess 总期 for
an inferred issue, and seed a new library with the bundled sample. Every function takes the
library it writes to; each file is one transaction, so a failure changes nothing.
"""

from __future__ import annotations

import difflib
import errno
import hashlib
import json
import queue
import stat
import threading
from collections.abc import Callable, Generator, Iterable, Iterator
from importlib import resources
from pathlib import Path
from typing import Any

from . import scanned
from .atomic import write_atomic
from .backup import backup, daily_backup
from .errors import Cancelled, InputError, LibraryError
from .labels import BULLETIN, credit_line
from .parser import ParsedIssue, parse_document
from .progress import ImportResult, Progress
from .readers import Document, ReadContext
from .readers import read as read_document
from .store import ORIGINALS, Library, Meta, now
from .text import compact, fold_item

# what a folder import picks up (a folder of page images only is one scanned issue)
SUFFIXES = {".txt", ".md", ".markdown", ".text", ".pdf", ".docx", ".doc", *scanned.IMAGE_SUFFIXES}
SAMPLE_PREFIX = "sample:"
MAX_FILE_MB = 32  # the largest bulletin seen is under 1 MB as text and a few MB as PDF
NOISE_WARN = 0.5  # warn when more than this share of a file's characters is noise
# A re-import that would remove more than this share of an issue's items (and at least
# REMOVE_MIN of them) is refused unless forced: a damaged or mis-parsed file must not silently
# empty an issue and orphan its bookmarks.
REMOVE_SHARE = 0.5
REMOVE_MIN = 2


class Forceable(InputError):
    """A refusal that ``force`` overrides (the user may know better)."""


class WouldRemoveItems(Forceable):
    """A re-import that would remove most of an issue's items."""


class NotABulletin(Forceable):
    """A text with no masthead, section header or credit line."""


def read_source(p: Path) -> bytes:
    """The bytes of a regular file of at most :data:`MAX_FILE_MB`; InputError for anything else
    (a FIFO would block forever, /dev/zero never ends, a symlink loop is not a missing file)."""
    try:
        st = p.stat()
    except FileNotFoundError:
        if p.is_symlink():
            raise InputError("符号链接指向的文件不存在") from None
        raise InputError("文件不存在") from None
    except OSError as e:
        if e.errno == errno.ELOOP:
            raise InputError("符号链接循环，无法读取") from None
        raise InputError(f"无法读取（{e.strerror}）") from None
    if not stat.S_ISREG(st.st_mode):
        kind = "文件夹" if stat.S_ISDIR(st.st_mode) else "管道" if stat.S_ISFIFO(st.st_mode) else "设备或特殊文件"
        raise InputError(f"不是普通文件（{kind}），未导入")
    limit = MAX_FILE_MB * 1024 * 1024
    if st.st_size > limit:
        raise InputError(f"文件太大（{st.st_size / 1024 / 1024:.0f} MB，上限 {MAX_FILE_MB} MB），未导入")
    try:
        with open(p, "rb", buffering=0) as fh:
            data = fh.read(limit + 1)  # a file that grows while read still stops at the limit
    except OSError as e:
        raise InputError(f"无法读取（{e.strerror}）") from None
    if len(data) > limit:
        raise InputError(f"文件太大（超过上限 {MAX_FILE_MB} MB），未导入")
    return data


def import_file(lib: Library, path: Path | str, ctx: ReadContext | None = None, force: bool = False) -> ImportResult:
    """Import one bulletin file. Errors in the file become a ``failed`` result, never a change;
    the message does not repeat the file's name (the result's ``path`` carries it)."""
    p = Path(path)
    if scanned.needs_ocr(p) and not _known(lib, p):
        try:
            return _import_document(lib, p, scanned.read_path(p, _read_context(lib, ctx)))
        except InputError as e:
            return ImportResult(str(p), "failed", message=str(e))
    try:
        data = read_source(p)
        return import_bytes(lib, data, name=p.name, path=str(p.resolve()), ctx=ctx, force=force)
    except InputError as e:
        return ImportResult(str(p), "failed", message=str(e), needs_force=isinstance(e, WouldRemoveItems))


def import_bytes(
    lib: Library, data: bytes, *, name: str, path: str = "", ctx: ReadContext | None = None,
    document: Document | None = None, force: bool = False,
) -> ImportResult:
    """Import one bulletin given as bytes; raises :class:`InputError` when it is not one. A
    PDF/DOCX/.doc/scan is kept in the library (:func:`keep_original`). ``document``: the bytes
    already read (a scan recognised page by page elsewhere, see :func:`_import_scan`).

    ``force`` imports a text that does not look like a bulletin, and accepts a re-import that
    removes most of an issue's items (:class:`WouldRemoveItems` otherwise).
    """
    sha = hashlib.sha256(data).hexdigest()
    # Identical bytes are "unchanged" only while that file is still what the issue was last
    # imported from: after another version replaced it, the original must restore the issue.
    row = lib.conn.execute(
        "SELECT s.issue_id, s.original FROM sources s WHERE s.sha256=?"
        " AND s.id = (SELECT max(id) FROM sources x WHERE x.issue_id = s.issue_id)",
        (sha,),
    ).fetchone()
    if row:
        if row[1] and not (lib.folder / row[1]).is_file():  # the kept copy went missing: keep it again
            keep_original(lib, data, sha, Path(row[1]).suffix)
        n = lib.conn.execute("SELECT count(*) FROM items WHERE issue_id=?", (row[0],)).fetchone()[0]
        return ImportResult(path or name, "unchanged", issue_id=row[0], items=n, message="内容未变")
    doc = document or read_document(data, name, _read_context(lib, ctx))  # by content, then suffix: text, PDF, DOCX, images…
    encoding = doc.encoding
    parsed = scanned.parse_scan(doc) if doc.kind == "ocr" else parse_document(doc)
    if not parsed.items:
        raise InputError(f"没有识别出任何条目，不像是{BULLETIN}")
    if not force and not (parsed.masthead or any(it.credit for it in parsed.items) or parsed.balance.sections):
        raise NotABulletin(f"不像是{BULLETIN}：没有刊头、栏目或供稿行（确认要导入可用 --force）")
    warnings = list(parsed.warnings)
    total = parsed.balance.total or 1
    if parsed.balance.noise / total > NOISE_WARN:
        warnings.append(f"文件中 {parsed.balance.noise / total:.0%} 的文字不是简报内容（已作为噪声略去），请检查是否选错了文件")
    if match_issue(lib, parsed) is not None:
        _backup_before_change(lib)
    original, created = keep_original(lib, doc.original, sha, doc.original_suffix)
    try:
        with lib.transaction():
            issue_id, status = _store_issue(lib, parsed, force)
            lib.db["sources"].insert(
                {
                    "issue_id": issue_id, "name": name, "path": path, "sha256": sha, "encoding": encoding,
                    "format": parsed.format, "imported": now(),
                    "balance": json.dumps(parsed.balance.as_dict()),
                    "warnings": json.dumps(warnings, ensure_ascii=False),
                    "original": original, "pages": doc.pages or None,
                }
            )
    except BaseException:
        if created:  # the import did not happen: leave the folder as it was
            (lib.folder / created).unlink(missing_ok=True)
        raise
    return ImportResult(
        path or name, status, issue_id=issue_id, items=len(parsed.items),
        balance=parsed.balance.as_dict(), warnings=warnings,
    )


def _backup_before_change(lib: Library) -> None:
    """One backup per library connection before the first import that changes an existing issue."""
    if getattr(lib, "_import_backup_done", False) or lib.readonly:
        return
    backup(lib.folder, "before-import", conn=lib.conn)
    lib._import_backup_done = True  # type: ignore[attr-defined]


def keep_original(lib: Library, data: bytes | None, sha: str, suffix: str) -> tuple[str | None, str | None]:
    """Keep a copy of an imported PDF/DOCX/scan as ``originals/<sha256><suffix>`` (once per content,
    written to a temporary name and renamed). Returns (path relative to the library, the same path
    if this call created the file, else None)."""
    if data is None:
        return None, None
    rel = f"{ORIGINALS}/{sha}{suffix.lower()}"
    dest = lib.folder / rel
    if dest.is_file() and dest.stat().st_size == len(data):
        return rel, None
    try:
        dest.parent.mkdir(exist_ok=True)
        write_atomic(dest, data)
    except OSError as e:
        raise LibraryError(f"无法在资料库中保存原文 {dest}：{e.strerror}") from None
    return rel, rel


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


def _store_issue(lib: Library, parsed: ParsedIssue, force: bool = False) -> tuple[int, str]:
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
        elif parsed.inferred and parsed.total is None:
            meta.pop("total")  # the text has no 总期: keep the one worked out when it was first imported
        lib.db["issues"].update(issue_id, {**meta, "updated": ts, "rev": rev})
        if parsed.inferred and parsed.total is None and cur["total"] is None:
            guess_total(lib, issue_id)
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
            "folded": fold_item(it.title, it.body, credit_line({"credit_raw": it.credit_raw, "credit": it.credit})),
            "credit": it.credit,
            "credit_raw": it.credit_raw,
            "alliance": lib.alliance_for(it.alliance_raw), "alliance_raw": it.alliance_raw,
            "pages": json.dumps(it.pages) if it.pages else None, "ocr": int(it.ocr),
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
            if not it.pages:
                del row["pages"]  # a text source knows no pages: keep those of the kept original
            if any(match[k] != v for k, v in row.items()):
                lib.db["items"].update(match["id"], {**row, "rev": rev, "updated": ts})
                changed = True
    removed = [o for o in old if o["id"] not in used]
    if not force and len(removed) >= REMOVE_MIN and len(removed) > REMOVE_SHARE * len(old):
        marked = lib.conn.execute(
            f"SELECT count(*) FROM bookmarks WHERE item_id IN ({','.join('?' * len(removed))})", [o["id"] for o in removed]
        ).fetchone()[0]
        raise WouldRemoveItems(
            f"重新导入会删除本期原有 {len(old)} 条中的 {len(removed)} 条"
            + (f"（其中 {marked} 条有书签）" if marked else "")
            + "，已保留原有条目；若新文件无误，可用 --force 导入"
        )
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
    lib: Library, paths: Iterable[Path | str], cancelled: Callable[[], bool] = lambda: False, force: bool = False
) -> Iterator[Progress]:
    """Import files and folders, yielding one :class:`Progress` per file (its ImportResult)."""
    files = list(expand_paths(paths))
    if not lib.readonly:
        try:
            daily_backup(lib.folder, conn=lib.conn)
        except LibraryError:  # a backup that cannot be written must not stop the import
            pass
    yield Progress(0, len(files), f"共 {len(files)} 个文件")
    for i, f in enumerate(files, 1):
        if cancelled():
            raise Cancelled("导入已取消")
        if isinstance(f, ImportResult):
            result = f
        else:
            try:
                if scanned.needs_ocr(f) and not _known(lib, f):
                    result = yield from _import_scan(lib, f, i, len(files), cancelled)
                else:
                    result = import_file(lib, f, ReadContext(cancelled=cancelled), force=force)
            except LibraryError as e:
                result = ImportResult(str(f), "failed", message=str(e))
        yield Progress(i, len(files), result.path, result)


# --------------------------------------------------------------------------- scans (OCR)


def _read_context(lib: Library, ctx: ReadContext | None) -> ReadContext:
    ctx = ctx or ReadContext()
    if ctx.cache_dir is None:
        ctx.cache_dir = str(lib.cache_dir)
    return ctx


def _known(lib: Library, f: Path) -> bool:
    """The library already has this very file (a re-import is then "unchanged" without reading)."""
    if f.is_dir():
        return False
    try:
        sha = hashlib.sha256(read_source(f)).hexdigest()
    except InputError:  # not a regular file, too large: the reader says so in one line
        return False
    return lib.conn.execute("SELECT 1 FROM sources WHERE sha256=?", (sha,)).fetchone() is not None


def _import_document(lib: Library, f: Path, doc: Document) -> ImportResult:
    """Store a recognised scan: a folder of pages is kept as the PDF of its pages."""
    try:
        data = (doc.original or b"") if f.is_dir() else read_source(f)
        name = f.name + ".pdf" if f.is_dir() else f.name
        return import_bytes(lib, data, name=name, path=str(f.resolve()), document=doc)
    except InputError as e:
        return ImportResult(str(f), "failed", message=str(e))
    except OSError as e:
        return ImportResult(str(f), "failed", message=f"{f}: 无法读取（{e.strerror}）")


def _import_scan(
    lib: Library, f: Path, n: int, total: int, cancelled: Callable[[], bool]
) -> Generator[Progress, None, ImportResult]:
    """Recognise a scan page by page in a helper thread, yielding progress per page; store it in
    this thread (the library's connection belongs to it)."""
    events: queue.Queue[tuple[int, int, str] | None] = queue.Queue()
    ctx = _read_context(lib, ReadContext(progress=lambda d, t, m: events.put((d, t, m)), cancelled=cancelled))
    out: dict[str, Any] = {}

    def run() -> None:
        try:
            out["doc"] = scanned.read_path(f, ctx)
        except BaseException as e:  # re-raised in this thread
            out["error"] = e
        finally:
            events.put(None)

    threading.Thread(target=run, name="read-scan", daemon=True).start()
    while (event := events.get()) is not None:
        if event[2]:
            yield Progress(n - 1, total, f"{f.name}：{event[2]}")
    if "error" in out:
        if isinstance(out["error"], InputError):
            return ImportResult(str(f), "failed", message=str(out["error"]))
        raise out["error"]
    return _import_document(lib, f, out["doc"])


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
    """Files to import: the files named, and the bulletin files inside the folders named.

    A named path that is not a readable regular file is passed on as is: :func:`read_source`
    says what it is (missing, a symlink loop, a FIFO, a device) in the file's result."""
    for p in map(Path, paths):
        if scanned.image_folder(p):
            yield p  # the pages of one scanned issue
        elif p.is_dir():
            scans = [d for d in p.rglob("*") if d.is_dir() and scanned.image_folder(d)]  # one issue each
            found = sorted([*scans, *(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUFFIXES
                                      and f.parent not in scans)])
            if not found:
                yield ImportResult(str(p), "failed", message="文件夹中没有简报文件（.txt/.md/.pdf/.docx/.doc 或扫描页图片）")
            yield from found
        else:
            yield p
