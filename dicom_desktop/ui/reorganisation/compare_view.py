"""« Comparer avec l’organisation actuelle »: the shown scenario's changes, on the chart and in a list.

When on (Affichage menu, scenarios dock), each changed box gets a halo and a short badge in the
colour of its main change (:data:`CHANGE_STYLES`, legend in the « Changements » dock), removed
and merged entities are drawn ghosted near where they were, and the dock lists every change
(``Change.describe()``); clicking a line selects its box(es). Everything is recomputed after each
edit, so the comparison follows the user while the scenario is being worked on.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QPointF, QRectF, QSizeF, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QColor, QIcon, QPainterPath, QPen, QPixmap
from PySide6.QtWidgets import (
    QDockWidget, QGraphicsPathItem, QLabel, QListWidget, QListWidgetItem, QMainWindow, QVBoxLayout, QWidget,
)

from dicom_desktop.chart.geometry import measure_box
from dicom_desktop.comparison.change_styles import box_marks, legend_items, style_of
from dicom_desktop.scenarios import compare_with_current
from dicom_desktop.ui.chart.chart_scene import ChartScene
from dicom_desktop.ui.chart.chart_view import ChartView
from dicom_desktop.ui.editor import EditorController, make_dock
from dicom_desktop.wording import plural

if TYPE_CHECKING:  # the diff engine is imported when a comparison is first shown, not at start-up
    from dicom_desktop.comparison.diff import EntityRemoved, OrgDiff

IDS_ROLE = Qt.ItemDataRole.UserRole
LOW_WINDOW = 800  # below this window height the « Changements » dock is tabbed with the panels above


def legend_html() -> str:
    """The badges in their colours, compact (the long meanings are the label's tooltip)."""
    chips = []
    for style in legend_items():
        chips.append(f'<span style="background-color:{style.color}; color:#ffffff; font-weight:bold;">'
                     f"&nbsp;{style.badge}&nbsp;</span>")
    return "<b>Légende :</b> " + " ".join(chips)


def legend_tooltip() -> str:
    """The meanings, and how ghosts and « +N » read (kept out of the dock: the list needs the height)."""
    return "\n".join([f"{style.badge} : {style.legend}" for style in legend_items()]
                     + ["Pointillés estompés : entité qui n’existe plus dans le scénario.",
                        "« +N » : autres changements de la même entité (voir la liste)."])


def _swatch(color: str) -> QIcon:
    pix = QPixmap(12, 12)
    pix.fill(QColor(color))
    return QIcon(pix)


class ChangesPanel(QWidget):
    """Legend, summary and the list of changes (one ``describe()`` line each)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.summary = QLabel()
        self.summary.setObjectName("changesSummary")
        self.summary.setWordWrap(True)
        self.list = QListWidget()
        self.list.setObjectName("changesList")
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        self.legend = QLabel(legend_html())
        self.legend.setObjectName("changesLegend")
        self.legend.setWordWrap(True)
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.legend.setToolTip(legend_tooltip())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.summary)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.legend)

    def show_diff(self, diff: OrgDiff | None, message: str = "") -> None:
        self.list.clear()
        if diff is None:
            self.summary.setText(message)
            return
        n = len(diff)
        # Short: the banner over the chart already says « comparé à l’organisation actuelle ».
        self.summary.setText(message or (f"{plural(n, 'changement')} :" if n else
                                         "Aucun changement par rapport à l’organisation actuelle."))
        for change in diff.changes:
            style = style_of(change)
            item = QListWidgetItem(_swatch(style.color), change.describe())
            item.setData(IDS_ROLE, list(change.entity_ids()))
            item.setToolTip(change.describe())
            self.list.addItem(item)


class CompareController(QObject):
    """Owns the comparison state: the action, the dock, the marks it put on the chart.

    ``reveal(entity_id)`` shows a box hidden by a collapse or a focus (the window's)."""

    changed = Signal()  # on/off or another diff: the banner's words changed

    def __init__(self, editor: EditorController, view: ChartView, scene: ChartScene,
                 reveal: Callable[[str], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = editor
        self.view = view
        self.scene = scene
        self.reveal = reveal
        self.enabled = False
        self.diff: OrgDiff | None = None
        self._marked: set[str] = set()
        self._ghost_links: list[QGraphicsPathItem] = []
        self.action = QAction("&Comparer avec l’organisation actuelle", self)
        self.action.setObjectName("compareAction")
        self.action.setCheckable(True)
        self.action.setStatusTip("Marquer sur l’organigramme ce que le scénario affiché change")
        self.action.toggled.connect(self.set_enabled)
        self.panel = ChangesPanel(parent)
        self.panel.list.itemClicked.connect(self._clicked)
        self.panel.list.itemActivated.connect(self._clicked)
        self.dock = make_dock("Changements", "changesDock", self.panel, parent)
        self.dock.hide()
        self.dock.visibilityChanged.connect(lambda shown: shown and QTimer.singleShot(30, self.give_list_room))
        scene.rebuilt.connect(self._place_ghosts)
        editor.documentChanged.connect(self.refresh)  # the comparison follows every edit
        editor.documentReplaced.connect(self.refresh)

    # ------------------------------------------------------------------ on / off
    def set_enabled(self, on: bool) -> None:
        on = bool(on)
        if on != self.action.isChecked():
            self.action.setChecked(on)  # re-enters through toggled
            return
        self.enabled = on
        if on:
            self.dock.show()
            self.dock.raise_()
            self.refresh()
            # Ghosts of removed entities lie beside the chart: show them too, once the dock
            # has taken its room from the view.
            self.give_list_room()
            self.fit_with_ghosts()
            QTimer.singleShot(0, self._after_dock_shown)
        else:
            self._clear_marks()
            self.diff = None
            self.panel.show_diff(None, "")
            self.dock.hide()
        self._update_banner()

    def banner_text(self) -> str:
        if not self.enabled or self.diff is None:
            return ""
        n = len(self.diff)
        return f"comparé à l’organisation actuelle : {plural(n, 'changement')}"

    def _update_banner(self) -> None:
        self.changed.emit()

    # ------------------------------------------------------------------ computing
    def refresh(self, *_args) -> None:
        """Recompute the diff for the variant on screen and mark the chart (after every change)."""
        if not self.enabled:
            return
        doc = self.editor.doc
        self._clear_marks()
        if doc.active_scenario is None:
            self.diff = None
            self.panel.show_diff(None, "Affichez un scénario (dock « Scénarios ») pour voir ce qu’il change "
                                       "par rapport à l’organisation actuelle.")
        else:
            self.diff = compare_with_current(doc)
            grown = self.diff is not None and len(self.diff) != self.panel.list.count()
            self.panel.show_diff(self.diff)
            if grown:
                QTimer.singleShot(0, self.give_list_room)
            self._mark_boxes()
            self._place_ghosts()
        self._update_banner()

    def _mark_boxes(self) -> None:
        scene, graph = self.scene, self.editor.doc.graph
        for entity_id, (text, color) in box_marks(self.diff, graph.__contains__).items():
            scene.set_highlight(entity_id, color)
            scene.set_badge(entity_id, text, color)
            self._marked.add(entity_id)

    def _clear_marks(self) -> None:
        scene = self.scene
        for entity_id in self._marked:
            scene.set_highlight(entity_id, None)
            scene.set_badge(entity_id, None)
        self._marked = set()
        scene.clear_ghosts()
        self._remove_ghost_links()

    # ------------------------------------------------------------------ ghosts
    def _remove_ghost_links(self) -> None:
        for item in self._ghost_links:
            try:
                if item.scene() is not None:
                    item.scene().removeItem(item)
            except RuntimeError:  # already deleted with the previous scene contents
                pass
        self._ghost_links = []

    def _connect_ghost(self, parent: str | None, ghost: QRectF) -> None:
        """A dashed grey connector from the former parent to the ghost: « it hung here »."""
        scene = self.scene
        item = scene.item_for(parent) if parent else None
        if item is None:
            return
        box = item.mapRectToScene(item.box_rect())
        path = QPainterPath()
        bus = self._bus_end(parent)  # continue the former siblings' bus when there is one
        if scene.orientation == "left-right":
            end = QPointF(ghost.left(), ghost.center().y())
            start = QPointF(*bus) if bus else QPointF(box.right(), box.center().y())
            middle = start.x() if bus else max(start.x() + 8, end.x() - 14)
            path.moveTo(start)
            path.lineTo(middle, start.y())
            path.lineTo(middle, end.y())
            path.lineTo(end)
        else:
            end = QPointF(ghost.center().x(), ghost.top())
            start = QPointF(*bus) if bus else QPointF(box.center().x(), box.bottom())
            middle = start.y() if bus else max(start.y() + 8, end.y() - 14)
            path.moveTo(start)
            path.lineTo(start.x(), middle)
            path.lineTo(end.x(), middle)
            path.lineTo(end)
        link = QGraphicsPathItem(path)
        link.setPen(QPen(QColor("#9aa3ad"), 1.2, Qt.PenStyle.DashLine))
        link.setZValue(-0.9)
        link.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        scene.addItem(link)
        self._ghost_links.append(link)

    def _bus_end(self, parent: str) -> tuple[float, float] | None:
        """The bend point of the connector to ``parent``'s last (non-staff) child, if drawn."""
        layout = self.scene.layout_result
        graph = self.editor.doc.graph
        if layout is None or parent not in graph:
            return None
        kids = [k for k in graph.children_map()[parent] if not graph.entity(k).staff]
        for connector in reversed(layout.connectors):
            if connector.parent == parent and kids and connector.child == kids[-1] and len(connector.points) >= 3:
                return connector.points[-2]
        return None

    def _place_ghosts(self) -> None:
        """Removed entities, faded, near their former parent (after every rebuild)."""
        scene = self.scene
        scene.clear_ghosts()
        self._remove_ghost_links()
        if not self.enabled or self.diff is None:
            return
        taken: list[QRectF] = []
        extent = scene.sceneRect()
        for change in self.diff.removed():
            style = style_of(change)
            e = change.entity
            content = measure_box(e.name, e.head_title, e.head_name, e.vacant)
            size = QSizeF(content.width, content.height)
            pos = self._free_spot(change, size, taken)
            scene.add_ghost_box(e, pos, style.badge, style.color)
            self._connect_ghost(change.parent, QRectF(pos, size))
            rect = QRectF(pos, size)
            taken.append(rect.adjusted(-10, -14, 10, 10))
            extent = extent.united(rect.adjusted(-40, -40, 40, 40))
        scene.setSceneRect(extent)

    def _free_spot(self, change: EntityRemoved, size, taken: list[QRectF]) -> QPointF:
        """A place near the former parent (beside its children row, else below or beside it)
        that hides no box and no other ghost."""
        scene = self.scene
        layout = scene.layout_result
        gap = 18.0
        w, h = size.width(), size.height()
        candidates: list[QPointF] = []
        anchors = [change.parent] + ([change.survivor_id] if getattr(change, "survivor_id", "") else [])
        for anchor in anchors:
            item = scene.item_for(anchor) if anchor else None
            if item is None:
                continue
            box = item.mapRectToScene(item.box_rect())
            graph = self.editor.doc.graph
            kids = [scene.item_for(k) for k in graph.children_map().get(anchor, [])
                    if not graph.entity(k).staff]
            kids = [k.mapRectToScene(k.box_rect()) for k in kids if k is not None]
            if scene.orientation == "left-right":
                x = (min(k.left() for k in kids) if kids else box.right() + 40)
                y = (max(k.bottom() for k in kids) + gap) if kids else box.top()
                candidates += [QPointF(x, y), QPointF(box.left(), box.bottom() + gap)]
            else:
                y = (min(k.top() for k in kids) if kids else box.bottom() + 40)
                right = max(k.right() for k in kids) if kids else box.left() - gap - w
                left = min(k.left() for k in kids) if kids else box.right() + gap
                candidates += [QPointF(right + gap, y), QPointF(left - gap - w, y),
                               QPointF(box.right() + gap, box.top()), QPointF(box.left() - gap - w, box.top())]
        bottom = layout.height if layout is not None else 0.0
        candidates.append(QPointF(0, bottom + 30))
        for base in list(candidates):
            for step in range(1, 12):  # then further away, below the first choices
                candidates.append(base + QPointF(0, step * (h + gap)))
        for pos in candidates:
            rect = QRectF(pos, size).adjusted(-6, -10, 6, 6)
            if any(rect.intersects(t) for t in taken):
                continue
            if scene.boxes_in(rect):
                continue
            return pos
        return QPointF(0, bottom + 30 + len(taken) * (h + gap))

    # ------------------------------------------------------------------ list → chart
    def _clicked(self, item: QListWidgetItem) -> None:
        ids = item.data(IDS_ROLE) or []
        present = [i for i in ids if i in self.editor.doc.graph]
        if present:
            self.reveal(present[0])
            self.editor.selection.set(present, present[0])
            self.view.ensure_entity_visible(present[0])
            return
        for ghost in self.scene.ghosts():  # a removed entity: show its ghost
            if ghost.entity_id in ids:
                self.view.ensureVisible(ghost.sceneBoundingRect(), 40, 40)
                self.editor.show_status(f"« {ghost.entity.name} » n’existe plus dans ce scénario "
                                               "(dessinée en fantôme).", 6000)
                return

    def _after_dock_shown(self) -> None:
        self.give_list_room()
        self.fit_with_ghosts()

    def give_list_room(self) -> None:
        """The « Changements » dock as tall as its lines need (at most 60 % of the window); on a
        low screen, where the panels above it cannot shrink enough, it becomes their front tab."""
        panel, window = self.panel, self.dock.parentWidget()
        if not self.dock.isVisible() or self.dock.isFloating() or not isinstance(window, QMainWindow):
            return
        neighbour = window.findChild(QDockWidget, "attributionsDock")
        if (window.height() < LOW_WINDOW and neighbour is not None and neighbour.isVisible()
                and window.dockWidgetArea(neighbour) == window.dockWidgetArea(self.dock)
                and self.dock not in window.tabifiedDockWidgets(neighbour)):
            window.tabifyDockWidget(neighbour, self.dock)
            self.dock.raise_()
            return
        panel.list.doItemsLayout()  # rows wrapped to the list's present width
        rows = sum(panel.list.visualItemRect(panel.list.item(i)).height() for i in range(panel.list.count()))
        # What the dock has around the list (title, summary, legend, margins), measured as laid out.
        overhead = self.dock.height() - panel.list.viewport().height()
        needed = overhead + rows + 4
        window.resizeDocks([self.dock], [min(needed, int(window.height() * 0.6))], Qt.Orientation.Vertical)

    def fit_with_ghosts(self) -> None:
        """Fit the view on the boxes and the ghosts (comparison turned on, screenshots)."""
        self.view.fit_chart()  # the scene's chart_rect() includes the ghosts
