"""Qt's own texts in Chinese: file dialogs, message box buttons, the print dialog, context menus.

PySide6 ships Qt's translations (``qtbase_zh_CN.qm``, ``qtbase_zh_TW.qm``); they are loaded for
the system locale, and for Chinese (Simplified) when the system speaks another language, since
the rest of the interface is Chinese. A few texts the shipped catalogue leaves in English are
filled in by :class:`_Gaps`.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

# Source texts qtbase_zh_CN.qm does not translate (Qt 6.7–6.11), as the Qt dialogs show them.
GAPS_ZH = {
    "&Look in:": "查找范围(&L)：",
    "Files of &type:": "文件类型(&T)：",
    "Page &Set:": "打印页面(&S)：",
}


class _Gaps(QTranslator):
    """Answers only for the texts in :data:`GAPS_ZH`; everything else goes to the next catalogue."""

    def translate(self, context: str, source: str, disambiguation: str | None = None, n: int = -1) -> str:
        return GAPS_ZH.get(source, "")

    def isEmpty(self) -> bool:
        return False


def ui_locale(system: QLocale | None = None) -> QLocale:
    """The system locale if it is Chinese, else Chinese (Simplified)."""
    loc = system or QLocale.system()
    if loc.language() == QLocale.Language.Chinese:
        return loc
    return QLocale(QLocale.Language.Chinese, QLocale.Country.China)


def translations_folder() -> Path:
    """Where Qt's .qm files are: Qt's own answer, else the PySide6 package (frozen bundles)."""
    folder = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
    if folder.is_dir():
        return folder
    import PySide6

    return Path(PySide6.__file__).parent / "Qt" / "translations"


def install_translations(app: QCoreApplication, system: QLocale | None = None) -> list[QTranslator]:
    """Load Qt's catalogues for :func:`ui_locale` into ``app``; returns the translators installed."""
    loc = ui_locale(system)
    QLocale.setDefault(loc)
    installed: list[QTranslator] = []
    traditional = loc.script() == QLocale.Script.TraditionalHanScript or loc.territory() in (
        QLocale.Country.Taiwan, QLocale.Country.HongKong, QLocale.Country.Macao)
    if not traditional:
        installed.append(_Gaps(app))  # installed first, so asked last
    folder = str(translations_folder())
    for name in ("qtbase", "qt"):  # qt_xx is a meta catalogue; in PySide6-Essentials only qtbase_xx loads
        t = QTranslator(app)
        if t.load(loc, name, "_", folder):
            installed.append(t)
    for t in installed:
        app.installTranslator(t)
    return installed
