"""The chart view: zoom, pan, rubber-band selection, keyboard navigation, in-place rename.

Zoom: mouse wheel (anchored under the pointer), Ctrl + / Ctrl −, « Ajuster à la fenêtre » (on a
huge chart: the head and the upper levels), « Tout afficher » (the whole chart).
Pan: scroll bars, middle-button drag, or Space + left drag. Arrows move the selection
(Up = parent, Down = first child, Left/Right = siblings): the view only emits ``navigate``;
the window decides where that leads from the model. Context menus are built by hooks:
``add_context_menu_hook(hook)`` with ``hook(menu, entity_ids)`` (entity under the pointer first).
"""

from __future__ import annotations

from collections.abc import Callable
from operator import add, itemgetter

from PySide6.QtCore import QPoint, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QPainter
from PySide6.QtWidgets import QFrame, QGraphicsView, QLineEdit, QMenu

from dicom_desktop.ui.chart.box_index import MARGIN
from dicom_desktop.ui.chart.chart_items import TEXT_LOD
from dicom_desktop.ui.chart.chart_scene import ChartScene

MIN_ZOOM, MAX_ZOOM = 0.03, 6.0
_X, _Y, _W, _H = itemgetter(1), itemgetter(2), itemgetter(3), itemgetter(4)  # of a layout Box
ZOOM_STEP = 1.25

ContextMenuHook = Callable[[QMenu, list], None]


class InlineRenameEditor(QLineEdit):
    """A line edit laid over a box: Enter commits, Escape or focus loss cancels/commits."""

    committed = Signal(str, str)  # entity id, new text

    def __init__(self, entity_id: str, text: str, parent) -> None:
        super().__init__(text, parent)
        self.entity_id = entity_id
        self._done = False
        self.selectAll()
        self.setObjectName("inlineRenameEditor")
        self.setStyleSheet("QLineEdit#inlineRenameEditor { border: 2px solid #e07b00; padding: 2px; }")

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.finish(commit=True)
            return
        if event.key() == Qt.Key.Key_Escape:
            self.finish(commit=False)
            return
        super().keyPressEvent(event)

    def focusOutEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().focusOutEvent(event)
        self.finish(commit=True)

    def finish(self, commit: bool) -> None:
        if self._done:
            return
        self._done = True
        text = self.text()
        self.hide()
        self.deleteLater()
        if commit:
            self.committed.emit(self.entity_id, text)


