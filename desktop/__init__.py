"""jianbao's desktop app (``jianbao.desktop``): PySide6 views and models over ``jianbao.index``."""
