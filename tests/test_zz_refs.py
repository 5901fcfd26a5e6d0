import datetime as dt, sys, gc
from PySide6.QtCore import QPoint, Qt
from tests.feedkit import FeedLab
from ui.kiosk_window import KioskWindow
from kiosk.app.session import HOME, START

def click(qtbot, b):
    qtbot.mouseClick(b, Qt.MouseButton.LeftButton)

def test_refs(qtbot, tmp_path):
    lab = FeedLab(tmp_path); lab.publish(); lab.sync()
    w = KioskWindow(lab.store, lab.store.gate("noi-bai"), today=lambda: dt.date(2026,12,1))
    w.resize(1280, 800); w.show(); qtbot.waitExposed(w)
    def drift(name, fn, n=50):
        gc.collect(); qtbot.wait(50)
        before = sys.getrefcount(True), sys.getrefcount(False)
        for _ in range(n): fn()
        gc.collect(); qtbot.wait(50)
        after = sys.getrefcount(True), sys.getrefcount(False)
        print("DRIFT", name, after[0]-before[0], after[1]-before[1], flush=True)
    kb = w.search_screen.keyboard
    drift("emit", lambda: kb.layout_changed.emit("en"))
    drift("page+build", lambda: (setattr(kb, "page", 0), kb._build()))
    drift("kb.set_language", lambda: kb.set_language("en"))
    drift("kb.build", lambda: kb._build())
    from PySide6.QtCore import QObject, Signal
    class O(QObject):
        s = Signal(str)
    o = O()
    drift("emit-plain", lambda: o.s.emit("en"))
    w.close(); lab.close()
