"""Start-up benchmark: process start → window visible → first search answered.

    python -m benchmarks.startup [--items 10000] [--runs 3]

Runs the real app (``python -m jianbao.desktop``) on a copy of a synthetic library whose search index is
already built (as it is on a user's machine after the first start), offscreen unless a display
is set, and reads the times the app's start-up probe prints. Targets on 2 cores: window ≤ 1.0 s,
first results ≤ 2.0 s.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.synth import DATA, build
from jianbao.index.store import Library
from jianbao.index.upkeep import update_index

RESULTS = Path(__file__).resolve().parent / "results"
TARGETS = {"window_s": 1.0, "first_results_s": 2.0}


def one_run(lib: Path, query: str) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as cfg:
        env = {**os.environ, "JIANBAO_STARTUP_PROBE": query, "XDG_CONFIG_HOME": cfg}
        env.setdefault("QT_QPA_PLATFORM", "offscreen" if not os.environ.get("DISPLAY") else "xcb")
        t0 = time.time()
        r = subprocess.run([sys.executable, "-m", "jianbao.desktop", "--library", str(lib), "--no-sample"], env=env,
                           capture_output=True, text=True, timeout=120, check=False)
    marks = dict(line.split() for line in r.stdout.splitlines() if line.startswith(("window_visible", "first_results")))
    if "first_results" not in marks:
        raise SystemExit(f"the app did not answer:\n{r.stdout}\n{r.stderr[-2000:]}")
    return {"window_s": float(marks["window_visible"]) - t0, "first_results_s": float(marks["first_results"]) - t0}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--items", type=int, default=10000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--query", default="钒钛")
    args = ap.parse_args()
    src = build(args.items, DATA / f"lib-{args.items}")
    with tempfile.TemporaryDirectory() as tmp:
        lib = Path(tmp) / "lib"
        shutil.copytree(src, lib)
        with Library(lib) as library:
            update_index(library)  # the index a returning user already has
        runs = [one_run(lib, args.query) for _ in range(args.runs)]
    med = {k: statistics.median(r[k] for r in runs) for k in TARGETS}
    print(f"Start-up, {args.items} items, median of {args.runs} runs ({os.cpu_count()} cores)")
    print(f"{'measure':<18}{'seconds':>10}{'target':>10}")
    for k, v in med.items():
        print(f"{k:<18}{v:>10.3f}{TARGETS[k]:>10}")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"startup-{args.items}.json").write_text(json.dumps({"items": args.items, "runs": runs, "median": med,
                                                                   "targets": TARGETS}, indent=1))


if __name__ == "__main__":
    main()
