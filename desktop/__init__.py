"""jianbao desktop app (PySide6): a thin layer of views and Qt models over index/."""
