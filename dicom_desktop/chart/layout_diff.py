"""What changed between two layouts laid out whole: a ``LayoutDelta`` made by comparison.

The incremental layout tells the scene which boxes and connectors an edit moved, except when it
lays the chart out whole (the first edit after an open builds its kept state that way). Without
a delta the scene and the miniature would redo everything — the grid of 100,000 boxes, the
overview's rectangles, every connector tile: over a second after the first drop at 100,000.
Comparing the two layouts' boxes and connectors (named tuples, compared at C speed) costs a few
tens of milliseconds and gives the same delta the incremental layout would have given.
"""

from __future__ import annotations

import weakref

from dicom_desktop.chart.layout import Layout, LayoutDelta

MOST = 0.5  # more than this share of the boxes changed (another orientation…): redo everything


def delta_between(before: Layout, after: Layout) -> LayoutDelta | None:
    """The boxes new, moved or resized, removed, the connectors new or changed, and the ids whose
    child list may have changed (the old and new parents of every box that moved or went), from
    ``before`` to ``after``; None when most of the chart changed or the orientation did."""
    if before.orientation != after.orientation:
        return None
    old, new = before.boxes, after.boxes
    get = old.get
    moved = [entity_id for entity_id, box in new.items() if get(entity_id) != box]
    if len(moved) > MOST * max(len(new), 1):
        return None
    removed = [entity_id for entity_id in old if entity_id not in new]
    old_connectors = {c.child: c for c in before.connectors}
    was = old_connectors.get
    connectors = tuple(c for c in after.connectors if was(c.child) != c)
    relisted = {c.parent for c in connectors}  # new parents, and the former ones:
    for child in [c.child for c in connectors] + removed:
        former = was(child)
        if former is not None:
            relisted.add(former.parent)
    return LayoutDelta(weakref.ref(before), frozenset(moved), frozenset(removed), connectors, frozenset(relisted))
