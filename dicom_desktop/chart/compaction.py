"""How compact a chart is drawn: the least hanging-list level that makes it about as wide as a
landscape page (« Disposition compacte », see ``chart.layout``), found cheaply."""

from __future__ import annotations

from math import log
from typing import AbstractSet, Mapping, Sequence

from dicom_desktop.chart.layout import _check, _compute, _index
from dicom_desktop.gcpause import gc_paused


def tree_height(root: str, children: Mapping[str, Sequence[str]]) -> int:
    """Number of levels below ``root`` (0 for a lone node); iterative."""
    seen = {root}
    level = [root]
    height = -1
    get = children.get
    while level:
        height += 1
        nxt = []
        for node in level:
            for c in get(node) or ():
                if c not in seen:
                    seen.add(c)
                    nxt.append(c)
        level = nxt
    return height


def choose_compaction(
    root: str,
    children: Mapping[str, Sequence[str]],
    sizes: Mapping[str, tuple[float, float]],
    staff: AbstractSet[str] = frozenset(),
    target_aspect: float = 2 ** 0.5,
    orientation: str = "top-down",
    *,
    h_gap: float = 16.0,
    v_gap: float = 36.0,
    max_trials: int = 12,
) -> int | None:
    """The least ``compact`` level whose chart width / height is near ``target_aspect``.

    None when the tidy tree, measured without folding (one row of children per parent), is
    already no wider than the target (a landscape page by default): folding makes any chart
    narrow, but large ones four to five times the area of hanging lists, so the choice is
    made as if nothing folded (compact layouts never fold, see ``compute_layout``).  Levels are tried upwards until the chart is
    no longer too wide; of the last two, the one nearer the target (in ratio)
    wins.  Each trial computes the extent only, and only over the nodes that
    do not hang at its level (see :class:`_Blocks`), so all trials together
    cost about two classic layouts.
    """
    _check(orientation, h_gap, v_gap, None, None)
    if target_aspect <= 0:
        raise ValueError("target_aspect must be positive")

    def distance(aspect: float) -> float:
        return abs(log(max(aspect, 1e-12) / target_aspect))

    transpose = orientation == "left-right"
    with gc_paused():
        blocks = _Blocks(_index(root, children, sizes, staff, transpose), h_gap, v_gap, 1.5 * h_gap)

    def aspect(level: int | None) -> float:
        with gc_paused():
            w, h = _compute(root, children, sizes, staff, transpose, orientation,
                            h_gap, v_gap, None, level, None, extent_only=True, blocks=blocks)
        return w / h if h > 0 else float("inf")

    best_level, best = None, aspect(None)
    if best <= target_aspect:
        return None
    top = min(blocks.height[0], max_trials)
    for level in range(1, top + 1):
        a = aspect(level)
        if a <= target_aspect:
            return level if distance(a) <= distance(best) else best_level
        if distance(a) < distance(best):
            best_level, best = level, a
    return best_level



class _Blocks:
    """What every compaction level shares, computed once for ``choose_compaction``.

    A subtree hangs at level ``k`` exactly when its height is at most ``k`` and no node in it has
    a staff child (``hangable``); its hanging block (depth, right reach) is then the same for every
    such ``k``. So each trial only runs the tidy contours over the nodes that do not hang, with the
    blocks as ready-made children: level 1 already skips most of a large tree."""

    def __init__(self, ix, h_gap, v_gap, indent):
        ids, parent, kids, W, H, is_staff = ix
        n = len(ids)
        fold_gap = v_gap / 4
        height = [0] * n
        hangable = [True] * n
        depth = H[:]  # a leaf's block is its box
        reach = [w / 2 for w in W]
        for v in range(n - 1, -1, -1):
            ks = kids[v]
            if not ks:
                continue
            height[v] = 1 + max([height[c] for c in ks])
            if not all([hangable[c] and not is_staff[c] for c in ks]):
                hangable[v] = False
                continue
            w2 = W[v] / 2  # same arithmetic as the hanging branch of _compute
            left = indent - w2
            y = H[v] + fold_gap
            r = w2
            for c in ks:
                x = left + W[c] / 2
                y += depth[c] + fold_gap
                if x + reach[c] > r:
                    r = x + reach[c]
            depth[v] = y - fold_gap
            reach[v] = r
        self.ix = ix
        self.height, self.hangable, self.depth, self.reach = height, hangable, depth, reach
        self.internal = [v for v in range(n - 1, -1, -1) if kids[v]]  # bottom-up

    def hangs(self, v: int, level: int | None) -> bool:
        return level is not None and level > 0 and self.hangable[v] and self.height[v] <= level

    def order(self, level: int | None) -> list[int]:
        """Nodes with children that do not hang at ``level``, bottom-up."""
        if not level:
            return self.internal
        height, hangable = self.height, self.hangable
        return [v for v in self.internal if height[v] > level or not hangable[v]]

    def seed(self, c: int, LC, RC, D) -> None:
        """Contours of a leaf or of a hanging block, as the tidy pass expects them."""
        W, H = self.ix[3], self.ix[4]
        w2 = W[c] / 2
        if not self.ix[2][c]:
            h = H[c]
            LC[c] = [[h], [-w2], 0.0, 0.0]
            RC[c] = [[h], [w2], 0.0, 0.0]
            D[c] = h
        else:
            d = self.depth[c]
            LC[c] = [[d], [-w2], 0.0, 0.0]
            RC[c] = [[d, H[c]], [self.reach[c], w2], 0.0, 0.0]
            D[c] = d
