"""Small screens: the chart keeps most of the window, and a « focus chart » mode hides the panels.

On a laptop (1280×720, 1366×768) two dock columns side by side left the chart 500 px wide. At
the first show without a saved layout, a window narrower than :data:`COMPACT_WIDTH` stacks each
column's docks as tabs and narrows the columns, so the chart keeps at least
:data:`MIN_CHART_SHARE` of the width. The window never opens larger than the screen.
« Organigramme seul » (F11) hides every panel and brings back the ones that were shown.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSettings, QSize, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QMainWindow, QTabBar, QWidget

COMPACT_WIDTH = 1400  # below this window width the docks start tabified and narrow
MIN_CHART_SHARE = 0.6
LEFT_SHARE, RIGHT_SHARE = 0.14, 0.245  # of the window width, in compact mode


def initial_size(window: QMainWindow, wanted: tuple[int, int]) -> QSize:
    """``wanted``, but never larger than the screen's available area (title bar and panel kept)."""
    screen = window.screen()
    if screen is None:
        return QSize(*wanted)
    room = screen.availableGeometry()
    if room.width() < 400 or room.height() < 300:  # no real screen (offscreen capture): as asked
        return QSize(*wanted)
    return QSize(min(wanted[0], room.width() - 16), min(wanted[1], room.height() - 40))


def _docks(window: QMainWindow, area) -> list[QDockWidget]:
    return [d for d in window.findChildren(QDockWidget)
            if window.dockWidgetArea(d) == area and not d.isHidden() and not d.isFloating()]


def arrange_compact(window: QMainWindow, width: int) -> None:
    """Each dock column as one tab group (first dock in front), narrow: the chart gets the room."""
    columns = []
    for area, share in ((Qt.DockWidgetArea.LeftDockWidgetArea, LEFT_SHARE),
                        (Qt.DockWidgetArea.RightDockWidgetArea, RIGHT_SHARE)):
        docks = _docks(window, area)
        if not docks:
            continue
        first = docks[0]
        for dock in docks[1:]:
            window.tabifyDockWidget(first, dock)
        first.raise_()
        columns.append((first, int(width * share)))
    for bar in window.findChildren(QTabBar):  # « Plan », « Recherche »… whole, not « P… », « R… »
        bar.setElideMode(Qt.TextElideMode.ElideNone)
    if columns:
        window.resizeDocks([d for d, _ in columns], [w for _, w in columns], Qt.Orientation.Horizontal)


class SmallScreenSupport(QObject):
    """Compact docks at the first show of a narrow window; the « Organigramme seul » action."""

    def __init__(self, window: QMainWindow, view: QWidget, settings: QSettings) -> None:
        super().__init__(window)
        self.window = window
        self.view = view  # refitted after a compact arrangement
        self.settings = settings  # a restored window state wins over the compact arrangement
        self._arranged = False
        self._hidden_by_focus: list[QDockWidget] = []
        self.action = QAction("&Organigramme seul (masquer les panneaux)", window)
        self.action.setObjectName("focusChartAction")
        self.action.setCheckable(True)
        self.action.setShortcuts([QKeySequence(Qt.Key.Key_F11), QKeySequence("Ctrl+Shift+F")])
        self.action.setStatusTip("Masquer tous les panneaux pour donner toute la fenêtre à l’organigramme "
                                 "(F11 de nouveau pour les retrouver)")
        self.action.toggled.connect(self.set_focus_chart)
        window.addAction(self.action)
        window.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt API
        if obj is self.window and event.type() == QEvent.Type.Show and not self._arranged:
            self._arranged = True
            if not self._layout_was_restored() and self.window.width() < COMPACT_WIDTH:
                arrange_compact(self.window, self.window.width())
                QTimer.singleShot(0, self.view.fit_chart)  # the chart was fitted to the wider view of before
        return False

    def _layout_was_restored(self) -> bool:
        state = self.settings.value("window/state")
        return state is not None and hasattr(state, "isEmpty") and not state.isEmpty()

    def set_focus_chart(self, on: bool) -> None:
        """Hide every shown panel (remembered), or show them again."""
        if on:
            if self._hidden_by_focus:
                return
            docks = [d for d in self.window.findChildren(QDockWidget) if not d.isHidden()]  # tabs behind too
            self._front = [d for d in docks if not d.visibleRegion().isEmpty()]  # each group's front tab
            self._hidden_by_focus = docks
            for dock in docks:
                dock.hide()
            self.window.statusBar().showMessage("Organigramme seul : F11 pour retrouver les panneaux.", 6000)
        else:
            for dock in self._hidden_by_focus:
                dock.show()
            for dock in getattr(self, "_front", []):
                dock.raise_()
            self._hidden_by_focus, self._front = [], []
        if self.action.isChecked() != on:
            self.action.setChecked(on)
