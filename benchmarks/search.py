"""Search benchmark: the project's search against stock Whoosh + jieba and SQLite FTS5 (trigram).

    python -m benchmarks.search --items 10000

Each engine runs in its own process (so peak RSS is its own) on the same synthetic library and
reports: index build seconds and MB/s, time until a new 25-item issue is searchable, query
latency p50/p95 over a fixed list (first page of 20 with snippets), index size, peak RSS, and
how many items each query found. Prints a table with the targets beside it and writes
benchmarks/results/search-N.json.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.synth import DATA, build, bulletins
from jianbao.index.store import Library

RESULTS = Path(__file__).resolve().parent / "results"
QUERIES = [
    "钒钛", "新质生产力", "揭榜挂帅", "协发网", "中试", "碳中和", "粉末冶金", "半导体照明", "团体标准", "理事会",
    "吴家喜", "李新男", "钛", "盟", "WAPI", "5G", "29167", "ISO/IEC 29167-16:2022", "BIM", "2024年",
    "国家重点研发计划", "活跃度评价", "绿色 低碳", "联盟 标准 发布", "科技部 论坛", "数控机床 创新",
    '"国际标准"', "液流电池", "汉麻", "SolarPACES",
]
TARGETS = {
    1000: {"p95_ms": 50, "new_issue_s": 1.0, "build_s": None},
    10000: {"p95_ms": 50, "new_issue_s": 1.0, "build_s": 20.0},
    50000: {"p95_ms": 200, "new_issue_s": 1.0, "build_s": None},
}


def dir_size(p: Path) -> int:
    return sum(f.stat().st_size for f in p.rglob("*") if f.is_file()) if p.is_dir() else p.stat().st_size


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def text_mb(lib: Library) -> float:
    return sum(len((t or "").encode()) + len((b or "").encode())
               for t, b in lib.conn.execute("SELECT title, body FROM items")) / 1e6


def latencies(run_query, repeat: int = 3) -> tuple[list[float], dict[str, int]]:
    times, counts = [], {}
    per_query: dict[str, list[float]] = {}
    for _ in range(repeat):
        for q in QUERIES:
            t0 = time.perf_counter()
            counts[q] = run_query(q)
            ms = (time.perf_counter() - t0) * 1000
            times.append(ms)
            per_query.setdefault(q, []).append(ms)
    PER_QUERY_MS.update({q: statistics.median(v) for q, v in per_query.items()})
    return times, counts


PER_QUERY_MS: dict[str, float] = {}


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, round(p / 100 * (len(xs) - 1)))]


def new_issue_text(n_items: int) -> tuple[str, str]:
    name, text = bulletins(n_items + 25, seed=99)[-1]
    return name, text.replace("总第", "总第9").replace("年第", "年第1")  # a new period, not an update


def new_issue_items(n_items: int) -> list[tuple[str, str, str]]:
    """(id, title, body) of the new issue's items, for the engines that take documents."""
    from jianbao.index.parser import parse

    return [(f"new{k}", it.title, it.body) for k, it in enumerate(parse(new_issue_text(n_items)[1]).items)]


def measure_queries(run_query) -> tuple[float, list[float], dict[str, int]]:
    """The first query's time (cold), then every query's times and hit counts."""
    t0 = time.perf_counter()
    run_query("联盟")
    cold_ms = (time.perf_counter() - t0) * 1000
    times, counts = latencies(run_query)
    return cold_ms, times, counts


# --------------------------------------------------------------------------- engines


