"""End to end: closing the window ends the app, whatever dialog is still open."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

from tests.conftest import ROOT

pytestmark = [pytest.mark.e2e, pytest.mark.gui]

# An error from a thread is being shown while the app is not the active one (the user is in
# another program), and the window is closed as the start-up probe closes it; no one answers the
# box offscreen. A box without a parent would be a window of its own and keep the app alive.
SCRIPT = textwrap.dedent("""
    import faulthandler, sys, threading
    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtWidgets import QApplication
    from jianbao.desktop import app as app_mod, safety
    from jianbao.desktop.mainwindow import MainWindow
    from jianbao.index.store import Library

    faulthandler.dump_traceback_later(40, exit=True)
    folder = sys.argv[1]
    app = app_mod.make_app([sys.argv[0]])
    QApplication.activeWindow = staticmethod(lambda: None)  # another program has the focus
    safety.install_excepthook(safety.setup_logging(folder))
    lib = Library(folder)
    win = MainWindow(lib, QSettings(folder + "/window.ini", QSettings.Format.IniFormat))
    win.show()

    def error_in_a_thread():
        raise RuntimeError("an error in a thread")

    def box():
        QTimer.singleShot(500, win.close)
        threading.Thread(target=error_in_a_thread).start()

    QTimer.singleShot(0, box)
    code = app.exec()
    lib.close()
    print("ended", code)
""")


def test_closing_the_window_ends_the_app_with_a_box_still_open(tmp_path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(tmp_path / "cfg")}
    r = subprocess.run([sys.executable, "-c", SCRIPT, str(tmp_path / "lib")], cwd=ROOT, env=env,
                       capture_output=True, text=True, timeout=90)
    assert r.returncode == 0 and "ended 0" in r.stdout, r.stderr[-6000:]
