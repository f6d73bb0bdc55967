"""Scanned bulletins through offline OCR: lines with layout cues, import, marks, cache, cancel.

The recognition tests run the real models (a few pages: tens of seconds on two busy cores) with
the network blocked. The full scanned issues from ../shared run one issue by default and all of
them with JIANBAO_OCR_ALL=1.
"""

from __future__ import annotations

import json
import os
import random
import socket
from pathlib import Path

import pytest

from jianbao.index import cli, importer, scanned
from jianbao.index.errors import Cancelled
from jianbao.index.readers import ReadContext, ocr
from jianbao.index.store import Library
from jianbao.index.text import compact
from tests.conftest import ROOT, truth
from tests.index.ocr_eval import levenshtein, plain, reference_items, scan_pdf, score

FIXTURES = ROOT / "tests" / "fixtures" / "ocr"
SCAN_P3 = FIXTURES / "001_styleA_p3.scan.pdf"  # page 3 of 001 style A at 200 dpi, JPEG
PAGES = FIXTURES / "pages"  # pages 1, 3 and 4 of the same, bilevel PNG at 200 dpi
# ../shared beside the repository (a worktree sits one level deeper: try the level above too)
SHARED = next((d / "shared" for d in (ROOT.parent, ROOT.parent.parent) if (d / "shared").is_dir()), ROOT.parent / "shared")
TYPESET = SHARED / "corpus-typeset"
needs_shared = pytest.mark.skipif(not TYPESET.is_dir(), reason="../shared/corpus-typeset is not beside the repository")
TRUTH_001 = truth("001_12ead631a97e2b81.txt")


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing may be fetched at run time: any connection attempt fails the test."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"network access during OCR: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> str:
    return str(tmp_path_factory.mktemp("ocr-cache"))


# --------------------------------------------------------------------------- without the models


@pytest.mark.parametrize(
    ("raw", "want"),
    [
        ("近日,联盟召开会议:会上", "近日，联盟召开会议：会上"),
        ("(联盟秘书处供稿)", "（联盟秘书处供稿）"),
        ("ISO/IEC 29167-16:2022", "ISO/IEC 29167-16:2022"),
        ("共2,000家", "共2,000家"),
        ("标准(a)与(b)", "标准（a）与（b）"),
        ("MIM&AM (metal injection)", "MIM&AM (metal injection)"),
        ("?2022-2023年度评价启动", "◆ 2022-2023年度评价启动"),
        (">重要政策动态", "➤ 重要政策动态"),
        ("一8一", "— 8 —"),
        ("—12-", "— 12 —"),
        ("· 2·", "· 2 ·"),  # not a bullet (house style F's page numbers)
        ("·4", "· 4 ·"),  # one of its dots lost
        ("是否?是", "是否？是"),
    ],
)
def test_punctuation_is_full_width_in_chinese_text(raw: str, want: str) -> None:
    assert ocr.normalise_punct(raw) == want


@pytest.mark.parametrize(
    ("raw", "want"),
    [
        # the inner title marks, read as ASCII angles or as a second 《》 (003 style B, scanned)
        ("《国务院关于修改<国家科学技术奖励条例>的决定》", "《国务院关于修改〈国家科学技术奖励条例〉的决定》"),
        ("公布《关于修改《奖励条例》的决定》（简称《决定》）", "公布《关于修改〈奖励条例〉的决定》（简称《决定》）"),
        ("《国务院关于修改（国家科学技术奖励条例》的决定》", "《国务院关于修改〈国家科学技术奖励条例〉的决定》"),
        ("公布《关于修改（奖励条例〉的决定》（简称《决定》）", "公布《关于修改〈奖励条例〉的决定》（简称《决定》）"),
        ("《国务院关于修改《国家科学技术奖励条例>的决定》", "《国务院关于修改〈国家科学技术奖励条例〉的决定》"),
        ("《条例（草案）》", "《条例（草案）》"),
        ("（x > 2）和《A》", "（x > 2）和《A》"),
        ("《A》和《B》", "《A》和《B》"),
        ("见《关于修改《奖励条例", "见《关于修改《奖励条例"),  # runs on to the next line: left alone
        ("x < 3 and y > 2", "x < 3 and y > 2"),
        # a stroke read as a bar (the title of 001 style A, detected at 1,280 px)
        ("科技创新引|领九大工作部署", "科技创新引领九大工作部署"),
        ("动态 | 2023", "动态 | 2023"),
    ],
)
def test_recognition_slips_in_chinese_punctuation_are_undone(raw: str, want: str) -> None:
    assert ocr.normalise_punct(raw) == want


