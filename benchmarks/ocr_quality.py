"""OCR quality: typeset issues scanned at 200 dpi, items fully right and CER against the oracle.

    python -m benchmarks.ocr_quality [--variants] [--cache DIR]

Scans every PDF of ../shared/corpus-typeset (and, with --variants, the house styles C–F in
tests/fixtures/variants/, which the OCR reader was not tuned on) as a scanner would (JPEG pages at
200 dpi in a PDF), recognises it, parses it and scores it as tests/index/test_ocr.py does. With
--cache, recognition results are kept in DIR, so a second run measures the layout and the parser
alone in seconds.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from jianbao.index import scanned
from jianbao.index.readers import ReadContext
from tests.index.ocr_eval import scan_pdf, score

ROOT = Path(__file__).resolve().parent.parent
SHARED = next((d / "shared" for d in (ROOT.parent, ROOT.parent.parent) if (d / "shared").is_dir()), ROOT.parent / "shared")
VARIANTS = ROOT / "tests" / "fixtures" / "variants"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--variants", action="store_true", help="the house styles C–F as well")
    ap.add_argument("--cache", type=Path, help="keep recognition results here")
    args = ap.parse_args()
    pdfs = sorted((SHARED / "corpus-typeset").glob("*.pdf"))
    if args.variants:
        pdfs += sorted(VARIANTS.glob("*.pdf"))
    if not pdfs:
        raise SystemExit("no typeset PDFs: ../shared/corpus-typeset is not beside the repository")
    with tempfile.TemporaryDirectory() as tmp:
        cache = str(args.cache or tmp)
        right = items = errors = chars = 0
        start = time.perf_counter()
        for pdf in pdfs:
            doc = scanned.read_scan(scan_pdf(pdf), f"{pdf.stem}.scan.pdf", ReadContext(cache_dir=cache))
            s = score(scanned.parse_scan(doc), pdf.stem)
            right, items, errors, chars = right + s.right, items + s.items, errors + s.errors, chars + s.chars
            print(f"{pdf.parent.name}/{pdf.stem:<12} {s}", flush=True)
            for title in s.wrong:
                print(f"    wrong: {title}")
    print(f"all: items {right}/{items} ({right / items:.1%}), CER {errors / chars:.3%}  "
          f"({time.perf_counter() - start:.0f} s)")


if __name__ == "__main__":
    main()
