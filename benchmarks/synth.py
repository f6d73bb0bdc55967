"""Synthetic libraries for benchmarks: N items built from the sample's text, varied.

Each synthetic item takes a sample item's title and sentences, mixes in sentences of other
items, swaps the alliance and the numbers, so that items are not copies (an index of copies
compresses unrealistically well). Bulletins are written as Markdown with a masthead, 25 items an
issue, six issues a year going back from 2024, and imported through the real import path.

    python -m benchmarks.synth --items 10000 --out benchmarks/data/lib-10000
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import time
from pathlib import Path

from jianbao.index.parser import SECTIONS, parse
from jianbao.index.store import Library
from jianbao.index.text import decode

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "resources" / "corpus"
DATA = Path(__file__).resolve().parent / "data"
ITEMS_PER_ISSUE = 25


def sample_items() -> list[dict]:
    items = []
    for f in sorted(CORPUS.glob("*.txt")):
        text, _ = decode(f.read_bytes())
        for it in parse(text).items:
            sentences = [s for s in re.split(r"(?<=[。！？；])", "".join(it.paragraphs)) if s]
            items.append({"title": it.title, "sentences": sentences, "credit": it.credit, "alliance": it.alliance_raw})
    return items


def alliances(items: list[dict]) -> list[str]:
    return sorted({i["alliance"] for i in items if i["alliance"]})


def _vary_numbers(s: str, rnd: random.Random) -> str:
    return re.sub(r"\d+", lambda m: str(rnd.randint(1, 10 ** len(m.group()))) if len(m.group()) < 4 else m.group(), s)


def make_issue(year: int, number: int, total: int, base: list[dict], names: list[str], rnd: random.Random) -> str:
    out = ["# 产业技术创新战略联盟试点工作", "", "## 简 报", "", f"{year}年第{number}期（总第{total}期）", "",
           "联盟试点工作联络组办公室", "", f"{year}年{min(12, number * 2)}月{rnd.randint(1, 28)}日", ""]
    per_section = [4, 3, ITEMS_PER_ISSUE - 7]
    k = 0
    for sec, count in zip(SECTIONS, per_section, strict=True):
        out += [f"## ➤ {sec}", ""]
        for _ in range(count):
            it = rnd.choice(base)
            other = rnd.choice(base)
            name = rnd.choice(names)
            short = name.replace("产业技术创新战略联盟", "联盟")
            title = _vary_numbers(it["title"], rnd)
            title = re.sub(r"^\S{2,8}?联盟", short, title, count=1) + f"（{year}-{number}-{k}）"
            sentences = list(it["sentences"])
            sentences[1:1] = rnd.sample(other["sentences"], min(2, len(other["sentences"])))
            body = _vary_numbers("".join(sentences), rnd)
            paras = [body[i : i + 180] for i in range(0, len(body), 180)]
            out += [f"### {title}", ""]
            for p in paras:
                out += [p, ""]
            if sec != SECTIONS[0]:
                out += [f"（{name}秘书处供稿）", ""]
            k += 1
    return "\n".join(out)


def bulletins(n_items: int, seed: int = 1) -> list[tuple[str, str]]:
    rnd = random.Random(seed)
    base = sample_items()
    names = alliances(base)
    out = []
    n_issues = max(1, n_items // ITEMS_PER_ISSUE)
    for k in range(n_issues):
        year = 2024 - k // 6
        number = 6 - k % 6
        total = 10_000 - k
        out.append((f"synth-{year}-{number}-{k}.md", make_issue(year, number, total, base, names, rnd)))
    return out


def build(n_items: int, out: Path, seed: int = 1) -> Path:
    """A library folder with about ``n_items`` items (and no search index yet)."""
    if (out / "library.db").exists():
        with Library(out) as lib:
            if lib.counts()["items"] >= n_items:
                return out
        shutil.rmtree(out)
    with Library(out) as lib:
        for name, text in bulletins(n_items, seed):
            lib.import_bytes(text.encode("utf-8"), name=name)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--items", type=int, default=1000)
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    out = args.out or DATA / f"lib-{args.items}"
    t0 = time.perf_counter()
    build(args.items, out)
    with Library(out) as lib:
        print(f"{lib.counts()['items']} items in {out} ({time.perf_counter() - t0:.1f} s)")


if __name__ == "__main__":
    main()