def test_edit_distance() -> None:
    def dp(a: str, b: str) -> int:
        row = list(range(len(b) + 1))
        for i, ca in enumerate(a, 1):
            prev, row[0] = row[0], i
            for j, cb in enumerate(b, 1):
                prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
        return row[-1]

    rnd = random.Random(7)
    for _ in range(300):
        a = "".join(rnd.choice("联盟科技ab") for _ in range(rnd.randint(0, 90)))
        b = "".join(rnd.choice("联盟科技ab") for _ in range(rnd.randint(0, 90)))
        assert levenshtein(a, b) == dp(a, b)


def _box(x0: float, top: float, x1: float, bottom: float, text: str) -> tuple:
    return (x0, top, x1, bottom, text, 0.99)


def test_boxes_become_lines_with_cues(monkeypatch: pytest.MonkeyPatch) -> None:
    """Synthetic recognition (200 dpi, 12 pt body = 33 px a character): boxes on one baseline join,
    lines come top to bottom, sizes, indent, alignment and block ends are measured."""
    import numpy as np

    body = "产业技术创新战略联盟试点工作简报正文内容产业技术创新战略联盟试点工作简报正文"  # 38 characters
    assert len(body) == 38

    def line(x0: float, top: float, text: str, pitch: float = 33, height: float = 31) -> tuple:
        return _box(x0, top, x0 + len(text) * pitch, top + height, text)

    # boxes as the detector draws them: about 0.9 em high (31 px for 12 pt, 35 px for 14 pt)
    boxes = [
        line(487, 300, "中央经济工作会议明确科技创新引领九大部署", 39, 35),  # title: 14 pt, centred
        line(316, 400, body[:36]),  # indented first line
        line(250, 460, body),
        line(250, 520, body[:10]),  # last line of the paragraph, short
        line(316, 580, body[:36]),
        line(250, 640, body),
        line(250, 700, "联络组办公"),
        line(1207, 701, "2024年1月10日", 33, 30),  # same baseline, far right: a line of its own, as in a PDF
        line(250, 760, body),
    ]
    monkeypatch.setattr(ocr, "recognise", lambda arr, ctx: list(reversed(boxes)))
    lines = ocr.ocr_page_lines(np.full((2339, 1654), 255, dtype=np.uint8), 3, 200, ReadContext())
    assert [ln.text[:6] for ln in lines] == ["中央经济工作", body[:6], body[:6], body[:6], body[:6], body[:6], "联络组办公",
                                             "2024年1", body[:6]]
    assert lines[7].text == "2024年1月10日" and lines[7].top == pytest.approx(lines[6].top, abs=1)
    title, first, full, short = lines[:4]
    assert title.size == 14.0 and first.size == full.size == 12.0
    assert title.align == "center" and title.trail
    assert first.lead and not full.lead and first.indent == pytest.approx(66 * 72 / 200, abs=0.1)
    assert not first.trail and not full.trail and short.trail
    assert all(ln.page == 3 and ln.source == "ocr" and ln.confidence == 0.99 for ln in lines)
    assert first.space_before == pytest.approx((400 - 335) * 72 / 200, abs=0.1)
    assert lines[6].trail and lines[7].trail and lines[7].align == "right"  # two cells of one row
    assert [ln.top for ln in lines] == sorted(ln.top for ln in lines)