def run_project(lib_dir: Path, work: Path, n: int) -> dict:
    from jianbao.index.search import Searcher
    from jianbao.index.upkeep import IndexUpkeep

    shutil.copytree(lib_dir, work / "lib")
    lib = Library(work / "lib")
    mb = text_mb(lib)
    s, upkeep = Searcher(lib), IndexUpkeep(lib)
    t0 = time.perf_counter()
    for _ in upkeep.rebuild(procs=os.cpu_count() or 1):  # as `jianbao reindex` does
        pass
    build_s = time.perf_counter() - t0
    cold_ms, times, counts = measure_queries(lambda q: s.search(q, limit=20).total)
    name, text = new_issue_text(n)
    t0 = time.perf_counter()
    lib.import_bytes(text.encode(), name=name)
    upkeep.sync()
    found = s.search('"（' + text.split("（", 2)[1].split("）")[0] + '）"', limit=1).total
    new_s = time.perf_counter() - t0
    return {"build_s": build_s, "build_mb_s": mb / build_s, "text_mb": mb, "new_issue_s": new_s,
            "new_issue_found": found > 0, "cold_first_query_ms": cold_ms, "p50_ms": pct(times, 50),
            "p95_ms": pct(times, 95), "index_mb": dir_size(work / "lib" / "search") / 1e6, "hits": counts}


def run_stock(lib_dir: Path, work: Path, n: int) -> dict:
    import logging

    import jieba
    from jieba.analyse import ChineseAnalyzer
    from whoosh import fields, index
    from whoosh.highlight import ContextFragmenter
    from whoosh.qparser import MultifieldParser

    jieba.setLogLevel(logging.WARNING)
    lib = Library(lib_dir)
    rows = lib.conn.execute("SELECT id, title, body FROM items").fetchall()
    mb = text_mb(lib)
    an = ChineseAnalyzer()
    schema = fields.Schema(id=fields.ID(stored=True, unique=True), title=fields.TEXT(analyzer=an, stored=True),
                           body=fields.TEXT(analyzer=an, stored=True))
    d = work / "stock"
    d.mkdir()
    t0 = time.perf_counter()
    ix = index.create_in(str(d), schema)
    w = ix.writer(limitmb=256)
    for i, t, b in rows:
        w.add_document(id=str(i), title=t, body=b or "")
    w.commit()
    build_s = time.perf_counter() - t0
    parser = MultifieldParser(["title", "body"], schema)
    searcher = ix.searcher()

    def q(text: str) -> int:
        res = searcher.search(parser.parse(text), limit=20)
        res.fragmenter = ContextFragmenter(maxchars=80)
        for h in res:
            h.highlights("body")
        return len(res) if res.has_exact_length() else res.estimated_length()

    cold_ms, times, counts = measure_queries(q)
    docs = new_issue_items(n)
    t0 = time.perf_counter()
    w = ix.writer()
    for doc_id, title, body in docs:
        w.add_document(id=doc_id, title=title, body=body)
    w.commit()
    searcher = searcher.refresh()
    new_s = time.perf_counter() - t0
    return {"build_s": build_s, "build_mb_s": mb / build_s, "text_mb": mb, "new_issue_s": new_s,
            "cold_first_query_ms": cold_ms, "p50_ms": pct(times, 50), "p95_ms": pct(times, 95),
            "index_mb": dir_size(d) / 1e6, "hits": counts}


