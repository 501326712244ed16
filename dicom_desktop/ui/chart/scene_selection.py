"""The chart's selected boxes, kept by entity id: most boxes have no Qt item (see ``BoxIndex``).

Qt's selection holds only the items that exist; this keeps the whole set. A box selected
without an item shows as selected when its item is created (``ChartScene._create_item``). Qt's
own changes (a click, a rubber band, Ctrl + click) are followed: inside a mouse gesture without
Ctrl (``gesture(replaces=True)``, set by the view) Qt's selection replaces the whole set, as the
user expects of a plain click; otherwise (Ctrl, an item selected by code) the boxes selected
without an item stay selected. Consumers keep listening to the scene's ``selectionChanged``:
it is emitted once when ``set`` changed the set, even for boxes without an item.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from dicom_desktop.ui.chart.chart_items import EntityBoxItem


class SceneSelection:
    """Selected entity ids of a :class:`~.chart_scene.ChartScene`, in selection order."""

    def __init__(self, scene) -> None:
        self._scene = scene
        self.ids: dict[str, None] = {}
        self.applying = 0  # > 0: the scene changes Qt's selection itself (no echo)
        self._replaces: bool | None = None  # inside a mouse gesture: whether it replaces

    def __contains__(self, entity_id: object) -> bool:
        return entity_id in self.ids

    @contextmanager
    def gesture(self, replaces: bool) -> Iterator[None]:
        """A mouse gesture of the view is running; ``replaces`` when Ctrl is not held."""
        before, self._replaces = self._replaces, replaces
        try:
            yield
        finally:
            self._replaces = before

    @contextmanager
    def quiet(self) -> Iterator[None]:
        """The scene changes items (removes selected ones, creates selected ones): Qt's echoes
        are not user choices."""
        self.applying += 1
        try:
            yield
        finally:
            self.applying -= 1

    def follow_qt(self) -> None:
        """Qt's selection changed (the scene's first ``selectionChanged`` slot)."""
        if self.applying:
            return
        scene = self._scene
        chosen = [i.entity_id for i in scene.selectedItems() if isinstance(i, EntityBoxItem)]
        in_qt = set(chosen)
        items = scene.box_items()
        placed = scene.placed_positions()
        keep_itemless = self._replaces is not True
        new = {i: None for i in self.ids
               if i in in_qt or (keep_itemless and i not in items and i in placed)}
        for entity_id in chosen:
            new.setdefault(entity_id)
        self.ids = new

    def set(self, ids: Iterable[str]) -> None:
        """Select exactly these boxes (ids not drawn are ignored); one ``selectionChanged``."""
        scene = self._scene
        placed = scene.placed_positions()
        wanted = {i: None for i in ids if i in placed}
        items = scene.box_items()
        with self.quiet():
            for item in scene.selectedItems():
                if getattr(item, "entity_id", None) not in wanted:
                    item.setSelected(False)
            for entity_id in wanted:
                item = items.get(entity_id)
                if item is not None and not item.isSelected():
                    item.setSelected(True)
        changed = wanted.keys() != self.ids.keys()
        self.ids = wanted
        if changed:
            scene.selectionChanged.emit()

    def prune(self) -> None:
        """After a relayout: boxes no longer drawn (deleted, folded away) leave the selection."""
        placed = self._scene.placed_positions()
        kept = {i: None for i in self.ids if i in placed}
        if len(kept) != len(self.ids):
            self.ids = kept
            self._scene.selectionChanged.emit()
