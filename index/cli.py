"""The ``jianbao`` command: a thin layer over the library, the search and the export.

With ``--json`` a command prints one JSON document on stdout and nothing else there. Errors the
user can fix are one line on stderr and a non-zero exit status, never a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import sqlite3
import sys
from collections.abc import Iterator, Sequence
from typing import Any, NoReturn

from .. import __version__
from .dberrors import map_error
from .errors import JianbaoError
from .export import FORMATS
from .labels import APP_NAME, BULLETIN_NAME, issue_label, item_meta
from .parser import ALL_SECTIONS
from .paths import library_folder
from .scanned import OCR_NOTE
from .store import Library, Meta

ENV_NO_SAMPLE = "JIANBAO_NO_SAMPLE"


# Control characters a file brought in (ESC sequences, NUL…) are shown as U+FFFD, never sent
# raw to a terminal; newline and tab are layout.
_TERMINAL_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _emit(args: argparse.Namespace, data: Any, human: str) -> None:
    if getattr(args, "json", False):
        json.dump(data, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        print(_TERMINAL_UNSAFE.sub("\ufffd", human))


def _open(args: argparse.Namespace) -> Library:
    lib = Library(library_folder(args.library))
    if getattr(args, "command", None) == "import" and lib.meta(Meta.SAMPLE_IMPORTED) is None and not lib.counts()["issues"]:
        # a new library whose first command imports the user's own files: no sample beside them, ever
        lib.set_meta(Meta.SAMPLE_IMPORTED, "skipped: first command was an import")
    if not args.no_sample and not os.environ.get(ENV_NO_SAMPLE):
        results = lib.ensure_sample()
        if results:
            print(f"新资料库：已导入内置示例简报 {len(results)} 期（{lib.folder}）", file=sys.stderr)
            _sync_index(lib)
    return lib


def _sync_index(lib: Library) -> None:
    """The explicit upkeep step: bring a missing, damaged or stale index up to date (no-op if current)."""
    from .upkeep import update_index

    if lib.readonly:  # nothing can be written: searches rank what the index has (or by date)
        return
    update_index(lib)


# --------------------------------------------------------------------------- commands


def cmd_import(args: argparse.Namespace) -> int:
    from .saved import SavedSearches, new_hits_report

    lib = _open(args)
    saved = SavedSearches(lib)
    before = saved.new_counts()
    results = []
    live = sys.stderr.isatty() and not args.json
    for p in lib.import_paths(args.paths, force=args.force):
        r = p.result
        if r is None:
            if live:  # page by page for scans (OCR is slow): one line, rewritten
                print(f"\r\033[K{p.text}", end="", file=sys.stderr, flush=True)
            continue
        if live:
            print("\r\033[K", end="", file=sys.stderr)
        results.append(r)
        if not args.json:
            mark = {"added": "新增", "updated": "更新", "unchanged": "未变", "failed": "失败"}[r.status]
            line = f"[{mark}] {shown(r.path)}"
            if r.status == "failed":
                print(line + f"：{shown(r.reason())}", file=sys.stderr)
                continue
            if r.balance:
                b = r.balance
                line += (
                    f"：{r.items} 条｜字符 {b['total']} = 刊头 {b['masthead']} + 目录 {b['toc']} + 栏目 {b['sections']}"
                    f" + 标题 {b['titles']} + 正文 {b['bodies']} + 供稿 {b['credits']} + 噪声 {b['noise']}"
                    f"｜未归属 {b['unaccounted']}"
                )
            else:
                line += f"：{r.items} 条（{r.message}）"
            print(line)
            for w in r.warnings:
                print(f"  警告：{shown(w)}", file=sys.stderr)
    if any(r.status in ("added", "updated") for r in results):
        try:
            _sync_index(lib)
        except JianbaoError as e:  # the import is committed: say so, not that it failed
            print(f"jianbao: 导入已保存，但检索索引未能更新（{shown(e)}）；下次检索时会自动补上", file=sys.stderr)
    if args.json:
        _emit(args, [r.__dict__ for r in results], "")
    failed = [r for r in results if r.status == "failed"]
    if not args.json:
        counts = {s: sum(r.status == s for r in results) for s in ("added", "updated", "unchanged", "failed")}
        print(f"新增 {counts['added']}，更新 {counts['updated']}，未变 {counts['unchanged']}，失败 {counts['failed']}")
    report = new_hits_report(before, saved.new_counts())  # what the import added to the saved searches
    if report:
        print(f"订阅：{report}", file=sys.stderr if args.json else sys.stdout)
    return 1 if failed else 0


def cmd_issues(args: argparse.Namespace) -> int:
    lib = _open(args)
    rows = lib.issues()
    data = [
        {"id": r["id"], "year": r["year"], "number": r["number"], "total": r["total"], "date": r["date"],
         "inferred": bool(r["inferred"]), "source": r["source"], "items": r["items"]}
        for r in rows
    ]
    human = "\n".join(
        f"{r['id']:>4}  {issue_label(r)}{'（推断）' if r['inferred'] else ''}  {r['date'] or ''}  {r['items']} 条  {r['source']}"
        for r in rows
    ) or "资料库中还没有期刊"
    _emit(args, data, human)
    return 0


def _item_json(r: dict[str, Any]) -> dict[str, Any]:
    keys = ("id", "issue_id", "year", "number", "total", "date", "section", "position", "title", "credit",
            "alliance", "body")
    return {**{k: r[k] for k in keys}, "ocr": bool(r.get("ocr"))}  # text recognised from a scan: may hold errors


def cmd_items(args: argparse.Namespace) -> int:
    lib = _open(args)
    if args.issue is not None:
        lib.issue(args.issue)  # an issue that does not exist is an error, not an empty list
    rows = lib.items(issue_id=args.issue, alliance=args.alliance, section=args.section)
    human = "\n".join(
        f"{r['id']:>5}  {issue_label(r)}  [{r['section']}]  {r['title']}" + (f"  ——{r['alliance']}" if r["alliance"] else "")
        for r in rows
    ) or "没有符合条件的条目"
    _emit(args, [_item_json(r) for r in rows], human)
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    lib = _open(args)
    r = lib.item(args.id)
    original = lib.original(r["issue_id"])
    lines = [r["title"], item_meta(r), ""]
    lines += ["　　" + para for para in (r["body"] or "").split("\n")]
    if r["credit_raw"]:
        lines += ["", r["credit_raw"]]
    if r.get("ocr"):
        lines += ["", OCR_NOTE]
    if original:
        lines += ["", f"原文：{original['path']}"]
    from .cli_reader import item_keywords

    kws = item_keywords(lib, args.id)
    lines += ["", "关键词：" + "、".join(kws)] if kws else []
    data = {**_item_json(r), "credit_raw": r["credit_raw"], "pages": r["pages"],
            "original": original["path"] if original else None, "keywords": kws}
    _emit(args, data, "\n".join(lines))
    return 0


def cmd_alliances(args: argparse.Namespace) -> int:
    lib = _open(args)
    rows = lib.alliances()
    human = "\n".join(f"{r['items']:>4}  {r['name']}  （{'、'.join(r['aliases'][:4])}）" for r in rows)
    _emit(args, rows, human or "没有联盟")
    return 0


def cmd_issue_edit(args: argparse.Namespace) -> int:
    lib = _open(args)
    if all(v is None for v in (args.year, args.number, args.total, args.date)):
        raise JianbaoError("请至少给出 --year、--number、--total 或 --date 之一")
    r = lib.edit_issue(args.id, year=args.year, number=args.number, total=args.total, date=args.date)
    _sync_index(lib)
    _emit(args, r, f"已更新：{issue_label(r)} {r['date'] or ''}")
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    if args.explain:
        from .cli_reader import cmd_explain

        return cmd_explain(args)
    from .search import open_searcher

    lib = _open(args)
    try:
        _sync_index(lib)  # a read: it writes only when the index is missing, damaged or behind
    except JianbaoError:
        pass  # a search never needs to write: the exact scan answers, ranked by what index there is
    with open_searcher(lib) as s:
        res = s.search(
            args.query, alliance=args.alliance, section=args.section, year_from=args.year_from,
            year_to=args.year_to, sort=args.sort, limit=args.limit or None,
        )
    if args.json:
        _emit(args, [h.as_dict() for h in res.hits], "")
        return 0
    out = [f"共 {res.total} 条（{res.seconds * 1000:.0f} 毫秒）"]
    for h in res.hits:
        out.append(f"{h.id:>5}  {h.title}")
        out.append(f"       {item_meta(h.__dict__, ('section', 'alliance'))}")
        out.append(f"       {h.marked()}")
    print("\n".join(out))
    return 0


def cmd_reindex(args: argparse.Namespace) -> int:
    from .upkeep import IndexUpkeep

    lib = _open(args)
    last = None
    for p in IndexUpkeep(lib).rebuild(procs=os.cpu_count() or 1):
        last = p
        if not args.json:
            print(f"\r{p.text} {p.done}/{p.total}", end="", file=sys.stderr)
    if not args.json:
        print(file=sys.stderr)
    _emit(args, {"items": last.total if last else 0}, f"索引已重建：{last.total if last else 0} 条")
    return 0


def cmd_bookmark(args: argparse.Namespace) -> int:
    lib = _open(args)
    b = lib.bookmarks.add(args.id, args.note)
    _emit(args, b, f"已加书签：{b['title']}" + (f"（{b['note']}）" if b["note"] else ""))
    return 0


def cmd_unbookmark(args: argparse.Namespace) -> int:
    lib = _open(args)
    removed = lib.bookmarks.remove(args.id)
    _emit(args, {"id": args.id, "removed": removed}, "已取消书签" if removed else "该条目没有书签")
    return 0


def cmd_bookmarks(args: argparse.Namespace) -> int:
    lib = _open(args)
    rows = lib.bookmarks.list()
    human = "\n".join(
        f"{b['id']:>5}  {b['title'] or '（条目已不在资料库中）'}" + (f"\n       {b['note']}" if b["note"] else "") for b in rows
    ) or "还没有书签"
    _emit(args, rows, human)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from .export import export_items, resolve_format, select_ids

    fmt = resolve_format(args.output, args.format)  # before anything is read: a contradiction is refused
    lib = _open(args)
    ids = select_ids(lib, ids=args.ids, query=args.query, alliance=args.alliance, bookmarks=args.bookmarks)
    if not ids:
        raise JianbaoError("没有要导出的条目：请给出条目编号，或 --query / --alliance / --bookmarks")
    path = export_items(
        lib, ids, args.output, fmt=fmt, group_by_issue=args.group_by_issue, notes=args.notes, force=args.force,
        title=args.title,
    )
    _emit(args, {"file": str(path), "items": len(ids), "format": fmt}, f"已导出 {len(ids)} 条到 {path}")
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from .backup import backup, list_backups

    folder = library_folder(args.library)
    if args.list:
        rows = list_backups(folder)
        human = "\n".join(f"{b.path.name}  {b.size // 1024} KB" for b in rows) or "还没有备份"
        _emit(args, [b.as_dict() for b in rows], human)
        return 0
    if not (folder / "library.db").exists():
        raise JianbaoError(f"资料库不存在：{shown(folder)}")
    path = backup(folder, "manual", keep=args.keep)
    _emit(args, {"file": str(path)}, f"已备份到 {shown(path)}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from .backup import restore

    folder = library_folder(args.library)
    src, kept = restore(folder, args.backup)
    human = f"已从 {shown(src)} 恢复资料库" + (f"；原资料库保存为 {shown(kept)}" if kept else "")
    _emit(args, {"restored": str(src), "previous": str(kept) if kept else None}, human)
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from .check import check

    report = check(library_folder(args.library), full=not args.quick)
    _emit(args, report.as_dict(), report.text())
    return 0 if report.ok else 1


# --------------------------------------------------------------------------- argument types


def shown(value: object) -> str:
    """A path or name as one line of a message: control characters (a newline in a file name)
    shown as escapes, so that a message stays one line whatever the file is called."""
    text = str(value)
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def _int_in(lo: int, hi: int, what: str) -> Any:
    def parse(s: str) -> int:
        try:
            v = int(s)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{what}应为整数：{shown(s)}") from None
        if not lo <= v <= hi:
            raise argparse.ArgumentTypeError(f"{what}应在 {lo}–{hi} 之间：{shown(s)[:24]}")
        return v

    parse.__name__ = what  # argparse names the type in its messages
    return parse


ITEM_ID = _int_in(1, 2**63 - 1, "编号")
YEAR = _int_in(1900, 2200, "年份")
NUMBER = _int_in(1, 99, "期号")
TOTAL = _int_in(1, 99_999, "总期号")
LIMIT = _int_in(0, 1_000_000, "条数")
KEEP = _int_in(1, 1000, "保留份数")


def _output_file(s: str) -> str:
    if not s:
        raise argparse.ArgumentTypeError("请给出输出文件名")
    if os.path.isdir(s):
        raise argparse.ArgumentTypeError(f"是一个文件夹，请给出文件名：{shown(s)}")
    return s


# --------------------------------------------------------------------------- parser

# argparse's own texts (usage, help, errors) in Chinese. argparse looks them up through its
# module-level ``_``/``ngettext`` each time it needs one, so the parser below swaps in these
# while it works and puts the originals back after: nothing else in the process changes.
_ZH = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "optional arguments": "选项",
    "show this help message and exit": "显示本帮助并退出",
    "show program's version number and exit": "显示版本号并退出",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "expected one argument": "需要一个值",
    "expected at most one argument": "最多需要一个值",
    "expected at least one argument": "至少需要一个值",
    "ambiguous option: %(option)s could match %(matches)s": "选项有歧义：%(option)s 可以是 %(matches)s",
    "invalid %(type)s value: %(value)r": "无效的%(type)s值：%(value)r",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选择：%(value)r（可选 %(choices)s）",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "ignored explicit argument %r": "忽略了多余的值 %r",
    "one of the arguments %s is required": "需要以下参数之一：%s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "没有命令 %(parser_name)r（可选 %(choices)s）",
    "unexpected option string: %s": "意外的选项：%s",
    "expected %s argument": "需要 %s 个值",
    "expected %s arguments": "需要 %s 个值",
}


@contextlib.contextmanager
def _chinese_argparse() -> Iterator[None]:
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]

    def gettext(message: str) -> str:
        return _ZH.get(message, message)

    def ngettext(singular: str, plural: str, n: int) -> str:
        return gettext(singular if n == 1 else plural)

    argparse._, argparse.ngettext = gettext, ngettext  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


class ChineseArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser whose usage, help and error texts are in Chinese."""

    def __init__(self, *args: Any, **kw: Any) -> None:
        with _chinese_argparse():
            super().__init__(*args, **kw)

    def _get_value(self, action: argparse.Action, arg_string: str) -> Any:
        with _chinese_argparse():
            try:
                return super()._get_value(action, arg_string)  # type: ignore[misc]
            except argparse.ArgumentError as e:
                raise argparse.ArgumentError(action, e.message.replace("无效的int值", "无效的整数")) from None

    def parse_known_args(self, *args: Any, **kw: Any) -> Any:
        with _chinese_argparse():
            return super().parse_known_args(*args, **kw)

    def format_usage(self) -> str:
        with _chinese_argparse():
            return super().format_usage()

    def format_help(self) -> str:
        with _chinese_argparse():
            return super().format_help()

    def error(self, message: str) -> NoReturn:
        with _chinese_argparse():
            super().error(message)


