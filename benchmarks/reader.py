"""The reader's features at scale: related items, keywords, activity, the home page, saved searches.

    python -m benchmarks.reader [--items 10000] [--samples 200]

On a synthetic library (``benchmarks/synth.py``) with its search index built, as a returning user
has it. Prints each measure beside its target (2 cores; timings vary by about ±30 % between runs):
related items ≤ 50 ms per item (p95), the 联盟活跃度 view ≤ 300 ms to build, the home page
(no target; it must not slow start-up, which ``python -m benchmarks.startup`` measures).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks.synth import DATA, build
from jianbao.index.activity import activity_table
from jianbao.index.home import home_data
from jianbao.index.related import keywords, related
from jianbao.index.saved import SavedSearches
from jianbao.index.search import open_searcher
from jianbao.index.store import Library
from jianbao.index.upkeep import update_index

RESULTS = Path(__file__).resolve().parent / "results"
TARGETS = {"related_p95_ms": 50.0, "activity_view_ms": 300.0}


def ms(t0: float) -> float:
    return (time.perf_counter() - t0) * 1000


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, round(p * (len(xs) - 1)))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--items", type=int, default=10000)
    ap.add_argument("--samples", type=int, default=200)
    args = ap.parse_args()
    src = build(args.items, DATA / f"lib-{args.items}")
    out: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "lib"
        shutil.copytree(src, folder)
        with Library(folder) as lib:
            update_index(lib)  # the index a returning user already has
        with Library(folder) as lib, open_searcher(lib) as s:
            n = lib.counts()["items"]
            ids = [r[0] for r in lib.conn.execute("SELECT id FROM items")]
            sample = random.Random(1).sample(ids, min(args.samples, len(ids)))
            t0 = time.perf_counter()
            related(s, sample[0])
            out["related_first_ms"] = ms(t0)  # opens the reader, loads the id column
            rel, kw = [], []
            for i in sample:
                t0 = time.perf_counter()
                rows = related(s, i)
                rel.append(ms(t0))
                assert i not in {r.id for r in rows}
                t0 = time.perf_counter()
                keywords(s, i)
                kw.append(ms(t0))
            out |= {"related_p50_ms": statistics.median(rel), "related_p95_ms": pct(rel, 0.95), "related_max_ms": max(rel),
                    "keywords_p50_ms": statistics.median(kw)}
            t0 = time.perf_counter()
            activity_table(lib)
            out["activity_table_ms"] = ms(t0)
            t0 = time.perf_counter()
            home_data(lib)
            out["home_data_ms"] = ms(t0)
            saved = SavedSearches(lib, s)
            for q in ("碳中和", "标准 联盟", "钒钛 OR 汉麻"):
                saved.add(q, q)
            t0 = time.perf_counter()
            saved.list()
            out["saved_list_3_ms"] = ms(t0)
            # the Qt views, offscreen
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
            from jianbao.desktop.activity_view import ActivityDialog
            from jianbao.desktop.app import make_app
            from jianbao.desktop.home import HomePage

            make_app()
            t0 = time.perf_counter()
            dlg = ActivityDialog(lib)
            dlg.show()
            out["activity_view_ms"] = ms(t0)
            dlg.close()
            page = HomePage()
            t0 = time.perf_counter()
            page.show_data(home_data(lib), saved.list())
            out["home_page_ms"] = ms(t0)
    print(f"Reader features, {n} items, {len(sample)} sampled items ({os.cpu_count()} cores; timings vary ±30 %)")
    print(f"{'measure':<20}{'ms':>10}{'target':>10}")
    for k, v in out.items():
        print(f"{k:<20}{v:>10.1f}{TARGETS.get(k, ''):>10}")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"reader-{args.items}.json").write_text(json.dumps({"items": n, "ms": out, "targets": TARGETS}, indent=1))


if __name__ == "__main__":
    main()