def _page(monkeypatch: pytest.MonkeyPatch, boxes: list[tuple], page: int = 1) -> list:
    import numpy as np

    monkeypatch.setattr(ocr, "recognise", lambda arr, ctx: list(boxes))
    return ocr.ocr_page_lines(np.full((2339, 1654), 255, dtype=np.uint8), page, 200, ReadContext())


BODY = "产业技术创新战略联盟试点工作简报正文内容产业技术创新战略联盟试点工作简报正文"  # 38 characters


def test_a_short_last_line_in_a_taller_box_does_not_end_the_paragraph_early(monkeypatch: pytest.MonkeyPatch) -> None:
    """002 style B scanned: the box of a paragraph's 3-character last line (``机构。``) is a third
    higher than the body's; its size from that height must not end the paragraph a line early."""
    rows = [(316, 400, BODY[:36], 31)] + [(250, 460 + 60 * k, BODY, 31) for k in range(6)] + [(250, 820, "机构。", 42)]
    lines = _page(monkeypatch, [_box(x, top, x + len(t) * 33, top + h, t) for x, top, t, h in rows])
    assert [ln.trail for ln in lines] == [False] * 7 + [True]


def test_box_heights_are_read_at_this_documents_own_ratio(monkeypatch: pytest.MonkeyPatch) -> None:
    """Detected boxes 1.2 em high (another detector setting): a line of digits in the body's
    size, measured by its height only, is the body's size; the default factor made it 16 pt."""
    rows = [(250, 400 + 60 * k, BODY, 40) for k in range(8)] + [(250, 900, "2024年1月10日", 40)]
    lines = _page(monkeypatch, [_box(x, top, x + len(t) * 33, top + h, t) for x, top, t, h in rows])
    assert {ln.size for ln in lines} == {12.0}


def test_a_page_number_between_pages_does_not_end_a_paragraph(monkeypatch: pytest.MonkeyPatch) -> None:
    """``— 5 —`` at the foot of a page sits between a paragraph's last full line and its next
    line on the next page: the paragraph runs on (002 style B scanned lost an item to it)."""
    boxes = [_box(250, 460 + 60 * k, 250 + 38 * 33, 491 + 60 * k, BODY) for k in range(6)]
    boxes.append(_box(780, 2150, 900, 2181, "— 5 —"))
    page5 = _page(monkeypatch, boxes, page=5)
    page6 = _page(monkeypatch, [_box(250, 300, 250 + 38 * 33, 331, BODY), _box(250, 360, 250 + 10 * 33, 391, BODY[:10])], page=6)
    lines = page5 + page6
    ocr.layout(lines)
    assert [ln.trail for ln in lines] == [False] * 6 + [True] + [False, True]
    assert len({ln.paragraph for ln in lines if ln.text != "— 5 —"}) == 1


def test_boxes_that_overlap_on_a_character_read_it_once() -> None:
    row = [_box(400, 334, 980, 371, "中央经济工作会议明确科技创新引"), _box(960, 335, 1250, 371, "引领九大工作部署")]
    assert ocr._join(row) == "中央经济工作会议明确科技创新引领九大工作部署"
    apart = [_box(400, 334, 980, 371, "创新引"), _box(1000, 335, 1250, 371, "引领")]  # not overlapping: both are there
    assert ocr._join(apart) == "创新引引领"


def test_detection_runs_on_the_page_reduced_to_the_configured_side() -> None:
    """rapidocr 1.4 ignores det_limit_side_len for ``max`` and detects an A4 page at 200 dpi at
    2,000 px (2.1 s a page here against 0.7 s at 1,280)."""
    det = ocr._get_engine().text_det
    assert det.get_preprocess(2339).limit_side_len == ocr.DETECT_SIDE < 2000


# --------------------------------------------------------------------------- with the models


