"""Drag and drop of boxes on the chart: re-attach a branch (or a selection), or reorder siblings.

A press on a box followed by a move beyond ``QApplication.startDragDistance()`` starts a drag of
that box — or of the whole selection when the box is part of it. While dragging, a
semi-transparent preview follows the pointer and only decorations change (no relayout):

- over the middle of a box: that box is the would-be parent (blue halo);
- over the left/right third of a box (top/bottom third in the left-right orientation): the
  dragged boxes go before/after it among its siblings (a drop indicator line, parent halo);
- a refused target (a dragged entity itself or one of its descendants, see
  ``OrgGraph.move_refusal``) is drawn crossed in red and the status bar says why.

The release calls ``EditorController.move_with_feedback`` (one ``move_entities`` operation, one
undo step); a refused drop changes nothing. Attachment warnings go to the status bar. The
chart then relayouts with a short animation (:class:`RelayoutAnimator`), skipped for big charts
and when ``animator.enabled`` is False (tests). Escape cancels a drag.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from PySide6.QtCore import QEasingCurve, QEvent, QObject, QPointF, QRectF, Qt, QVariantAnimation
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPen
from PySide6.QtWidgets import QApplication, QGraphicsItem, QGraphicsLineItem

from dicom_desktop.kinds import style_for
from dicom_desktop.ui.chart.chart_items import EntityBoxItem, draw_text_line
from dicom_desktop.ui.chart.chart_scene import ChartScene
from dicom_desktop.ui.chart.chart_view import ChartView
from dicom_desktop.ui.editor import EditorController

T = TypeVar("T")

TARGET_COLOR = QColor("#1f6fd1")
REFUSED_COLOR = QColor("#c0392b")
ANIMATION_MS = 200
ANIMATION_MAX_BOXES = 2000


# ---------------------------------------------------------------------------- drop target
@dataclass(frozen=True)
class DropTarget:
    """Where a drop would land: under ``parent`` at ``index`` (None: last), next to ``anchor``."""

    anchor: str  # the box under the pointer
    mode: str  # "into", "before" or "after"
    parent: str
    index: int | None
    refusal: str | None = None


def describe_target(graph, target: DropTarget) -> str:
    """The French status-bar line while hovering ``target``."""
    if target.refusal:
        return f"Déplacement impossible : {target.refusal}"
    parent = graph.entity(target.parent).name
    if target.mode == "into":
        return f"Relâchez pour rattacher à « {parent} »."
    where = "avant" if target.mode == "before" else "après"
    return f"Relâchez pour placer {where} « {graph.entity(target.anchor).name} », sous « {parent} »."


# ---------------------------------------------------------------------------- graphics
class DragPreviewItem(QGraphicsItem):
    """What is being dragged: the first box's outline and name, faded, with « +N » for a selection."""

    def __init__(self, source: EntityBoxItem, count: int) -> None:
        super().__init__()
        self._rect = QRectF(source.box_rect())
        self._entity = source.entity
        self._name = source.content.name_lines[0] if source.content.name_lines else source.entity.name
        self._extra = count - 1
        self.setOpacity(0.65)
        self.setZValue(1000)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setAcceptHoverEvents(False)

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt API
        return self._rect.adjusted(-8, -10, 10, 8)

    def paint(self, painter: QPainter, option, widget=None) -> None:
        style = style_for(self._entity.kind)
        if self._extra:  # a second outline behind: several boxes travel together
            painter.setPen(QPen(QColor(style.border), 1))
            painter.setBrush(QColor(style.fill))
            painter.drawRoundedRect(self._rect.translated(6, 6), 3, 3)
        painter.setPen(QPen(QColor(style.border), 1.6, Qt.PenStyle.DashLine))
        painter.setBrush(QColor(style.fill))
        painter.drawRoundedRect(self._rect, 3, 3)
        painter.setPen(QColor(style.text))
        draw_text_line(painter, self._name, "bold", 9.0, self._rect.center().x(), self._rect.center().y() + 3)
        if self._extra:
            badge = QRectF(self._rect.right() - 16, self._rect.top() - 8, 24, 16)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(TARGET_COLOR)
            painter.drawRoundedRect(badge, 8, 8)
            painter.setPen(QColor("#ffffff"))
            draw_text_line(painter, f"+{self._extra}", "bold", 8.0, badge.center().x(), badge.center().y() + 3)