def run_fts5(lib_dir: Path, work: Path, n: int) -> dict:
    from jianbao.index.search import parse_query

    lib = Library(lib_dir)
    rows = lib.conn.execute("SELECT id, title, body FROM items").fetchall()
    mb = text_mb(lib)
    db = work / "fts.db"
    con = sqlite3.connect(db)
    t0 = time.perf_counter()
    con.execute("CREATE VIRTUAL TABLE f USING fts5(id UNINDEXED, title, body, tokenize='trigram')")
    con.executemany("INSERT INTO f VALUES (?, ?, ?)", rows)
    con.commit()
    build_s = time.perf_counter() - t0

    def q(text: str) -> int:
        pq = parse_query(text)
        long_terms = [t for t in pq.positive if len(t) >= 3]
        short = [t for t in pq.positive if len(t) < 3]
        where, params = [], []
        if long_terms:
            where.append("f MATCH ?")
            params.append(" AND ".join('"' + t.replace('"', '""') + '"' for t in long_terms))
        for t in short:
            where.append("(title LIKE ? OR body LIKE ?)")
            params += [f"%{t}%", f"%{t}%"]
        sql = "SELECT id, snippet(f, 2, '【', '】', '…', 16) FROM f WHERE " + " AND ".join(where)
        count = con.execute("SELECT count(*) FROM f WHERE " + " AND ".join(where), params).fetchone()[0]
        con.execute(sql + (" ORDER BY rank" if long_terms else "") + " LIMIT 20", params).fetchall()
        return count

    cold_ms, times, counts = measure_queries(q)
    docs = new_issue_items(n)
    t0 = time.perf_counter()
    con.executemany("INSERT INTO f VALUES (?, ?, ?)", docs)
    con.commit()
    new_s = time.perf_counter() - t0
    return {"build_s": build_s, "build_mb_s": mb / build_s, "text_mb": mb, "new_issue_s": new_s,
            "cold_first_query_ms": cold_ms, "p50_ms": pct(times, 50), "p95_ms": pct(times, 95),
            "index_mb": dir_size(db) / 1e6, "hits": counts}


ENGINES = {"project": run_project, "stock-jieba-whoosh": run_stock, "sqlite-fts5-trigram": run_fts5}


def child(engine: str, lib_dir: Path, n: int) -> None:
    work = Path(os.environ.get("TMPDIR", "/tmp")) / f"jianbao-bench-{engine}-{os.getpid()}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    try:
        out = ENGINES[engine](lib_dir, work, n)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    out["peak_rss_mb"] = peak_rss_mb()
    out["per_query_ms"] = PER_QUERY_MS
    print(json.dumps(out, ensure_ascii=False))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--items", type=int, default=1000)
    ap.add_argument("--engines", default=",".join(ENGINES))
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--lib", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args.child, args.lib, args.items)
        return
    lib_dir = build(args.items, DATA / f"lib-{args.items}")
    results = {}
    for engine in args.engines.split(","):
        r = subprocess.run([sys.executable, "-m", "benchmarks.search", "--items", str(args.items), "--child", engine,
                            "--lib", str(lib_dir)], capture_output=True, text=True, check=False)
        if r.returncode:
            print(f"{engine} failed:\n{r.stderr[-2000:]}", file=sys.stderr)
            continue
        results[engine] = json.loads(r.stdout.strip().splitlines()[-1])
    target = TARGETS.get(args.items, {})
    with Library(lib_dir) as lib:
        n_items = lib.counts()["items"]
    print(f"\nSearch benchmark, {n_items} items ({os.cpu_count()} cores)")
    cols = ["build_s", "build_mb_s", "new_issue_s", "cold_first_query_ms", "p50_ms", "p95_ms", "index_mb", "peak_rss_mb"]
    print(f"{'engine':<22}" + "".join(f"{c:>20}" for c in cols))
    for engine, r in results.items():
        print(f"{engine:<22}" + "".join(f"{r[c]:>20.3f}" for c in cols))
    print(f"{'target':<22}" + "".join(f"{target.get(c) if target.get(c) is not None else '-':>20}" for c in cols))
    if "project" in results:
        print("\nItems found per query (the project's count is exact; others differ = missed or wrong), "
              "and median ms:")
        for q in QUERIES:
            print(f"  {q:<26}" + "  ".join(
                f"{e}={results[e]['hits'].get(q)} ({results[e].get('per_query_ms', {}).get(q, 0):.0f} ms)"
                for e in results))
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"search-{args.items}.json"
    out.write_text(json.dumps({"items": n_items, "cores": os.cpu_count(), "targets": target, "results": results},
                              ensure_ascii=False, indent=1))
    print(f"\nwritten to {out.relative_to(Path.cwd()) if out.is_relative_to(Path.cwd()) else out}")


if __name__ == "__main__":
    main()