def test_scanned_pdf_imports_as_ocr_items(tmp_path: Path, cache: str, capsys: pytest.CaptureFixture[str]) -> None:
    lib = Library(tmp_path / "lib")
    got = []
    ctx = ReadContext(progress=lambda d, t, m: got.append((d, t)), cache_dir=cache)
    result = importer.import_file(lib, SCAN_P3, ctx)
    assert result.status == "added", result.message
    assert got[0] == (0, 1) and got[-1] == (1, 1)  # progress per page
    items = lib.items(body=True)
    assert items and all(it["ocr"] == 1 for it in items)
    first = items[0]
    want = TRUTH_001["items"][0]
    assert compact(first["title"]) == want["x_title_compact"]
    ref = reference_items("001")[0].body
    assert levenshtein(plain(first["body"]), plain(ref)) <= 0.01 * len(compact(ref))
    lib.close()
    # the CLI says it is OCR text
    assert cli.main(["--library", str(tmp_path / "lib"), "show", "--json", str(first["id"])]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["ocr"] is True
    assert cli.main(["--library", str(tmp_path / "lib"), "show", str(first["id"])]) == 0
    assert scanned.OCR_NOTE in capsys.readouterr().out
    # search finds it like any other item
    from jianbao.index.search import open_searcher

    with Library(tmp_path / "lib") as lib2, open_searcher(lib2) as s:
        assert first["id"] in {h.id for h in s.search("高水平科技自立自强", limit=None).hits}


def test_reimport_does_not_recognise_again(cache: str, monkeypatch: pytest.MonkeyPatch) -> None:
    data = SCAN_P3.read_bytes()
    first = ocr.read_scanned_pdf(data, SCAN_P3.name, ReadContext(cache_dir=cache))

    def fail(arr: object) -> list:
        raise AssertionError("recognised again despite the cache")

    monkeypatch.setattr(ocr, "_recognise_now", fail)
    again = ocr.read_scanned_pdf(data, SCAN_P3.name, ReadContext(cache_dir=cache))
    assert [ln.text for ln in again.lines] == [ln.text for ln in first.lines]
    assert again.ocr and again.original == data


def test_folder_of_page_images_is_one_issue(tmp_path: Path, cache: str) -> None:
    lib = Library(tmp_path / "lib")
    progress = list(lib.import_paths([PAGES]))
    results = [p.result for p in progress if p.result is not None]
    assert [r.status for r in results] == ["added"], results
    pages = [p.text for p in progress if p.result is None and "页" in p.text]
    assert pages[:3] == [f"pages：文字识别：第 {n}/3 页" for n in (1, 2, 3)]  # progress page by page
    issues = lib.issues()
    assert len(issues) == 1
    assert (issues[0]["year"], issues[0]["number"], issues[0]["total"], issues[0]["date"]) == (2023, 6, 71, "2024-01-10")
    items = lib.items(body=True)
    ref = reference_items("001")
    for got, want, r in zip(items[:3], TRUTH_001["items"][:3], ref[:3], strict=True):  # the pages hold items 1–3 whole
        assert compact(got["title"]) == want["x_title_compact"]
        assert got["section"] == want["section"]
        assert levenshtein(plain(got["body"]), plain(r.body)) <= 0.01 * len(compact(r.body))
    # the same folder again: nothing recognised, nothing changed
    again = [p.result for p in lib.import_paths([PAGES]) if p.result is not None]
    assert [r.status for r in again] == ["unchanged"]
    lib.close()


def test_cancel_mid_ocr_leaves_the_library_unchanged(tmp_path: Path, library: Library) -> None:
    before = library.counts()
    rev = library.rev
    calls = 0

    def cancelled() -> bool:
        nonlocal calls
        calls += 1
        return calls > 3  # a little way into the first page

    with pytest.raises(Cancelled):
        for _ in library.import_paths([PAGES], cancelled):
            pass
    assert library.counts() == before
    assert library.rev == rev


def test_not_a_bulletin_image_is_one_clear_line(tmp_path: Path, cache: str) -> None:
    from PIL import Image

    blank = tmp_path / "blank.png"
    Image.new("L", (400, 300), 255).save(blank)
    lib = Library(tmp_path / "lib")
    r = importer.import_file(lib, blank, ReadContext(cache_dir=cache))
    assert r.status == "failed" and "\n" not in r.message and "blank.png" in r.message
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    r = importer.import_file(lib, broken, ReadContext(cache_dir=cache))
    assert r.status == "failed" and "broken.jpg" in r.message
    assert lib.counts()["items"] == 0
    lib.close()


# --------------------------------------------------------------------------- against ../shared


def _pdf_reader_lines(pdf_path: Path, page_no: int) -> list[str]:
    """The page's lines as the PDF reader reads the typeset text layer (cells of a row apart)."""
    from jianbao.index.readers import pdf

    doc = pdf.read(pdf_path.read_bytes(), pdf_path.name, ReadContext())
    return [ln.text for ln in doc.lines if ln.page == page_no and ln.text.strip()]


def _text_layer_lines(pdf_path: Path, page_no: int) -> list[str]:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        tp = pdf[page_no - 1].get_textpage()
        text = tp.get_text_range()
    finally:
        pdf.close()
    return [ln.strip() for ln in text.replace("\r", "").split("\n") if ln.strip()]


@needs_shared
@pytest.mark.parametrize("style", ["A", "B"])
def test_page_image_has_the_typeset_page_structure(style: str, cache: str) -> None:
    """A rendered page recognised: the same lines as the PDF reader reads from the typeset text
    layer (within 1 % of the characters), with the title set apart (larger or bold) and the body's first line indented."""
    import pypdfium2 as pdfium

    path = TYPESET / f"001_style{style}.pdf"
    title_key = TRUTH_001["items"][0]["x_title_compact"]
    pdf = pdfium.PdfDocument(str(path))
    n_pages = len(pdf)
    pdf.close()
    page_no = next(p for p in range(1, n_pages + 1) if title_key in map(compact, _text_layer_lines(path, p)))
    want = _pdf_reader_lines(path, page_no)
    pdf = pdfium.PdfDocument(str(path))
    image = pdf[page_no - 1].render(scale=200 / 72).to_pil()
    pdf.close()
    lines = ocr.ocr_page_lines(image, page_no, 200, ReadContext(cache_dir=cache))
    got = [ln.text for ln in lines]
    assert len(got) == len(want), (got, want)
    errors = levenshtein(plain("".join(got)), plain("".join(want)))
    assert errors <= 0.01 * len(compact("".join(want)))
    # the first item on the page: its title is set apart from the body, the body starts indented
    # and runs on to the paragraph's last line, which ends its block
    title_at = [compact(t) for t in want].index(title_key)
    title = lines[title_at]
    body = lines[title_at + 1 : title_at + 6]
    assert title.trail and (title.bold or (title.size or 0) > (body[1].size or 0))
    assert not any(ln.bold for ln in body)
    assert body[0].lead and not any(ln.lead for ln in body[1:])
    assert not any(ln.trail for ln in body[:3])


def _issues() -> list[str]:
    if os.environ.get("JIANBAO_OCR_ALL"):
        return sorted(p.stem for p in TYPESET.glob("*.pdf"))
    return ["001_styleA"]


@needs_shared
@pytest.mark.parametrize("stem", _issues())
def test_scanned_issue_against_the_oracle(stem: str, tmp_path: Path, cache: str) -> None:
    """A typeset issue scanned (200 dpi, JPEG pages in a PDF): ≥ 95 % of items fully right, and a
    character error rate ≤ 1 % over the bodies."""
    data = scan_pdf(TYPESET / f"{stem}.pdf")
    doc = scanned.read_scan(data, f"{stem}.scan.pdf", ReadContext(cache_dir=cache))
    parsed = scanned.parse_scan(doc)
    s = score(parsed, stem)
    print(stem, s)
    assert s.item_rate >= 0.95, (str(s), s.wrong)
    assert s.cer <= 0.01, str(s)
