"""Where the chart's boxes are: a grid over the layout's boxes, updated box by box.

The scene creates a Qt item only for the boxes that come into sight (a ``QGraphicsRectItem`` and
its entry in Qt's index cost about 2 KiB each), so Qt's own index knows only those: this one
knows every box. It answers « which boxes lie in this rectangle » (the view's next frame, a
rubber band, the comparison's free spots) and « which box is under this point » (clicks,
tooltips, drops), and keeps the cells where some box still has no item in sight (``pending``):
a frame over cells that are all done costs no Python call per box. A drop updates only the boxes
that moved; a whole new layout (an open, another orientation) builds the grid again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from math import floor

CELL = 600.0  # points; a box is about 150 × 60
MARGIN = 8.0  # a box item paints its halo, handle and badge up to 8 points outside its box

Key = tuple[int, int]


class BoxIndex:
    """Box ids by grid cell of their top-left corner; a query looks as far left and up as the
    largest box reaches. Nothing is kept per box (memory at 100,000 boxes): an update is given
    the boxes' former places as well as the new ones."""

    def __init__(self) -> None:
        self._cells: dict[Key, set[str]] = {}
        self.pending: set[Key] = set()  # cells holding a box not yet drawn by its own item
        self._reach = (0.0, 0.0)  # the largest box's width and height, margin included

    def rebuild(self, boxes: Mapping) -> None:
        """Index every box of a layout (``{id: Box}``); all cells pending."""
        c = CELL
        lists: dict[Key, list[str]] = {}
        get = lists.get
        wide = high = 0.0
        for entity_id, x, y, w, h in boxes.values():
            key = (int(x // c), int(y // c))
            found = get(key)
            if found is None:
                lists[key] = [entity_id]
            else:
                found.append(entity_id)
            if w > wide:
                wide = w
            if h > high:
                high = h
        self._cells = {key: set(ids) for key, ids in lists.items()}
        self.pending = set(self._cells)
        self._reach = (wide + MARGIN, high + MARGIN)

    def update(self, ids: Iterable[str], before: Mapping, after: Mapping, drawn: Callable[[str], bool]) -> None:
        """Move these boxes from their places in ``before`` to those in ``after`` (``{id: Box}``;
        absent: not indexed, or removed). A box entering a cell where ``drawn(id)`` is false
        makes the cell pending."""
        cells, pending = self._cells, self.pending
        c = CELL
        wide, high = self._reach
        old_of, new_of = before.get, after.get
        for entity_id in ids:  # ~1,500 boxes shifted by a drop at 10,000: kept tight
            old_box, new_box = old_of(entity_id), new_of(entity_id)
            if new_box is None:
                if old_box is None:
                    continue
                new = None
            else:
                _id, x, y, w, h = new_box
                new = (int(x // c), int(y // c))
                if w + MARGIN > wide:
                    wide = w + MARGIN
                if h + MARGIN > high:
                    high = h + MARGIN
            if old_box is not None:
                old = (int(old_box[1] // c), int(old_box[2] // c))
                if new == old:
                    continue
                cell = cells.get(old)
                if cell is not None:
                    cell.discard(entity_id)
                    if not cell:
                        del cells[old]
                        pending.discard(old)
            if new is not None:
                cell = cells.get(new)
                if cell is None:
                    cells[new] = {entity_id}
                else:
                    cell.add(entity_id)
                if new not in pending and not drawn(entity_id):
                    pending.add(new)
        self._reach = (wide, high)

    def cells_in(self, x0: float, y0: float, x1: float, y1: float) -> list[Key]:
        """The occupied cells whose boxes may meet the rectangle (x0, y0)–(x1, y1), margins
        included."""
        c = CELL
        wide, high = self._reach
        gx0, gx1 = int(floor((x0 - wide) / c)), int(floor((x1 + MARGIN) / c))
        gy0, gy1 = int(floor((y0 - high) / c)), int(floor((y1 + MARGIN) / c))
        cells = self._cells
        if (gx1 - gx0 + 1) * (gy1 - gy0 + 1) > len(cells):  # far out: walk the occupied cells
            return [k for k in cells if gx0 <= k[0] <= gx1 and gy0 <= k[1] <= gy1]
        return [(gx, gy) for gx in range(gx0, gx1 + 1) for gy in range(gy0, gy1 + 1) if (gx, gy) in cells]

    def ids_in_cells(self, keys: Iterable[Key]) -> set[str]:
        out: set[str] = set()
        cells = self._cells
        for key in keys:
            out.update(cells[key])
        return out

    def near(self, x: float, y: float) -> set[str]:
        """Candidates for a hit test at (x, y): the boxes that may hold the point."""
        return self.ids_in_cells(self.cells_in(x, y, x, y))
