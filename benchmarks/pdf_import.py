"""PDF import benchmark, beside text import of the same issues.

    python -m benchmarks.pdf_import [--runs 7] [--issues 100] [--pages 500]

1. One 15-page issue (002_styleA.pdf from ../shared/corpus-typeset, else the 12-page fixture):
   median of ``--runs`` imports into a new library, beside the import of the same issue's text.
2. ``--issues`` PDF imports in a row into one library (the typeset PDFs in turn, each copy made
   distinct by a trailing comment so none is skipped as unchanged), in a child process, with its
   peak RSS.
3. A ``--pages``-page PDF (the issue's pages repeated, made with pypdf) read page by page: time and
   peak RSS of the child process (bounded memory: pages are closed as they are read).

Targets: a 15-page issue ≤ 1.0 s median; 100 PDF issues ≤ 60 s; peak RSS ≤ 300 MB.
"""

from __future__ import annotations

import argparse
import io
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"
SHARED = next((d / "shared" / "corpus-typeset" for d in (ROOT.parent, ROOT.parent.parent) if (d / "shared").is_dir()),
              ROOT.parent / "shared" / "corpus-typeset")
TARGETS = {"issue_s": 1.0, "100_issues_s": 60.0, "peak_rss_mb": 300.0}


def _pdfs() -> list[Path]:
    return sorted(SHARED.glob("*.pdf")) if SHARED.is_dir() else sorted((ROOT / "tests" / "fixtures" / "pdf").glob("*.pdf"))


def _one_issue() -> tuple[Path, Path]:
    pdfs = _pdfs()
    pdf = next((p for p in pdfs if p.name == "002_styleA.pdf"), pdfs[0])
    text = next((ROOT / "resources" / "corpus").glob(f"{pdf.name[:3]}_*.txt"))
    return pdf, text


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _import_once(path: Path) -> float:
    from jianbao.index.store import Library

    with tempfile.TemporaryDirectory() as tmp, Library(Path(tmp) / "lib") as lib:
        t0 = time.perf_counter()
        result = lib.import_file(path)
        dt = time.perf_counter() - t0
        assert result.status == "added", result
    return dt


def child_many(n: int) -> None:
    """Import ``n`` PDFs in a row into one library; print JSON (seconds, peak RSS)."""
    from jianbao.index.store import Library

    pdfs = _pdfs()
    datas = [p.read_bytes() for p in pdfs]
    statuses: dict[str, int] = {}
    with tempfile.TemporaryDirectory() as tmp, Library(Path(tmp) / "lib") as lib:
        t0 = time.perf_counter()
        for i in range(n):
            k = i % len(pdfs)
            data = datas[k] + f"\n% copy {i}\n".encode()
            r = lib.import_bytes(data, name=pdfs[k].name)
            statuses[r.status] = statuses.get(r.status, 0) + 1
        dt = time.perf_counter() - t0
    print(json.dumps({"seconds": dt, "peak_rss_mb": _peak_rss_mb(), "statuses": statuses}))


def child_big(pages: int) -> None:
    """Read one ``pages``-page PDF; print JSON (seconds, lines, peak RSS)."""
    from pypdf import PdfReader, PdfWriter

    from jianbao.index.readers import ReadContext, read

    src, _ = _one_issue()
    reader = PdfReader(src)
    writer = PdfWriter()
    while len(writer.pages) < pages:
        for page in reader.pages[: pages - len(writer.pages)]:
            writer.add_page(page)
    buf = io.BytesIO()
    writer.write(buf)
    data = buf.getvalue()
    del writer, reader, buf
    base = _peak_rss_mb()
    seen = []
    t0 = time.perf_counter()
    doc = read(data, "big.pdf", ReadContext(progress=lambda d, t, m: seen.append(d)))
    dt = time.perf_counter() - t0
    print(json.dumps({"pages": doc.pages, "seconds": dt, "lines": len(doc.lines), "progress_reports": len(seen),
                      "peak_rss_mb": _peak_rss_mb(), "rss_before_read_mb": base, "mb": len(data) / 1e6}))


def _child(*args: str) -> dict:
    out = subprocess.run([sys.executable, "-m", "benchmarks.pdf_import", *args], capture_output=True, text=True,
                         check=True, cwd=ROOT).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--issues", type=int, default=100)
    ap.add_argument("--pages", type=int, default=500)
    ap.add_argument("--child-many", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--child-big", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child_many:
        return child_many(args.child_many)
    if args.child_big:
        return child_big(args.child_big)

    pdf, text = _one_issue()
    import pypdfium2 as pdfium

    n_pages = len(pdfium.PdfDocument(pdf.read_bytes()))
    _import_once(pdf)  # warm up (imports, jieba-free: the store does not segment)
    pdf_times = [_import_once(pdf) for _ in range(args.runs)]
    text_times = [_import_once(text) for _ in range(args.runs)]
    many = _child("--child-many", str(args.issues))
    big = _child("--child-big", str(args.pages))
    results = {
        "issue": {"file": pdf.name, "pages": n_pages, "pdf_median_s": statistics.median(pdf_times),
                  "text_median_s": statistics.median(text_times), "runs": args.runs},
        "many": {"issues": args.issues, **many},
        "big": big,
    }
    print(f"One issue ({pdf.name}, {n_pages} pages), median of {args.runs} imports into a new library:")
    print(f"  {'':<22}{'seconds':>10}{'target':>10}")
    print(f"  {'PDF':<22}{results['issue']['pdf_median_s']:>10.3f}{TARGETS['issue_s']:>10}")
    print(f"  {'text of the same issue':<22}{results['issue']['text_median_s']:>10.3f}{'-':>10}")
    print(f"{args.issues} PDF issues in a row: {many['seconds']:.1f} s (target {TARGETS['100_issues_s']:.0f} s), "
          f"peak RSS {many['peak_rss_mb']:.0f} MB (target {TARGETS['peak_rss_mb']:.0f} MB), {many['statuses']}")
    print(f"{big['pages']}-page PDF read: {big['seconds']:.1f} s, {big['lines']} lines, {big['progress_reports']} progress "
          f"reports, peak RSS {big['peak_rss_mb']:.0f} MB (target {TARGETS['peak_rss_mb']:.0f} MB; "
          f"{big['rss_before_read_mb']:.0f} MB before reading, file {big['mb']:.1f} MB)")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "pdf_import.json").write_text(json.dumps({"targets": TARGETS, "results": results}, indent=1))


if __name__ == "__main__":
    main()
