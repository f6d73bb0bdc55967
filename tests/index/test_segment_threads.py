"""The segmenter is shared by threads: adding words while another thread tokenizes is safe."""

from __future__ import annotations

import threading

from jianbao.index.segment import segmenter, words


def test_adding_words_while_another_thread_tokenizes():
    seg = segmenter()
    errors: list[BaseException] = []
    stop = threading.Event()
    text = "产业技术创新战略联盟试点工作简报钒钛资源综合利用产业技术创新战略联盟" * 20

    def tokenize() -> None:
        try:
            while not stop.is_set():
                list(words(text, seg))
        except BaseException as e:  # "Already borrowed" from rjieba before the lock
            errors.append(e)

    t = threading.Thread(target=tokenize)
    t.start()
    try:
        for n in range(3000):
            seg.add_word(f"测试词{n}号")
    finally:
        stop.set()
        t.join()
    assert not errors, errors[0]