def _common(suppress: bool) -> argparse.ArgumentParser:
    # Sub-commands repeat the global options with SUPPRESS defaults, so that
    # `jianbao --library X items` and `jianbao items --library X` both work.
    common = ChineseArgumentParser(add_help=False)
    extra: dict[str, Any] = {"default": argparse.SUPPRESS} if suppress else {}
    common.add_argument("--library", metavar="DIR", help="资料库文件夹（默认：$JIANBAO_LIBRARY 或用户数据文件夹）", **extra)
    common.add_argument("--no-sample", action="store_true", help="新资料库不导入内置示例简报", **extra)
    common.add_argument("--json", action="store_true", help="在标准输出打印一份 JSON 文档", **extra)
    return common


def build_parser() -> argparse.ArgumentParser:
    top = _common(False)
    common = _common(True)

    p = ChineseArgumentParser(prog="jianbao", parents=[top], description=f"{APP_NAME}：{BULLETIN_NAME}资料库",
                                epilog="不带命令运行 jianbao（或 jianbao gui）打开图形界面。")
    p.add_argument("--version", action="version", version=f"jianbao {__version__}", help="显示版本号并退出")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    def add(name: str, func: Any, help: str) -> argparse.ArgumentParser:
        sp = sub.add_parser(name, parents=[common], help=help, description=help)
        sp.set_defaults(func=func)
        return sp

    sp = add("import", cmd_import, "导入简报文件或文件夹（.txt/.md/.pdf，扫描页图片 .png/.jpg/.tif）")
    sp.add_argument("paths", nargs="+", metavar="PATH")
    sp.add_argument("--force", action="store_true", help="也导入不像简报的文本，并接受会删除一期大部分条目的重新导入")
    add("issues", cmd_issues, "列出期刊")
    sp = add("items", cmd_items, "列出条目")
    sp.add_argument("--issue", type=ITEM_ID, metavar="ID")
    sp.add_argument("--alliance", metavar="NAME", help="联盟全称、简称或别名")
    sp.add_argument("--section", metavar="NAME", choices=ALL_SECTIONS)
    sp = add("show", cmd_show, "显示一个条目")
    sp.add_argument("id", type=ITEM_ID)
    add("alliances", cmd_alliances, "列出联盟及条目数")
    sp = add("issue", cmd_issue_edit, "期刊信息")
    isub = sp.add_subparsers(dest="issue_command", metavar="edit", required=True)
    ep = isub.add_parser("edit", parents=[common], help="更正期刊信息（年份、期、总期、日期）")
    ep.set_defaults(func=cmd_issue_edit)
    ep.add_argument("id", type=ITEM_ID)
    ep.add_argument("--year", type=YEAR)
    ep.add_argument("--number", type=NUMBER)
    ep.add_argument("--total", type=TOTAL)
    ep.add_argument("--date", metavar="YYYY-MM-DD")
    sp = add("search", cmd_search, "全文检索（空格分隔为“且”；\"引号\" 为短语；OR；-排除）")
    sp.add_argument("query")
    sp.add_argument("--alliance", metavar="NAME")
    sp.add_argument("--section", metavar="NAME", choices=ALL_SECTIONS)
    sp.add_argument("--from", dest="year_from", type=YEAR, metavar="YEAR")
    sp.add_argument("--to", dest="year_to", type=YEAR, metavar="YEAR")
    sp.add_argument("--sort", choices=("relevance", "date"), default="relevance")
    sp.add_argument("--limit", type=LIMIT, default=20, help="最多返回条数，0 为全部（默认 20）")
    add("reindex", cmd_reindex, "从资料库重建检索索引")
    sp = add("bookmark", cmd_bookmark, "为条目加书签（可附备注）")
    sp.add_argument("id", type=ITEM_ID)
    sp.add_argument("--note", metavar="TEXT")
    sp = add("unbookmark", cmd_unbookmark, "取消书签")
    sp.add_argument("id", type=ITEM_ID)
    add("bookmarks", cmd_bookmarks, "列出书签")
    from .cli_reader import add_commands  # activity, related, saved, sample; search --explain

    js = ChineseArgumentParser(add_help=False)  # --json is among the common options already
    add_commands(sub, common, js)
    sp = add("export", cmd_export, f"导出条目为文档（{'/'.join(FORMATS)}）")
    sp.add_argument("ids", nargs="*", type=ITEM_ID, metavar="ID")
    sp.add_argument("--query", metavar="Q")
    sp.add_argument("--alliance", metavar="NAME")
    sp.add_argument("--bookmarks", action="store_true", help="导出全部书签条目")
    sp.add_argument("--group-by-issue", action="store_true", help="按期刊分组（新的在前）")
    sp.add_argument("--notes", action="store_true", help="附上书签备注")
    sp.add_argument("--format", choices=FORMATS, help="默认按 -o 文件的扩展名")
    sp.add_argument("--title", metavar="TEXT", help="文档标题")
    sp.add_argument("-o", "--output", required=True, metavar="FILE", type=_output_file)
    sp.add_argument("--force", action="store_true", help="覆盖已有文件")
    sp = add("backup", cmd_backup, "备份资料库（保存在资料库文件夹的 backups 中）")
    sp.add_argument("--list", action="store_true", help="列出已有备份")
    sp.add_argument("--keep", type=KEEP, default=10, help="保留最近几份（默认 10）")
    sp = add("restore", cmd_restore, "从备份恢复资料库（先关闭正在使用资料库的程序）")
    sp.add_argument("backup", nargs="?", metavar="BACKUP", help="备份文件或其文件名（默认最新一份）")
    sp = add("check", cmd_check, "检查资料库：完整性、索引与资料库是否一致、书签")
    sp.add_argument("--quick", action="store_true", help="只做快速检查")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    try:
        return int(args.func(args) or 0)
    except JianbaoError as e:
        print(f"jianbao: {shown(e)}", file=sys.stderr)
        return 2
    except sqlite3.Error as e:  # one place maps SQLite's errors; a bug keeps its traceback
        mapped = map_error(e, library_folder(getattr(args, "library", None)) / "library.db")
        if mapped is None:
            raise
        print(f"jianbao: {shown(mapped)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("jianbao: 已中断", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
