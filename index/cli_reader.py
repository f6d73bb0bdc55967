"""CLI commands of the reader's features: ``activity``, ``related``, ``saved …`` (registered by
:func:`index.cli.build_parser` through :func:`add_commands`)."""

from __future__ import annotations

import argparse
from typing import Any

from .parser import ALL_SECTIONS


def _cli() -> Any:
    from . import cli

    return cli


def item_keywords(lib: Any, item_id: int) -> list[str]:
    """The item's keywords for ``show`` (document frequencies come from the index: bring it up first)."""
    from .related import keywords
    from .search import open_searcher

    _cli()._sync_index(lib)
    with open_searcher(lib) as s:
        return [w for w, _ in keywords(s, item_id)]


def cmd_explain(args: argparse.Namespace) -> int:
    """``search Q --explain``: how the query is read, and how ranking segments it."""
    from .explain import explain
    from .search import open_searcher

    cli = _cli()
    lib = cli._open(args)
    with open_searcher(lib) as s:
        e = explain(args.query, s._segmenter())  # the index's segmenter, with the library's user words
    cli._emit(args, e.as_dict(), e.line() or "（没有检索词）")
    return 0


def cmd_activity(args: argparse.Namespace) -> int:
    from .activity import activity

    lib = _cli()._open(args)
    rows = activity(lib, args.year_from, args.year_to)
    human = "\n".join(f"{r['items']:>4}  {r['year'] or '年份不详'}  {r['alliance']}" for r in rows) or "没有联盟供稿的条目"
    _cli()._emit(args, rows, human)
    return 0


def cmd_related(args: argparse.Namespace) -> int:
    from .related import related
    from .search import open_searcher

    cli = _cli()
    lib = cli._open(args)
    lib.item(args.id)  # NotFoundError: one clear line
    cli._sync_index(lib)  # a read: it writes only when the index is missing, damaged or behind
    with open_searcher(lib) as s:
        rows = related(s, args.id, limit=args.limit)
    from .labels import issue_label

    human = "\n".join(
        f"{r.id:>5}  {r.title}\n       {issue_label(r.__dict__)}" + (f" · {r.alliance}" if r.alliance else "") for r in rows
    ) or "没有相关条目"
    cli._emit(args, [r.as_dict() for r in rows], human)
    return 0


def _saved(args: argparse.Namespace) -> Any:
    from .saved import SavedSearches

    return SavedSearches(_cli()._open(args))


def cmd_saved_add(args: argparse.Namespace) -> int:
    s = _saved(args).add(args.name, args.query, alliance=args.alliance, section=args.section,
                         year_from=args.year_from, year_to=args.year_to)
    _cli()._emit(args, s.as_dict(), f"已保存订阅“{s.name}”：{s.hits} 条")
    return 0


def cmd_saved_list(args: argparse.Namespace) -> int:
    rows = _saved(args).list()
    human = "\n".join(
        f"{s.name}  {s.query}  {s.hits} 条" + (f"（新 {s.new} 条）" if s.new else "")
        + ("  " + " ".join(f"{k}={v}" for k, v in s.filters.items()) if s.filters else "")
        for s in rows
    ) or "还没有订阅（jianbao saved add 名称 检索词）"
    _cli()._emit(args, [s.as_dict() for s in rows], human)
    return 0


def cmd_saved_seen(args: argparse.Namespace) -> int:
    s = _saved(args).seen(args.name)
    _cli()._emit(args, s.as_dict(), f"已读：{s.name}（{s.hits} 条）")
    return 0


def cmd_saved_remove(args: argparse.Namespace) -> int:
    from .errors import NotFoundError

    if not _saved(args).remove(args.name):
        raise NotFoundError(f"没有名为“{args.name}”的订阅")
    _cli()._emit(args, {"name": args.name, "removed": True}, f"已删除订阅：{args.name}")
    return 0


def cmd_sample_remove(args: argparse.Namespace) -> int:
    from .sample import remove_sample

    cli = _cli()
    lib = cli._open(args)
    done = remove_sample(lib)
    if done["items"]:
        cli._sync_index(lib)
    human = f"已移除示例简报 {done['issues']} 期（{done['items']} 条）" if done["issues"] else "资料库中没有示例简报"
    cli._emit(args, done, human)
    return 0


def add_commands(sub: Any, common: argparse.ArgumentParser, js: argparse.ArgumentParser) -> None:
    def add(parent: Any, name: str, func: Any, help: str) -> argparse.ArgumentParser:
        sp = parent.add_parser(name, parents=[common, js], help=help, description=help)
        sp.set_defaults(func=func)
        return sp

    sub.choices["search"].add_argument(
        "--explain", action="store_true", help="只说明检索词如何被理解（且/短语/或/排除）与排序分词")
    sp = add(sub, "activity", cmd_activity, "联盟活跃度：各联盟每年的条目数")
    sp.add_argument("--from", dest="year_from", type=int, metavar="YEAR")
    sp.add_argument("--to", dest="year_to", type=int, metavar="YEAR")
    sp = add(sub, "related", cmd_related, "与一个条目最相关的其他条目")
    sp.add_argument("id", type=int)
    sp.add_argument("--limit", type=int, default=5, help="最多返回条数（默认 5）")

    sp = sub.add_parser("saved", parents=[common], help="订阅（保存的检索）", description="订阅（保存的检索）")
    ssub = sp.add_subparsers(dest="saved_command", metavar="add|list|seen|remove", required=True)
    sp = add(ssub, "add", cmd_saved_add, "保存检索为订阅（同名则替换）")
    sp.add_argument("name")
    sp.add_argument("query")
    sp.add_argument("--alliance", metavar="NAME")
    sp.add_argument("--section", metavar="NAME", choices=ALL_SECTIONS)
    sp.add_argument("--from", dest="year_from", type=int, metavar="YEAR")
    sp.add_argument("--to", dest="year_to", type=int, metavar="YEAR")
    add(ssub, "list", cmd_saved_list, "列出订阅及命中数、新结果数")
    sp = add(ssub, "seen", cmd_saved_seen, "标记订阅的结果为已读")
    sp.add_argument("name")
    sp = add(ssub, "remove", cmd_saved_remove, "删除订阅")
    sp.add_argument("name")

    sp = sub.add_parser("sample", parents=[common], help="内置示例简报", description="内置示例简报")
    ssub = sp.add_subparsers(dest="sample_command", metavar="remove", required=True)
    add(ssub, "remove", cmd_sample_remove, "从资料库移除内置示例简报（书签保留）")
