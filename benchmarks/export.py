"""Export benchmark: 500 items to each format.

    python -m benchmarks.export [--items 500]

Prints seconds per format with the target beside it (DOCX ≤ 5 s for 500 items on 2 cores).
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from benchmarks.synth import DATA, build
from jianbao.index.export import FORMATS, export_items
from jianbao.index.store import Library

RESULTS = Path(__file__).resolve().parent / "results"
TARGETS = {"docx": 5.0}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--items", type=int, default=500)
    args = ap.parse_args()
    lib_dir = build(1000, DATA / "lib-1000")
    results = {}
    with Library(lib_dir) as lib, tempfile.TemporaryDirectory() as tmp:
        ids = [r["id"] for r in lib.items()][: args.items]
        print(f"Export of {len(ids)} items")
        print(f"{'format':<8}{'seconds':>10}{'MB':>8}{'target s':>10}")
        for fmt in FORMATS:
            out = Path(tmp) / f"x.{fmt}"
            t0 = time.perf_counter()
            export_items(lib, ids, out, fmt=fmt)
            dt = time.perf_counter() - t0
            results[fmt] = {"seconds": dt, "mb": out.stat().st_size / 1e6}
            print(f"{fmt:<8}{dt:>10.2f}{out.stat().st_size / 1e6:>8.2f}{TARGETS.get(fmt, '-'):>10}")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"export-{args.items}.json").write_text(json.dumps({"items": args.items, "targets": TARGETS,
                                                                  "results": results}, indent=1))


if __name__ == "__main__":
    main()
