"""Re-importing the same content keeps what was inferred for the issue."""

from __future__ import annotations

from tests.conftest import CORPUS_FILES


def test_reimporting_identical_content_keeps_the_inferred_total(library):
    before = {i["id"]: (i["year"], i["number"], i["total"], i["inferred"]) for i in library.issues()}
    guessed = [k for k, v in before.items() if v[3] and v[2]]
    assert guessed  # the sample has an inferred issue whose 总期 was worked out from its neighbours
    for f in CORPUS_FILES:  # the same text from a second file (other bytes: one more newline)
        r = library.import_bytes(f.read_bytes() + b"\n", name="copy-" + f.name)
        assert r.status == "unchanged"
    after = {i["id"]: (i["year"], i["number"], i["total"], i["inferred"]) for i in library.issues()}
    assert after == before