class ChartView(QGraphicsView):
    """QGraphicsView over a :class:`ChartScene` with editor-style navigation."""

    navigate = Signal(str)  # "up", "down", "left", "right"
    zoomChanged = Signal(float)
    renameCommitted = Signal(str, str)

    def __init__(self, scene: ChartScene, parent=None) -> None:
        super().__init__(scene, parent)
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing
                            | QPainter.RenderHint.SmoothPixmapTransform)
        self.setDragMode(QGraphicsView.DragMode.RubberBandDrag)
        self.setRubberBandSelectionMode(Qt.ItemSelectionMode.IntersectsItemShape)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.MinimalViewportUpdate)
        self.setOptimizationFlag(QGraphicsView.OptimizationFlag.DontAdjustForAntialiasing, True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setBackgroundBrush(Qt.GlobalColor.white)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._hooks: list[ContextMenuHook] = []
        self._pan_start: QPoint | None = None
        self._space_down = False
        self.editor: InlineRenameEditor | None = None
        self._levels: tuple | None = None  # (layout, level rects) for « Ajuster »
        self._places_before: dict | None = None
        scene.aboutToRebuild.connect(self._remember_places)
        scene.rebuilt.connect(lambda: QTimer.singleShot(0, self._keep_edited_in_view))
        self._band_from: QPoint | None = None  # where a left press fell (a rubber band may start)

    @property
    def space_down(self) -> bool:
        """Space is held: a left press pans the chart instead of grabbing a box."""
        return self._space_down

    def chart_scene(self) -> ChartScene:
        return self.scene()

    # ------------------------------------------------------------------ level of detail
    def paintEvent(self, event) -> None:  # noqa: N802 - Qt API
        """Before each frame: far out, the scene's overview draws the boxes (no per-box paint,
        no text) and antialiasing is off; close up, every visible box paints itself."""
        lod = abs(self.transform().m11()) or abs(self.transform().m12())
        far = lod < TEXT_LOD
        scene = self.scene()
        if isinstance(scene, ChartScene):
            if scene.overview.active != far:
                scene.set_overview(far)
            if not far:  # the boxes about to be painted paint themselves from now on
                scene.reveal(self.mapToScene(event.rect()).boundingRect())
        if far == bool(self.renderHints() & QPainter.RenderHint.Antialiasing):
            self.setRenderHint(QPainter.RenderHint.Antialiasing, not far)
        super().paintEvent(event)

    # ------------------------------------------------------------------ zoom
    def base_scale(self) -> float:
        """Pixels per point at « 100 % »: boxes then have their printed size on screen."""
        return max(self.logicalDpiX(), 72) / 72.0

    def zoom(self) -> float:
        """Zoom relative to the printed size (1.0 = 100 %).

        Rounded: repeated relative scale() calls accumulate float error, and 2.9999…% must read
        as the 3 % floor it is, not as below it.
        """
        return round(self.transform().m11() / self.base_scale(), 9)

    def set_zoom(self, factor: float, anchor_under_mouse: bool = False) -> None:
        factor = max(MIN_ZOOM, min(MAX_ZOOM, factor))
        ratio = factor / self.zoom()
        if abs(ratio - 1) < 1e-6:
            return
        old_anchor = self.transformationAnchor()
        if not anchor_under_mouse:
            self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.scale(ratio, ratio)
        self.setTransformationAnchor(old_anchor)
        self.zoomChanged.emit(self.zoom())

    def zoom_in(self) -> None:
        self.set_zoom(self.zoom() * ZOOM_STEP)

    def zoom_out(self) -> None:
        self.set_zoom(self.zoom() / ZOOM_STEP)

    def reset_zoom(self) -> None:
        self.set_zoom(1.0)

    def fit_chart(self) -> None:
        """« Ajuster à la fenêtre »: the whole chart when its text stays drawn; on a huge chart,
        the head and the upper levels (their names stay readable, see BoxOverviewItem)."""
        self.fit_rect(self.top_levels_rect())

    def fit_all(self) -> None:
        """« Tout afficher »: the whole chart, however small the boxes become."""
        self.fit_rect(self.chart_scene().chart_rect())

    def fit_zoom(self, rect: QRectF) -> float:
        """The zoom at which ``rect`` (scene coordinates) just fits the viewport."""
        if rect.isEmpty():
            return MAX_ZOOM
        vp = self.viewport().rect()
        return min(vp.width() / rect.width(), vp.height() / rect.height()) / self.base_scale()

    def top_levels_rect(self) -> QRectF:
        """What « Ajuster » shows: the whole chart if its text is drawn at the fitting zoom; else
        the boxes of the head and the deepest levels below it that still fit with text (at
        least the first level)."""
        scene = self.chart_scene()
        whole = scene.chart_rect()
        if whole.isEmpty() or self.fit_zoom(whole) >= TEXT_LOD:
            return whole
        levels = self._level_rects()
        best = levels[min(1, len(levels) - 1)]
        for rect in levels[2:]:
            if self.fit_zoom(rect) < TEXT_LOD:
                break
            best = rect
        return best

    def _level_rects(self) -> list[QRectF]:
        """[bounding rect of the boxes of depth ≤ k for k = 0, 1, …], cached per layout."""
        scene = self.chart_scene()
        layout = scene.layout_result
        if self._levels is not None and self._levels[0] is layout:
            return self._levels[1]
        graph = scene.current_graph()
        rects: list[list[float]] = []
        if layout is not None and graph is not None:
            depths = graph.depths()
            by_depth: dict[int, list] = {}  # boxes grouped first, bounds by C loops (100,000 boxes)
            get = depths.get
            for b in layout.boxes.values():
                found = by_depth.get(get(b[0], 0))
                if found is None:
                    by_depth[get(b[0], 0)] = [b]
                else:
                    found.append(b)
            for d in range(max(by_depth, default=-1) + 1):
                boxes = by_depth.get(d)
                if not boxes:
                    rects.append([float("inf"), float("inf"), float("-inf"), float("-inf")])
                    continue
                xs, ys = list(map(_X, boxes)), list(map(_Y, boxes))
                rects.append([min(xs), min(ys), max(map(add, xs, map(_W, boxes))), max(map(add, ys, map(_H, boxes)))])
        out: list[QRectF] = []
        acc = None
        for r in rects:
            if r[0] == float("inf"):
                continue
            acc = r[:] if acc is None else [min(acc[0], r[0]), min(acc[1], r[1]), max(acc[2], r[2]), max(acc[3], r[3])]
            out.append(QRectF(acc[0], acc[1], acc[2] - acc[0], acc[3] - acc[1]).adjusted(-12, -12, 12, 12))
        self._levels = (layout, out or [scene.chart_rect()])
        return self._levels[1]

    def fit_rect(self, rect) -> None:
        """Show all of ``rect`` (scene coordinates), centred, never magnified beyond 130 %."""
        if rect.isEmpty():
            return
        self.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)
        if self.zoom() > 1.3:
            self.set_zoom(1.3)
        self.centerOn(rect.center())
        self.zoomChanged.emit(self.zoom())

    def show_initial(self, root_id: str | None = None) -> None:
        """How a chart opens: as « Ajuster » shows it, so a large chart opens on its head and
        upper levels, never somewhere in the middle."""
        self.fit_chart()

    # ------------------------------------------------------------------ edits stay in view
    def _remember_places(self) -> None:
        self._places_before = self.chart_scene().placed_positions()

    def _keep_edited_in_view(self) -> None:
        """After a relayout, scroll (no zoom change) so that a selected box that moved or
        appeared, the edited or dropped one, is in view at its new place; nothing else moves the
        view, so before and after stay comparable by eye. Runs once the window has synced the
        selection; an open (nothing placed before) keeps its initial fit."""
        before, self._places_before = self._places_before, None
        scene = self.chart_scene()
        layout = scene.layout_result
        if not before or layout is None:
            return
        placed = scene.placed_positions()
        for entity_id in scene.selected_ids():
            where = placed.get(entity_id)
            if where is not None and before.get(entity_id) != where:
                box = layout.boxes[entity_id]
                self.ensureVisible(QRectF(box.x, box.y, box.w, box.h), 40, 40)
                return

    def ensure_entity_visible(self, entity_id: str) -> None:
        rect = self.scene_rect_of(entity_id)
        if not rect.isEmpty():
            self.ensureVisible(rect, 40, 40)

    def wheelEvent(self, event) -> None:  # noqa: N802 - Qt API
        mods = event.modifiers()
        if mods & Qt.KeyboardModifier.ShiftModifier:
            super().wheelEvent(event)  # horizontal / vertical scrolling stays available
            return
        delta = event.angleDelta().y() or event.angleDelta().x()
        if not delta:
            return
        self.set_zoom(self.zoom() * (1.0015 ** delta), anchor_under_mouse=True)
        event.accept()

    # ------------------------------------------------------------------ pan
    def _begin_pan(self, pos: QPoint) -> None:
        self._pan_start = pos
        self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)

    def _gesture(self, event):
        """Qt's selection changes during this mouse event are the user's: a plain click or band
        replaces the selection, Ctrl adds (boxes without an item included, see SceneSelection)."""
        replaces = not event.modifiers() & Qt.KeyboardModifier.ControlModifier
        return self.chart_scene().selection.gesture(replaces)

    def mousePressEvent(self, event) -> None:  # noqa: N802 - Qt API
        if event.button() == Qt.MouseButton.MiddleButton or (
            event.button() == Qt.MouseButton.LeftButton and self._space_down
        ):
            self._begin_pan(event.position().toPoint())
            event.accept()
            return
        self._band_from = event.position().toPoint() if event.button() == Qt.MouseButton.LeftButton else None
        with self._gesture(event):
            super().mousePressEvent(event)

    def mouseMoveEvent(self, event) -> None:  # noqa: N802 - Qt API
        if self._pan_start is not None:
            pos = event.position().toPoint()
            delta = pos - self._pan_start
            self._pan_start = pos
            self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() - delta.x())
            self.verticalScrollBar().setValue(self.verticalScrollBar().value() - delta.y())
            event.accept()
            return
        if self._band_from is not None and event.buttons() & Qt.MouseButton.LeftButton \
                and self.dragMode() == QGraphicsView.DragMode.RubberBandDrag and self.scene().mouseGrabberItem() is None:
            # A rubber band selects among items: the boxes it is about to cover get theirs first
            # (far out, boxes have none).
            band = QRectF(self.mapToScene(self._band_from), self.mapToScene(event.position().toPoint()))
            self.chart_scene().ensure_items_in(band.normalized())
        with self._gesture(event):
            super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802 - Qt API
        if self._pan_start is not None:
            self._pan_start = None
            self.viewport().setCursor(Qt.CursorShape.OpenHandCursor if self._space_down else Qt.CursorShape.ArrowCursor)
            event.accept()
            return
        self._band_from = None
        with self._gesture(event):
            super().mouseReleaseEvent(event)

    # ------------------------------------------------------------------ keyboard
    _ARROWS = {Qt.Key.Key_Up: "up", Qt.Key.Key_Down: "down", Qt.Key.Key_Left: "left", Qt.Key.Key_Right: "right"}

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        key = event.key()
        if key in self._ARROWS and not event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.navigate.emit(self._ARROWS[key])
            event.accept()
            return
        if key == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space_down = True
            self.viewport().setCursor(Qt.CursorShape.OpenHandCursor)
            event.accept()
            return
        super().keyPressEvent(event)

    def keyReleaseEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space_down = False
            self.viewport().setCursor(Qt.CursorShape.ArrowCursor)
            event.accept()
            return
        super().keyReleaseEvent(event)

    # ------------------------------------------------------------------ context menu
    def add_context_menu_hook(self, hook: ContextMenuHook) -> None:
        """``hook(menu, entity_ids)`` adds actions; called in registration order."""
        self._hooks.append(hook)

    def build_context_menu(self, entity_ids: list[str]) -> QMenu:
        menu = QMenu(self)
        for hook in self._hooks:
            hook(menu, entity_ids)
        return menu

    def contextMenuEvent(self, event) -> None:  # noqa: N802 - Qt API
        scene = self.chart_scene()
        under = scene.entity_at(self.mapToScene(event.pos()))
        ids = scene.selected_ids()
        if under is not None and under not in ids:
            scene.set_selected_ids([under])
            ids = [under]
        elif under is not None:
            ids = [under] + [i for i in ids if i != under]
        menu = self.build_context_menu(ids)
        if not menu.isEmpty():
            menu.exec(event.globalPos())
        menu.deleteLater()

    # ------------------------------------------------------------------ rename in place
    def start_rename(self, entity_id: str, text: str) -> InlineRenameEditor | None:
        """Lay a line edit over the box; ``renameCommitted(id, text)`` on Enter or focus loss."""
        box = self.scene_rect_of(entity_id)
        if box.isEmpty():
            return None
        self.ensure_entity_visible(entity_id)
        if self.editor is not None:
            self.editor.finish(commit=False)
        rect = self.mapFromScene(box).boundingRect()
        editor = InlineRenameEditor(entity_id, text, self.viewport())
        height = max(editor.sizeHint().height(), 26)
        width = max(rect.width(), 220)
        editor.setGeometry(rect.center().x() - width // 2, rect.center().y() - height // 2, width, height)
        editor.committed.connect(self.renameCommitted)
        editor.destroyed.connect(lambda *_: setattr(self, "editor", None))
        editor.show()
        editor.setFocus(Qt.FocusReason.OtherFocusReason)
        self.editor = editor
        return editor

    def scene_rect_of(self, entity_id: str) -> QRectF:
        """The box with its halo and handle (as its item's bounds), empty when not drawn."""
        box = self.chart_scene().box_rect(entity_id)
        return box.adjusted(-MARGIN, -MARGIN, MARGIN, MARGIN) if not box.isEmpty() else box

