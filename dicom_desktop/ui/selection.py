"""The one selection shared by the chart, the outline and the attributions panel.

Each view writes here when the user selects, and follows ``changed`` otherwise; the views never
talk to each other directly. Order is kept (the first selected box is a link's source).
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QObject, Signal

Snapshot = tuple[tuple[str, ...], str | None]


class SelectionModel(QObject):
    """Ordered selected entity ids plus the current one (the one the panel shows)."""

    changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ids: tuple[str, ...] = ()
        self._current: str | None = None

    @property
    def ids(self) -> tuple[str, ...]:
        return self._ids

    @property
    def current(self) -> str | None:
        return self._current

    def set(self, ids: Iterable[str], current: str | None = None) -> None:
        """Replace the selection; ``current`` defaults to the last id."""
        ids = tuple(dict.fromkeys(ids))
        if current is None or current not in ids:
            current = ids[-1] if ids else None
        if ids == self._ids and current == self._current:
            return
        self._ids, self._current = ids, current
        self.changed.emit()

    def select(self, entity_id: str | None) -> None:
        self.set([entity_id] if entity_id else [])

    def merge_from_view(self, ids: Iterable[str]) -> None:
        """A view reports its selected set (unordered): keep the known order, append the new."""
        wanted = set(ids)
        kept = [i for i in self._ids if i in wanted]
        known = set(kept)  # (once: a set per id made a select-all of 10,000 quadratic)
        added = [i for i in ids if i not in known]
        current = added[-1] if added else (self._current if self._current in wanted else None)
        self.set(kept + added, current)

    def snapshot(self) -> Snapshot:
        return self._ids, self._current

    def restore(self, snapshot: Snapshot, exists=lambda _id: True) -> None:
        """Restore a snapshot, dropping ids that no longer exist."""
        ids, current = snapshot
        kept = [i for i in ids if exists(i)]
        self.set(kept, current if current in kept else None)
