"""The shared segmenter: one per process, used by the search thread and the write lane at once."""

from __future__ import annotations

import threading

from jianbao.index.segment import segmenter, words


def test_words_added_while_another_thread_segments():
    # rjieba segments without the GIL; adding a user word meanwhile raised "Already borrowed".
    seg = segmenter()
    text = "产业技术创新战略联盟试点工作简报" * 500
    errors: list[BaseException] = []
    stop = threading.Event()

    def segment() -> None:
        while not stop.is_set():
            try:
                list(words(text, seg))
            except RuntimeError as e:  # pragma: no cover - the failure this test exists for
                errors.append(e)
                return

    threads = [threading.Thread(target=segment) for _ in range(2)]
    for t in threads:
        t.start()
    try:
        for i in range(1500):
            segmenter(user_words=[f"测试新词{i}号"])
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert errors == []
    assert ("测试新词7号", 0, 6) in list(words("测试新词7号", seg, mode="default"))
