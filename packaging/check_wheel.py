"""Check that a built wheel carries every file the app reads at run time.

    python packaging/check_wheel.py dist/jianbao-*.whl
"""

import sys
import zipfile

REQUIRED = [
    "jianbao/resources/alliances.json",
    "jianbao/resources/style.qss",
    "jianbao/resources/icons/jianbao.svg",
    "jianbao/resources/fonts/wqy-microhei.ttc",
    "jianbao/resources/fonts/LICENSE-wqy-microhei.txt",
    "jianbao/index/cli.py",
    "jianbao/index/readers/__init__.py",
    "jianbao/index/readers/docx.py",
    "jianbao/launcher.py",
    "jianbao/desktop/app.py",
]


def main(path: str) -> int:
    names = set(zipfile.ZipFile(path).namelist())
    missing = [r for r in REQUIRED if r not in names]
    corpus = [n for n in names if n.startswith("jianbao/resources/corpus/") and n.endswith(".txt")]
    if len(corpus) < 4:
        missing.append("jianbao/resources/corpus/*.txt (4 sample bulletins)")
    for m in missing:
        print(f"missing: {m}")
    print("ok" if not missing else f"{len(missing)} missing")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