# ---------------------------------------------------------------------------- animation
class RelayoutAnimator(QObject):
    """Run a change that relayouts the chart, then glide the boxes from their old places (~200 ms).

    Only boxes that moved are animated; new boxes and the connectors fade in. Skipped when
    ``enabled`` is False or the chart has more than ``max_boxes`` boxes.
    """

    def __init__(self, scene, parent=None, *, duration_ms: int = ANIMATION_MS,
                 max_boxes: int = ANIMATION_MAX_BOXES) -> None:
        super().__init__(parent)
        self.scene = scene
        self.enabled = True
        self.duration_ms = duration_ms
        self.max_boxes = max_boxes
        self.animation: QVariantAnimation | None = None
        self._tracks: list = []
        self._fades: list = []
        scene.aboutToRebuild.connect(self.stop)  # items move in place: end the glide first

    def run(self, change: Callable[[], T]) -> T:
        self.stop()
        before = self.scene.placed_positions()  # every box's place (most have no item yet)
        overview = getattr(self.scene, "overview", None)
        if not self.enabled or len(before) > self.max_boxes or (overview is not None and overview.active):
            return change()  # far out (overview) the boxes are specks: no glide to see
        result = change()
        self.animate_from(before)
        return result

    def animate_from(self, before) -> None:
        """Glide the box items from ``before`` (id -> QPointF or (x, y)) to their places."""
        tracks, fades = [], []
        for entity_id, item in self.scene.box_items().items():
            old = before.get(entity_id)
            new = item.pos()
            if old is None:
                fades.append(item)
                continue
            if isinstance(old, tuple):
                old = QPointF(*old)
            if old != new:
                tracks.append((item, old, new))
        if not tracks and not fades:
            return
        fades += [i for i in self.scene.items() if not isinstance(i, EntityBoxItem) and i.zValue() < 0]
        reveal = getattr(self.scene, "reveal_items", None)
        if reveal is not None:  # a box gliding into sight must paint on the way
            reveal([item for item, _old, _new in tracks] + fades)
        self._tracks, self._fades = tracks, fades
        animation = QVariantAnimation(self)
        animation.setDuration(self.duration_ms)
        animation.setStartValue(0.0)
        animation.setEndValue(1.0)
        animation.setEasingCurve(QEasingCurve.Type.OutCubic)
        animation.valueChanged.connect(self._step)
        animation.finished.connect(self._finish)
        self.animation = animation
        self._step(0.0)
        animation.start()

    def _step(self, t) -> None:
        t = float(t)
        try:
            for item, old, new in self._tracks:
                item.setPos(old + (new - old) * t)
            for item in self._fades:
                item.setOpacity(t)
        except RuntimeError:  # items deleted under us (another rebuild): nothing left to animate
            self._tracks, self._fades = [], []

    def _finish(self) -> None:
        self._step(1.0)
        self._tracks, self._fades = [], []
        self.animation = None

    def stop(self) -> None:
        """Jump to the end (before the scene moves the items again)."""
        if self.animation is not None:
            self.animation.stop()
            self._finish()

    @property
    def running(self) -> bool:
        return self.animation is not None


