"""One ``QRectF`` per box of the layout, shared by the far-out overview and the miniature.

Both draw every box with ``drawRects`` and keep their rectangles between layouts; each used to
make its own, and a ``QRectF`` with its Python wrapper costs ~240 bytes (0.24 KiB per entity each
at 10,000). A rectangle is kept with the layout's ``Box`` it was made from: while a layout hands
over the same ``Box`` (or an equal one), the same rectangle is returned; a moved or resized box
gets a new one. Nobody changes a rectangle in place.
"""

from __future__ import annotations

from collections.abc import Collection

from PySide6.QtCore import QRectF


class SharedBoxRects:
    """entity id → the rectangle of its current ``Box``."""

    def __init__(self) -> None:
        self._box: dict[str, tuple] = {}  # entity id -> the Box the rectangle was made from
        self._rect: dict[str, QRectF] = {}

    def rect(self, box) -> QRectF:
        """The rectangle of ``box`` (a layout's ``Box``: id, x, y, w, h)."""
        entity_id = box[0]
        kept = self._box.get(entity_id)
        if kept is box or kept == box:  # the same place (a whole relayout makes equal boxes anew)
            return self._rect[entity_id]
        rect = self._rect[entity_id] = QRectF(box[1], box[2], box[3], box[4])
        self._box[entity_id] = box
        return rect

    def keep_only(self, ids: Collection[str]) -> None:
        """Forget the boxes not in ``ids`` (another document, or removed entities)."""
        if len(self._box) > len(ids) or any(i not in ids for i in self._box):
            for entity_id in [i for i in self._box if i not in ids]:
                del self._box[entity_id], self._rect[entity_id]

    def forget(self, entity_id: str) -> None:
        self._box.pop(entity_id, None)
        self._rect.pop(entity_id, None)

    def __len__(self) -> int:
        return len(self._box)
