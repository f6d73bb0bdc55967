"""OCR benchmark: seconds per A4 page at 200 dpi and peak memory, for a scanned bulletin.

    python -m benchmarks.ocr [--pdf ../shared/corpus-typeset/001_styleA.pdf] [--pages 4]

Scans the typeset PDF (each page rendered at 200 dpi and stored as a JPEG in a PDF, as a scanner
makes it), then recognises the first N pages with no cache, in this process. Prints the model
load time, seconds per page and the peak RSS beside the targets (≤ 4 s per page, ≤ 800 MB), and
the load average, since two cores shared with other work make the timing noisy. Without
../shared it uses the repository's one-page fixture.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import tempfile
import time
from pathlib import Path

from jianbao.index.readers import ReadContext, ocr
from tests.index.ocr_eval import scan_pdf

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"
SHARED = next((d / "shared" for d in (ROOT.parent, ROOT.parent.parent) if (d / "shared").is_dir()), ROOT.parent / "shared")
DEFAULT_PDF = SHARED / "corpus-typeset" / "001_styleA.pdf"
FIXTURE = ROOT / "tests" / "fixtures" / "ocr" / "001_styleA_p3.scan.pdf"
TARGET_S, TARGET_MB = 4.0, 800


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pdf", type=Path, default=DEFAULT_PDF, help="a typeset PDF to scan")
    ap.add_argument("--pages", type=int, default=4)
    args = ap.parse_args()
    if args.pdf.exists():
        data = scan_pdf(args.pdf, pages=list(range(args.pages)))
        source = f"{args.pdf.name}, pages 1–{args.pages} scanned at 200 dpi"
    else:
        data = FIXTURE.read_bytes()
        source = f"{FIXTURE.name} (fixture)"
    load_before = os.getloadavg()
    warm = ocr.warm_up()
    with tempfile.TemporaryDirectory() as cache:
        times: list[float] = []
        last = [time.perf_counter()]

        def progress(done: int, total: int, _msg: str) -> None:
            now = time.perf_counter()
            if done:
                times.append(now - last[0])
            last[0] = now

        doc = ocr.read_scanned_pdf(data, "bench.pdf", ReadContext(progress=progress, cache_dir=cache))
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    load_after = os.getloadavg()
    per_page = sum(times) / len(times)
    print(f"OCR of {source}: {doc.pages} pages, {len(doc.lines)} lines")
    print(f"{'':<22}{'value':>10}{'target':>10}")
    print(f"{'model load s':<22}{warm:>10.2f}{'-':>10}")
    print(f"{'seconds per page':<22}{per_page:>10.2f}{TARGET_S:>10}")
    print(f"{'slowest page s':<22}{max(times):>10.2f}{'-':>10}")
    print(f"{'peak RSS MB':<22}{rss:>10.0f}{TARGET_MB:>10}")
    print(f"load average (1 min) before {load_before[0]:.2f}, after {load_after[0]:.2f} on {os.cpu_count()} cores")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "ocr.json").write_text(json.dumps({
        "source": source, "pages": doc.pages, "model_load_s": warm, "seconds_per_page": per_page,
        "page_seconds": times, "peak_rss_mb": rss, "loadavg_before": load_before, "loadavg_after": load_after,
    }, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
