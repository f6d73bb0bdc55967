"""Hostile queries against a 10k-item library: each must answer or refuse within 1 s.

    python -m benchmarks.hostile --items 10000

Prints, per query, the seconds taken and what happened (hits or the refusal), beside the 1 s
target, and writes benchmarks/results/hostile-N.json.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from benchmarks.synth import DATA, build
from jianbao.index.errors import JianbaoError
from jianbao.index.search import open_searcher
from jianbao.index.store import Library

RESULTS = Path(__file__).resolve().parent / "results"
TARGET_S = 1.0
COMMON = list("的了在是有和与及等为对中上下一二三四五六七八九十年月日会议标准技术产业"
    "创新发展联盟合作研究企业平台建设工作推进国家科技部领域单位成果")


def hostile_queries() -> dict[str, str]:
    """Name → query: what a careless paste or a hostile caller can send."""
    return {
        "unbalanced quote": '"联盟 标准',
        "only quotes": '"""""',
        "only operators": "OR - OR | 或 -",
        "minus only": "- - - -",
        "10,000 characters": ("联盟标准创新" * 1700)[:10_000],
        "10,000 spaced chars": " ".join("联盟标准创新" * 900)[:10_000],
        "200 × 联盟": " ".join(["联盟"] * 200),
        "500 × 联盟": " ".join(["联盟"] * 500),
        "64 distinct terms": " ".join(f"联盟{i}" for i in range(64)),
        "64 common words": " ".join(COMMON[:64]),
        "1,000 terms": " ".join(f"t{i}" for i in range(1000)),
        "1,000 ORs": " OR ".join(f"t{i}" for i in range(1000)),
        "control characters": "联\x00盟\x01标\x02准\x1b[31m",
        "NUL between words": "标准\x00联盟",
        "single character": "盟",
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--items", type=int, default=10000)
    args = ap.parse_args()
    folder = build(args.items, DATA / f"lib-{args.items}")
    rows = []
    with Library(folder) as lib, open_searcher(lib) as s:
        s.ensure_current()
        s.search("联盟")  # warm: the scan string and the searcher
        for name, q in hostile_queries().items():
            t0 = time.perf_counter()
            try:
                res = s.search(q)
                outcome = f"{res.total} hits"
            except JianbaoError as e:
                outcome = f"refused: {e}"
            dt = time.perf_counter() - t0
            rows.append({"query": name, "seconds": round(dt, 3), "outcome": outcome, "ok": dt < TARGET_S})
            print(f"{name:<22} {dt:7.3f} s  (target < {TARGET_S} s)  {'ok ' if dt < TARGET_S else 'SLOW'}  {outcome[:60]}")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"hostile-{args.items}.json").write_text(json.dumps(rows, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