# ---------------------------------------------------------------------------- controller
class ChartDragController(QObject):
    """Event filter on the chart view's viewport turning press-move-release on boxes into moves."""

    def __init__(self, editor: EditorController, view: ChartView, scene: ChartScene) -> None:
        super().__init__(view)
        self.editor = editor
        self.view = view
        self.scene = scene
        self.animator = RelayoutAnimator(self.scene, self)
        self._press: tuple[QPointF, str, QPointF] | None = None  # viewport pos, entity, scene pos
        self.dragging: list[str] = []
        self.target: DropTarget | None = None
        self._preview: DragPreviewItem | None = None
        self._indicator: QGraphicsLineItem | None = None
        self._offset = QPointF()
        self._decorated: list[str] = []
        self._refusals: dict[str, str | None] = {}
        self.view.viewport().installEventFilter(self)
        self.view.installEventFilter(self)
        self.scene.rebuilt.connect(self._forget_scene_items)

    # ------------------------------------------------------------------ events
    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt API
        kind = event.type()
        if obj is self.view:
            if kind == QEvent.Type.KeyPress and self.dragging and event.key() == Qt.Key.Key_Escape:
                self.cancel()
                return True
            return False
        if kind == QEvent.Type.MouseButtonPress:
            self._on_press(event)
        elif kind == QEvent.Type.MouseMove:
            return self._on_move(event)
        elif kind == QEvent.Type.MouseButtonRelease:
            return self._on_release(event)
        return False

    def _on_press(self, event: QMouseEvent) -> None:
        self._press = None
        if event.button() != Qt.MouseButton.LeftButton or self.view.space_down:
            return
        pos = event.position()
        scene_pos = self.view.mapToScene(pos.toPoint())
        entity_id = self.box_at(scene_pos)
        if entity_id is None:
            return
        item = self.scene.item_for(entity_id)
        if item.has_children and item.handle_rect().contains(item.mapFromScene(scene_pos)):
            return  # the collapse handle is a button, not a grip
        self._press = (pos, entity_id, scene_pos)

    def _on_move(self, event: QMouseEvent) -> bool:
        if self.dragging:
            self.drag_to(self.view.mapToScene(event.position().toPoint()))
            return True
        if self._press is None or not event.buttons() & Qt.MouseButton.LeftButton:
            return False
        start, entity_id, scene_start = self._press
        if (event.position() - start).manhattanLength() < QApplication.startDragDistance():
            return False
        self.start(self._drag_set(entity_id), scene_start)
        self.drag_to(self.view.mapToScene(event.position().toPoint()))
        return True

    def _on_release(self, event: QMouseEvent) -> bool:
        self._press = None
        if not self.dragging or event.button() != Qt.MouseButton.LeftButton:
            return False
        self.drop()
        return True

    def _drag_set(self, entity_id: str) -> list[str]:
        """The pressed box, or the whole selection when the box belongs to it."""
        selected = self.editor.selected_ids()
        return selected if entity_id in selected else [entity_id]

    # ------------------------------------------------------------------ drag steps (public for tests/benchmarks)
    def start(self, entity_ids: Sequence[str], scene_pos: QPointF) -> None:
        """Begin dragging ``entity_ids`` (the first one is the grip) from ``scene_pos``."""
        graph = self.editor.doc.graph
        ids = [i for i in dict.fromkeys(entity_ids) if i in graph and i != graph.root]
        if not ids:
            if graph.root in entity_ids:
                self.editor.show_status("L’entité de tête ne peut pas être déplacée.", 5000)
            self._press = None
            return
        grabber = self.scene.mouseGrabberItem()
        if grabber is not None:
            grabber.ungrabMouse()
        self.dragging = ids
        self._refusals = {}
        grip = self.scene.item_for(ids[0])
        self._offset = scene_pos - grip.pos()
        self._preview = DragPreviewItem(grip, len(ids))
        self.scene.addItem(self._preview)
        self._preview.setPos(scene_pos - self._offset)
        for entity_id in ids:
            item = self.scene.item_for(entity_id)
            if item is not None:
                item.set_ghosted(True)
        self.view.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)

    def drag_to(self, scene_pos: QPointF) -> None:
        """One mouse-move step: move the preview, re-evaluate the target, change decorations only."""
        if not self.dragging:
            return
        self._preview.setPos(scene_pos - self._offset)
        target = self.target_at(scene_pos)
        if target == self.target:
            return
        self.target = target
        self._undecorate()
        if target is None:
            self.editor.show_status("")
            return
        self._decorate(target)
        self.editor.show_status(describe_target(self.editor.doc.graph, target))

    def target_at(self, scene_pos: QPointF) -> DropTarget | None:
        graph = self.editor.doc.graph
        anchor = self.box_at(scene_pos)
        if anchor is None:
            return None
        parent = graph.parent(anchor)
        mode = "into"
        if parent is not None and anchor not in self.dragging:
            item = self.scene.item_for(anchor)
            box = item.mapRectToScene(item.box_rect())
            if self.scene.orientation == "left-right":
                share = (scene_pos.y() - box.top()) / max(box.height(), 1.0)
            else:
                share = (scene_pos.x() - box.left()) / max(box.width(), 1.0)
            mode = "before" if share < 1 / 3 else "after" if share > 2 / 3 else "into"
        if mode == "into":
            return DropTarget(anchor, "into", anchor, None, self._refusal(anchor))
        index = graph.index_in_parent(anchor) + (1 if mode == "after" else 0)
        return DropTarget(anchor, mode, parent, index, self._refusal(parent))

    def box_at(self, scene_pos: QPointF) -> str | None:
        """The box under ``scene_pos`` (its rectangle), from the scene's grid of every box: far
        out most boxes have no item."""
        return self.scene.box_at(scene_pos)

    def _refusal(self, parent: str) -> str | None:
        if parent not in self._refusals:
            graph = self.editor.doc.graph
            self._refusals[parent] = next(
                (r for r in (graph.move_refusal(e, parent) for e in self.dragging) if r), None)
        return self._refusals[parent]

    def _decorate(self, target: DropTarget) -> None:
        refused = target.refusal is not None
        if target.mode == "into":
            self._mark(target.anchor, refused)
            return
        self._mark(target.parent, refused)
        if refused:
            self._mark(target.anchor, True)
        item = self.scene.item_for(target.anchor)
        box = item.mapRectToScene(item.box_rect())
        gap = 5.0
        if self.scene.orientation == "left-right":
            y = box.top() - gap if target.mode == "before" else box.bottom() + gap
            line = (box.left() - 6, y, box.right() + 6, y)
        else:
            x = box.left() - gap if target.mode == "before" else box.right() + gap
            line = (x, box.top() - 6, x, box.bottom() + 6)
        if self._indicator is None:
            self._indicator = QGraphicsLineItem()
            self._indicator.setZValue(999)
            self.scene.addItem(self._indicator)
        pen = QPen(REFUSED_COLOR if refused else TARGET_COLOR, 3.5)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        self._indicator.setPen(pen)
        self._indicator.setLine(*line)
        self._indicator.show()

    def _mark(self, entity_id: str, refused: bool) -> None:
        item = self.scene.item_for(entity_id)
        if item is None:
            return
        if refused:
            item.set_refused(True)
        else:
            item.set_highlight(TARGET_COLOR)
        self._decorated.append(entity_id)

    def _undecorate(self) -> None:
        kept = self.scene.highlights()  # comparison halos survive the drag
        for entity_id in self._decorated:
            item = self.scene.item_for(entity_id)
            if item is not None:
                item.set_refused(False)
                item.set_highlight(kept.get(entity_id))
        self._decorated = []
        if self._indicator is not None:
            self._indicator.hide()

    def _end(self) -> None:
        self._undecorate()
        for entity_id in self.dragging:
            item = self.scene.item_for(entity_id)
            if item is not None:
                item.set_ghosted(False)
        if self._preview is not None:
            self.scene.removeItem(self._preview)
            self._preview = None
        if self._indicator is not None:
            self.scene.removeItem(self._indicator)
            self._indicator = None
        self.dragging, self.target, self._press = [], None, None
        self.view.viewport().unsetCursor()

    def _forget_scene_items(self) -> None:
        """The chart changed under a drag (an edit during it, say): end the drag cleanly."""
        if self.dragging:
            self._end()
            self.editor.show_status("Déplacement interrompu : l’organigramme a changé.", 5000)

    def cancel(self) -> None:
        if self.dragging:
            self._end()
            self.editor.show_status("Déplacement annulé.", 4000)

    def drop(self) -> bool:
        """Release: apply the move (one undo step) or explain why nothing changed."""
        target, ids = self.target, list(self.dragging)
        self._end()
        if target is None:
            self.editor.show_status("Déplacement annulé : relâchez sur une entité pour la rattacher.", 5000)
            return False
        if target.refusal:
            self.editor.show_status(f"Déplacement impossible : {target.refusal}", 8000)
            return False
        return self.editor.move_with_feedback(ids, target.parent, target.index, self.animator.run)
