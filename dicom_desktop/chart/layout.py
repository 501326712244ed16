"""Tidy tree layout of an organisation chart (pure, iterative, linear time).

Normal children follow Walker's algorithm as made linear by Buchheim, Jünger
and Leipert, generalised to variable box sizes with non-layered contours:
each subtree is summarised by its left and right contours, stored bottom-first
in plain lists (``[ys, xs, x_base, y_base]``, value = stored + base) so that
merging siblings only touches the shallower contour.  Staff positions sit on
a row beside the parent's trunk; more than ``fold_leaves`` children fold into two columns
either side of the trunk, filled row by row (see ``_fold``): the arrangement of a parent's
children depends on their number only, so an edit moves the edited branch and what follows it,
never the arrangement of unrelated siblings.

Compact mode (``compact=k``), as the « hanging » / « vertical list » layouts of
professional org-chart tools: every subtree of height at most ``k`` (a leaf has
height 0) and without staff positions is drawn as an indented vertical list
hanging from a spine below its head: children stacked below their parent in
sibling order, their left edges aligned ``indent`` to the right of the
parent's left edge, each child's own list below it.  Above those blocks the
classic tidy tree applies, blocks acting as rectangles.  ``choose_compaction``
picks the least ``k`` whose chart is about as wide as a landscape page.
Everything is computed with integer indices and loops, never recursion, so a
100,000-deep chain is as fine as any other tree.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from itertools import compress, repeat
from operator import ne
from math import log
from typing import AbstractSet, Mapping, NamedTuple, Sequence

from dicom_desktop.gcpause import gc_paused

ORIENTATIONS = ("top-down", "left-right")


class Box(NamedTuple):
    """Top-left corner and size in points; y grows down (Qt convention).

    A named tuple: 100,000 of them are built per layout, at a third of a dataclass' cost."""

    id: str
    x: float
    y: float
    w: float
    h: float


class Connector(NamedTuple):
    """Orthogonal polyline from the parent's box edge to the child's."""

    parent: str
    child: str
    points: tuple[tuple[float, float], ...]


@dataclass
class Layout:
    boxes: dict[str, Box]
    connectors: list[Connector]
    width: float
    height: float
    orientation: str
    # Parents whose children are drawn as a hanging list (compact mode only).
    hanging: frozenset = frozenset()
    v_gap: float = 36.0  # gap between rows, for routing functional links
    # What changed since the previous layout of the same IncrementalLayout (None: not known).
    delta: "LayoutDelta | None" = None


# Kinds of parent -> child edges, decide the connector shape.
_NORMAL, _FOLDED, _STAFF_NEAR, _STAFF_FAR, _HANG = 0, 1, 2, 3, 4


def _merge(AL, AR, fd, BL, BR, bd, runs=None, j=0):
    """Put forest B (already positioned) right of forest A; return merged contours.

    Only the shallower contour is copied; hidden entries of the deeper one are
    popped.  ``runs`` (flat [start, owner, ...]) tracks which sibling owns each
    right-contour entry, for Buchheim's shift distribution.
    """
    if bd >= fd:
        AR = BR
        if runs is not None:
            runs[:] = (0, j)
    else:
        ys, xs = AR[0], AR[1]
        yb = AR[3]
        lim = bd - yb
        while ys[-1] <= lim and len(ys) > 1:
            ys.pop()
            xs.pop()
        n = len(ys)
        if runs is not None:
            while runs[-2] >= n:
                del runs[-2:]
            runs += (n, j)
        dy = BR[3] - yb
        dx = BR[2] - AR[2]
        ys += [y + dy for y in BR[0]]
        xs += [x + dx for x in BR[1]]
    if bd > fd:
        ys, xs = BL[0], BL[1]
        yb = BL[3]
        lim = fd - yb
        while ys[-1] <= lim and len(ys) > 1:
            ys.pop()
            xs.pop()
        dy = AL[3] - yb
        dx = AL[2] - BL[2]
        ys += [y + dy for y in AL[0]]
        xs += [x + dx for x in AL[1]]
        AL = BL
        fd = bd
    return AL, AR, fd


def _row(items, LC, RC, D, gap):
    """Place sibling subtrees left to right, as close as their contours allow.

    Returns (centre offsets from the first item, left contour, right contour,
    depth).  Conflicts with a non-adjacent sibling spread the shift over the
    smaller subtrees in between (Buchheim et al.), keeping it linear.
    """
    m = len(items)
    first = items[0]
    AL, AR, fd = LC[first], RC[first], D[first]
    pos = [0.0] * m
    runs = [0, 0]
    sh: list[float] | None = None  # shifts spread over the subtrees in between, made on the first conflict
    chg: list[float] = []
    for j in range(1, m):
        c = items[j]
        BL = LC[c]
        ays, axs, axb, ayb = AR
        bys, bxs, bxb, byb = BL
        ia = len(ays) - 1
        ib = len(bys) - 1
        r = len(runs) - 2
        best = axs[ia] + axb + gap - bxs[ib] - bxb
        while True:
            ya = ays[ia] + ayb
            yb = bys[ib] + byb
            if ya <= yb:
                ia -= 1
                if ya == yb:
                    ib -= 1
            else:
                ib -= 1
            if ia < 0 or ib < 0:
                break
            need = axs[ia] + axb + gap - bxs[ib] - bxb
            if need > best:
                while runs[r] > ia:
                    r -= 2
                owner = runs[r + 1]
                if owner < j - 1:
                    if sh is None:
                        sh = [0.0] * m
                        chg = [0.0] * m
                    s = need - best
                    part = s / (j - owner)
                    sh[j] += s
                    chg[j] -= part
                    chg[owner] += part
                best = need
        pos[j] = best
        BR = RC[c]
        BL[2] += best
        BR[2] += best
        AL, AR, fd = _merge(AL, AR, fd, BL, BR, D[c], runs, j)
    if sh is not None:
        shift = change = 0.0
        for k in range(m - 1, -1, -1):
            pos[k] += shift
            change += chg[k]
            shift += sh[k] + change
    return pos, AL, AR, fd


def _fold(items, LC, RC, D, H, relx, rely, kind, top, gap, fold_gap, row_gap):
    """Two columns either side of the parent's trunk, filled in reading order (row by row).

    Row-major filling keeps every sibling before an edit in its cell, and the decision to fold
    depends on the number of children only (never on grandchildren), so an edit in one branch
    never rearranges the others. Each cell holds a whole subtree: left cells end ``gap`` left of
    the trunk, right cells start ``gap`` right of it; a row is as deep as its deeper cell.
    Returns the block's left and right contours (relative to the parent) and its depth."""
    m = len(items)
    yy = 0.0
    steps = []  # (row bottom, left extent, right extent), top-first
    for i in range(0, m, 2):
        a = items[i]
        la, ra = LC[a], RC[a]
        ax = -gap - max(ra[1]) - ra[2]
        relx[a] = ax
        rely[a] = top + yy
        kind[a] = _FOLDED
        row = D[a]
        deep = row > H[a]
        left = ax + min(la[1]) + la[2]
        right = 0.0  # the trunk
        if i + 1 < m:
            b = items[i + 1]
            lb, rb = LC[b], RC[b]
            bx = gap - min(lb[1]) - lb[2]
            relx[b] = bx
            rely[b] = top + yy
            kind[b] = _FOLDED
            if D[b] > row:
                row = D[b]
            deep = deep or D[b] > H[b]
            right = bx + max(rb[1]) + rb[2]
        steps.append((yy + row, left, right))
        yy += row + (row_gap if deep else fold_gap)
    depth = steps[-1][0]
    steps.reverse()  # contours are stored bottom-first
    fl = [[s[0] for s in steps], [s[1] for s in steps], 0.0, top]
    fr = [[s[0] for s in steps], [s[2] for s in steps], 0.0, top]
    return fl, fr, depth


def _stack(upper, lower):
    """Push contour ``upper`` (lying entirely above) on top of ``lower``."""
    dy = upper[3] - lower[3]
    dx = upper[2] - lower[2]
    lower[0] += [y + dy for y in upper[0]]
    lower[1] += [x + dx for x in upper[1]]


def compute_layout(
    root: str,
    children: Mapping[str, Sequence[str]],
    sizes: Mapping[str, tuple[float, float]],
    staff: AbstractSet[str] = frozenset(),
    orientation: str = "top-down",
    *,
    h_gap: float = 16.0,
    v_gap: float = 36.0,
    fold_leaves: int | None = 4,
    compact: int | None = None,
    indent: float | None = None,
) -> Layout:
    """Lay out the tree below ``root``; unreachable or repeated nodes are ignored.

    ``children[id]`` lists ordered subordinates; ids in ``staff`` sit beside
    their parent.  With ``orientation="left-right"`` depth runs along x.
    ``compact`` = the greatest height of a subtree drawn as a hanging list
    (None or 0: classic tidy tree; a compact layout never folds, whatever ``fold_leaves``:
    its small branches hang already, and folding the rows above them would make it a tower);
    ``indent`` (default 1.5 × ``h_gap``) is
    the shift of a hanging child's left edge from its parent's.
    """
    _check(orientation, h_gap, v_gap, compact, indent)
    # The layout allocates many small lists and no cycles: pausing the cyclic GC halves the time
    # on large trees, and gc_paused ages the 200,000 output objects at the end, so the next young
    # collections do not traverse them all (0.2 + 0.1 s at 100,000 entities).
    with gc_paused():
        return _compute(root, children, sizes, staff, orientation == "left-right", orientation,
                        h_gap, v_gap, fold_leaves, compact, indent)


def _check(orientation, h_gap, v_gap, compact, indent):
    if orientation not in ORIENTATIONS:
        raise ValueError(f"orientation must be one of {ORIENTATIONS}, got {orientation!r}")
    if h_gap <= 0 or v_gap <= 0:
        raise ValueError("h_gap and v_gap must be positive")
    if compact is not None and compact < 0:
        raise ValueError("compact must be None or a height >= 0")
    if indent is not None and indent <= 0:
        raise ValueError("indent must be positive")


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


def _index(root, children, sizes, staff, transpose):
    """The reachable tree in BFS order (parents before children), as integer-indexed lists."""
    ids = [root]
    index = {root: 0}
    parent = [-1]
    kids: list[list[int]] = []
    get = children.get
    i = 0
    while i < len(ids):
        lst = []
        ch = get(ids[i])
        if ch:
            for c in ch:
                if c not in index:
                    index[c] = k = len(ids)
                    ids.append(c)
                    parent.append(i)
                    lst.append(k)
        kids.append(lst)
        i += 1
    n = len(ids)
    W = [0.0] * n
    H = [0.0] * n
    for k, nid in enumerate(ids):
        try:
            w, h = sizes[nid]
        except KeyError:
            raise KeyError(f"no box size for node {nid!r}") from None
        if transpose:
            w, h = h, w
        W[k] = float(w)
        H[k] = float(h)
    is_staff = [False] * n
    for sid in staff:
        node = index.get(sid)
        if node:  # the root is never staff
            is_staff[node] = True
    return ids, parent, kids, W, H, is_staff


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


class _Arrays:
    """The per-node state of one layout, indexed like ``_index``'s ids (parents before children).

    ``relx``/``rely``/``kind`` are set by the parent's pass (a child's place in its parent's
    block), the rest by the node's own pass. :class:`IncrementalLayout` keeps them between
    layouts, so only the nodes whose block changed are laid out again."""

    def __init__(self, ix, h_gap, v_gap, fold_leaves, compact, indent):
        ids, parent, kids, W, H, is_staff = ix
        n = len(ids)
        self.ids, self.parent, self.kids, self.W, self.H, self.is_staff = ids, parent, kids, W, H, is_staff
        self.h_gap, self.v_gap, self.fold_leaves, self.compact = h_gap, v_gap, fold_leaves, compact
        self.indent = (1.5 * h_gap if indent is None else indent) if compact else indent
        self.relx = [0.0] * n  # centre x relative to the parent's centre
        self.rely = [0.0] * n  # top y relative to the parent's top
        self.kind = [_NORMAL] * n
        self.ctop = [0.0] * n  # top of the normal children row, relative to own top
        self.LC: list = [None] * n
        self.RC: list = [None] * n
        self.D = [0.0] * n  # subtree depth (bottom of the contours)
        self.height = [0] * n  # levels below each node (compact mode)
        self.hangable = [True] * n  # subtree drawn as a hanging list (compact mode)
        # right edge of a hanging block from its head's centre (compact mode)
        self.reach = [w / 2 for w in W] if compact else [0.0] * n
        self.hangs = [False] * n  # draws its children as a hanging list (kept layouts)

    def grow(self, k: int) -> None:
        """Room for ``k`` more nodes (new entities of an incremental layout)."""
        for name, value in (("relx", 0.0), ("rely", 0.0), ("kind", _NORMAL), ("ctop", 0.0), ("LC", None),
                            ("RC", None), ("D", 0.0), ("height", 0), ("hangable", True), ("reach", 0.0), ("hangs", False),
                            ("W", 0.0), ("H", 0.0), ("is_staff", False), ("parent", -1)):
            getattr(self, name).extend([value] * k)
        self.kids.extend([] for _ in range(k))


def _private_contours(st: _Arrays, ks):
    """Copies of the children's contours for a parent's merge, which consumes what it is given:
    the children's own stay cached. A leaf's or a hanging list's contour (a rectangle, most of a
    large chart) is not kept but made again here from its box, depth and reach. A contour longer
    than ``CONTOUR_KEEP_MAX`` (deep chains) is handed over instead and forgotten (its node is laid
    out again when next needed), so a full layout stays linear."""
    LC, RC = st.LC, st.RC
    lc = {}
    rc = {}
    for c in ks:
        a = LC[c]
        b = RC[c]
        if a is None:  # a rectangle (see _rectangle)
            lc[c], rc[c] = _rectangle(st, c)
        elif len(a[0]) > CONTOUR_KEEP_MAX or len(b[0]) > CONTOUR_KEEP_MAX:
            lc[c] = a
            rc[c] = b
            LC[c] = RC[c] = None
        else:
            lc[c] = [a[0][:], a[1][:], a[2], a[3]]
            rc[c] = [b[0][:], b[1][:], b[2], b[3]]
    return lc, rc


CONTOUR_KEEP_MAX = 512


def _rectangle(st: _Arrays, c: int):
    """The contours of a leaf or of a hanging list, as _lay_out makes them (same arithmetic)."""
    w2 = st.W[c] / 2
    if not st.kids[c]:
        h = st.H[c]
        return [[h], [-w2], 0.0, 0.0], [[h], [w2], 0.0, 0.0]
    d = st.D[c]
    return [[d], [-w2], 0.0, 0.0], [[d, st.H[c]], [st.reach[c], w2], 0.0, 0.0]


def _needs_laying_out(st: _Arrays, c: int) -> bool:
    """Whether ``c``'s contours are neither kept nor a rectangle made again on demand."""
    return st.LC[c] is None and bool(st.kids[c]) and not st.hangs[c]


def _lay_out(st: _Arrays, order, blocks=None, keep=False) -> list[int]:
    """Each node of ``order`` (children before parents) gets its contours from its children's,
    and places its children relative to itself. Returns the parents of hanging lists among them.

    ``keep``: the children's contours are copied, not consumed (:class:`IncrementalLayout`).
    With ``blocks`` (a :class:`_Blocks` of this tree, extent only), leaves and hanging subtrees
    are not visited: their contours are seeded from the blocks just before their parent needs
    them."""
    kids, W, H, is_staff = st.kids, st.W, st.H, st.is_staff
    relx, rely, kind, ctop, LC, RC, D = st.relx, st.rely, st.kind, st.ctop, st.LC, st.RC, st.D
    height, hangable, reach, hangs = st.height, st.hangable, st.reach, st.hangs
    h_gap, v_gap, fold_leaves, compact, indent = st.h_gap, st.v_gap, st.fold_leaves, st.compact, st.indent
    half_v = v_gap / 2
    fold_gap = v_gap / 4
    hang = bool(compact)
    hang_parents = []
    for v in order:
        w2 = W[v] / 2
        h = H[v]
        ks = kids[v]
        if blocks is not None:
            for c in ks:
                if LC[c] is None:
                    blocks.seed(c, LC, RC, D)
        if not ks:
            D[v] = h
            if keep:  # not kept: made again from the box (_rectangle); it may have had children
                LC[v] = RC[v] = None
                height[v] = 0
                hangable[v] = True
                reach[v] = w2
                hangs[v] = False
            else:
                LC[v] = [[h], [-w2], 0.0, 0.0]
                RC[v] = [[h], [w2], 0.0, 0.0]
            continue
        if hang:
            hv = 1 + max([height[c] for c in ks])
            height[v] = hv
            if hv <= compact and all([hangable[c] and not is_staff[c] for c in ks]):
                # Hanging list: children stacked below, left edges on the indent.
                left = indent - w2
                y = h + fold_gap
                r = w2
                for c in ks:
                    x = relx[c] = left + W[c] / 2
                    rely[c] = y
                    kind[c] = _HANG
                    y += D[c] + fold_gap
                    if x + reach[c] > r:
                        r = x + reach[c]
                    if not keep:
                        LC[c] = RC[c] = None
                d = D[v] = y - fold_gap
                reach[v] = r
                hangable[v] = True
                if keep:  # not kept: made again from depth and reach (_rectangle)
                    hangs[v] = True
                    LC[v] = RC[v] = None
                else:
                    LC[v] = [[d], [-w2], 0.0, 0.0]
                    RC[v] = [[d, h], [r, w2], 0.0, 0.0]
                hang_parents.append(v)
                continue
            hangable[v] = False
        if keep:
            hangs[v] = False
            lc, rc = _private_contours(st, ks)
        else:
            lc, rc = LC, RC
        normal = [c for c in ks if not is_staff[c]]
        stf = [c for c in ks if is_staff[c]] if len(normal) != len(ks) else ()
        band = None
        y = h
        if stf:
            stop = h + half_v
            half = (len(stf) + 1) // 2
            groups = []
            for grp, left in ((stf[:half], True), (stf[half:], False)):
                if not grp:
                    continue
                pos, gl, gr, gd = _row(grp, lc, rc, D, h_gap)
                if left:
                    dx = -h_gap - max([x + gr[2] for x in gr[1]])
                    near = grp[-1]
                else:
                    dx = h_gap - min([x + gl[2] for x in gl[1]])
                    near = grp[0]
                for c, p in zip(grp, pos):
                    relx[c] = p + dx
                    rely[c] = stop
                    kind[c] = _STAFF_FAR
                kind[near] = _STAFF_NEAR
                gl[2] += dx
                gr[2] += dx
                groups.append((gl, gr, gd))
            bl, br, bd = groups[0]
            if len(groups) == 2:
                bl, br, bd = _merge(bl, br, bd, *groups[1])
            bl[3] += stop
            br[3] += stop
            band = (bl, br)
            y = stop + bd
        if normal:
            top = y + v_gap
            ctop[v] = top
            m = len(normal)
            if fold_leaves is not None and m > fold_leaves:
                fl, fr, depth = _fold(normal, lc, rc, D, H, relx, rely, kind, top, h_gap, fold_gap, half_v)
                D[v] = top + depth
            else:
                pos, fl, fr, fd = _row(normal, lc, rc, D, h_gap)
                mid = (pos[0] + pos[-1]) / 2
                for c, p in zip(normal, pos):
                    relx[c] = p - mid
                    rely[c] = top
                    kind[c] = _NORMAL
                fl[2] -= mid
                fr[2] -= mid
                fl[3] += top
                fr[3] += top
                D[v] = top + fd
            if band is not None:
                _stack(band[0], fl)
                _stack(band[1], fr)
        else:
            assert band is not None  # no normal child: all are staff, placed in the band
            fl, fr = band
            D[v] = y
        fl[0].append(h - fl[3])
        fl[1].append(-w2 - fl[2])
        fr[0].append(h - fr[3])
        fr[1].append(w2 - fr[2])
        LC[v] = fl
        RC[v] = fr
        if not keep:
            for c in ks:  # children contours are consumed; free them early
                LC[c] = RC[c] = None
    return hang_parents


def _connector(kd, cx, py, pb, wp, bus, ccx, cy, wc, hc, quarter_v, indent):
    """The polyline from a parent (centre ``cx``, top ``py``, bottom ``pb``, width ``wp``, children
    bus at ``bus``) to a child (centre ``ccx``, top ``cy``, size ``wc`` × ``hc``) of kind ``kd``."""
    if kd == _NORMAL:
        if -1e-9 < ccx - cx < 1e-9:
            return ((cx, pb), (cx, cy))
        return ((cx, pb), (cx, bus), (ccx, bus), (ccx, cy))
    if kd == _HANG:  # down the spine, then right into the child's left edge
        sx = cx - wp / 2 + (indent / 2 if indent < wp else wp / 2)
        my = cy + hc / 2
        return ((sx, pb), (sx, my), (ccx - wc / 2, my))
    if kd == _STAFF_FAR:
        sbus = pb + quarter_v
        return ((cx, pb), (cx, sbus), (ccx, sbus), (ccx, cy))
    # folded leaf or nearest staff: trunk then a horizontal arm
    my = cy + hc / 2
    edge = ccx + wc / 2 if ccx < cx else ccx - wc / 2
    return ((cx, pb), (cx, my), (edge, my))


def _compute(root, children, sizes, staff, transpose, orientation, h_gap, v_gap, fold_leaves,
             compact=None, indent=None, extent_only=False, blocks=None):
    """Lay out (or, with ``extent_only``, only measure) the tree.

    With ``blocks`` (a :class:`_Blocks` of this tree, extent only), leaves and hanging subtrees
    are not visited: their contours are seeded from the blocks just before their parent needs
    them."""
    if compact:
        fold_leaves = None
    if blocks is not None:
        ix = blocks.ix
        order = blocks.order(compact)
        compact = None  # the hanging subtrees are seeded, never laid out here
    else:
        ix = _index(root, children, sizes, staff, transpose)
        order = range(len(ix[0]) - 1, -1, -1)
    st = _Arrays(ix, h_gap, v_gap, fold_leaves, compact, indent)
    hang_parents = _lay_out(st, order, blocks)
    LC, RC, D = st.LC, st.RC, st.D
    if LC[0] is None:  # a lone root, or a whole tree hanging as one list
        blocks.seed(0, LC, RC, D)
    # Bounds come from the root's contours: no extra pass over the nodes.
    rl, rr = LC[0], RC[0]
    minx = min(rl[1]) + rl[2]
    maxx = max(rr[1]) + rr[2]
    maxy = D[0]
    st.LC = st.RC = []
    del LC, RC, rl, rr  # the contours are no longer needed: free them before the outputs
    if extent_only:
        return (maxy, maxx - minx) if transpose else (maxx - minx, maxy)

    # Absolute positions top-down (BFS order has parents first), then outputs.
    ids, parent, W, H, kind, ctop = st.ids, st.parent, st.W, st.H, st.kind, st.ctop
    X = st.relx  # reused in place: centres, translated so that min x = 0
    Y = st.rely
    X[0] = -minx
    Y[0] = 0.0
    half_v = v_gap / 2
    quarter_v = v_gap / 4
    indent = st.indent
    boxes: dict[str, Box] = {}
    connectors: list[Connector] = []
    rid = ids[0]
    new = tuple.__new__  # Box(...) and Connector(...) without the keyword-parsing __new__
    boxes[rid] = new(Box, (rid, X[0] - W[0] / 2, 0.0, W[0], H[0]) if not transpose
                     else (rid, 0.0, X[0] - W[0] / 2, H[0], W[0]))
    for c in range(1, len(ids)):
        p = parent[c]
        cx = X[p]
        ccx = X[c] = X[c] + cx
        py = Y[p]
        cy = Y[c] = Y[c] + py
        wc = W[c]
        hc = H[c]
        pts = _connector(kind[c], cx, py, py + H[p], W[p], py + ctop[p] - half_v, ccx, cy, wc, hc,
                         quarter_v, indent)
        cid = ids[c]
        if transpose:
            pts = tuple([(b, a) for a, b in pts])
            boxes[cid] = new(Box, (cid, cy, ccx - wc / 2, hc, wc))
        else:
            boxes[cid] = new(Box, (cid, ccx - wc / 2, cy, wc, hc))
        connectors.append(new(Connector, (ids[p], cid, pts)))
    chart_width, chart_height = maxx - minx, maxy
    if transpose:
        chart_width, chart_height = chart_height, chart_width
    hanging = frozenset([ids[v] for v in hang_parents])
    return Layout(boxes, connectors, chart_width, chart_height, orientation, hanging, v_gap)


@dataclass(frozen=True)
class LayoutDelta:
    """What an incremental layout changed since ``base`` (the previous layout of the same engine).

    ``boxes``: ids whose box is new or moved or resized; ``removed``: ids no longer laid out (their
    connectors are gone too); ``connectors``: the connectors new or changed; ``relisted``: ids
    whose list of children changed. The base is held weakly (None once nobody keeps it): a chain
    of deltas must not keep every past layout alive."""

    base_ref: weakref.ref
    boxes: frozenset
    removed: frozenset
    connectors: tuple
    relisted: frozenset

    @property
    def base(self) -> Layout | None:
        return self.base_ref()


_NO_CHILDREN: list = []


class IncrementalLayout:
    """:func:`compute_layout` that remembers its last layout and, on the next call, lays out again
    only what the changes reach: the nodes whose child list, box size or staff flag changed and
    their ancestors (each from its children's cached contours), then moves only the boxes whose
    place changed. The result is exactly that of :func:`compute_layout` on the same input (a
    property test replays random edit sequences against it), with a :class:`LayoutDelta` in
    ``layout.delta``.

    Changes are found by comparing the input with a copy of the last one (one pass over the child
    lists and sizes at C speed), so any edit, of any origin, is seen. The child lists must be
    lists; another orientation, gap, folding or compaction lays out everything again, as does a
    child map whose change the incremental pass cannot follow alone (a node listed twice)."""

    def __init__(self) -> None:
        self._st: _Kept | None = None
        self.full_layouts = 0  # how many layouts were computed whole (tests, benchmarks)
        self.incremental_layouts = 0

    def reset(self) -> None:
        self._st = None

    def compute(
        self,
        root: str,
        children: Mapping[str, Sequence[str]],
        sizes: Mapping[str, tuple[float, float]],
        staff: AbstractSet[str] = frozenset(),
        orientation: str = "top-down",
        *,
        h_gap: float = 16.0,
        v_gap: float = 36.0,
        fold_leaves: int | None = 4,
        compact: int | None = None,
        indent: float | None = None,
    ) -> Layout:
        _check(orientation, h_gap, v_gap, compact, indent)
        compact = compact or None
        if compact:
            fold_leaves = None
        params = (orientation, h_gap, v_gap, fold_leaves, compact, indent)
        transpose = orientation == "left-right"
        with gc_paused():
            st = self._st
            if st is not None and st.exact and st.params == params and st.ids[0] == root:
                self._st = None  # an error half-way leaves nothing to trust
                layout = _Update(st, children, sizes, staff, transpose).run()
                if layout is not None:
                    self._st = st
                    self.incremental_layouts += 1
                    return layout
            layout = self._full(root, children, sizes, staff, transpose, params)
            self.full_layouts += 1
            return layout

    def _full(self, root, children, sizes, staff, transpose, params) -> Layout:
        st = _Kept(_index(root, children, sizes, staff, transpose), children, sizes, staff, transpose, params)
        n = len(st.ids)
        for v in _lay_out(st, range(n - 1, -1, -1), keep=True):
            st.hang.add(st.ids[v])
        layout = _place(st, range(n), None)
        self._st = st
        return layout


class _Kept(_Arrays):
    """The arrays of :class:`IncrementalLayout`'s last layout, and what it was made from."""

    def __init__(self, ix, children, sizes, staff, transpose, params) -> None:
        orientation, h_gap, v_gap, fold_leaves, compact, indent = params
        super().__init__(ix, h_gap, v_gap, fold_leaves, compact, indent)
        n = len(self.ids)
        empty = ()  # kept for the next layouts: the leaves share one empty child list
        self.kids = [ks if ks else empty for ks in self.kids]
        self.params = params
        self.transpose = transpose
        self.orientation = orientation
        self.index = {nid: i for i, nid in enumerate(self.ids)}
        self.alive = [True] * n
        self.free: list[int] = []  # indexes of removed nodes, reused for new ones
        get = children.get
        # child lists as laid out (one shared empty list for the leaves; never changed in place)
        self.snap = {nid: list(kids) if (kids := get(nid)) else _NO_CHILDREN for nid in self.ids}
        # A node listed twice (or the root listed) is placed by _index's breadth-first rule, which
        # the incremental pass does not replay: such a map is always laid out whole.
        self.exact = sum([len(kids) for kids in self.snap.values()]) == n - 1
        self.sizes = {nid: sizes[nid] for nid in self.ids}
        self.staff = frozenset(staff)
        self.level = level = [0] * n  # depth in the tree, for bottom-up order
        parent = self.parent
        for c in range(1, n):
            level[c] = level[parent[c]] + 1
        self.hang: set[str] = set()  # ids of the parents of hanging lists
        self.X = [float("nan")] * n  # absolute centre x and top y (nan: not placed yet)
        self.Y = [float("nan")] * n
        self.boxes: dict[str, Box] = {}
        self.conns: dict[str, Connector] = {}  # child id -> its connector
        self.layout: Layout | None = None


def _place(st: _Kept, dirty, removed, relisted=()) -> Layout:
    """Absolute places from the root down, visiting only the subtrees whose place or block may
    have changed (``dirty``: the nodes laid out again); boxes and connectors updated in place."""
    ids, kids, W, H, kind, ctop, relx, rely = st.ids, st.kids, st.W, st.H, st.kind, st.ctop, st.relx, st.rely
    X, Y, boxes, conns, transpose = st.X, st.Y, st.boxes, st.conns, st.transpose
    half_v = st.v_gap / 2
    quarter_v = st.v_gap / 4
    indent = st.indent
    rl, rr = (st.LC[0], st.RC[0]) if st.LC[0] is not None else _rectangle(st, 0)
    minx = min(rl[1]) + rl[2]
    maxx = max(rr[1]) + rr[2]
    maxy = st.D[0]
    new = tuple.__new__
    if removed:  # gone for good (not put back elsewhere by the same change)
        removed = [nid for nid in removed if nid not in st.index]
        for nid in removed:
            del boxes[nid]
            conns.pop(nid, None)
    redo = set(dirty)
    moved_boxes = set()
    moved_conns = []
    rid = ids[0]
    x0 = -minx
    if x0 != X[0] or Y[0] != 0.0:
        X[0] = x0
        Y[0] = 0.0
        redo.add(0)
    box = new(Box, (rid, x0 - W[0] / 2, 0.0, W[0], H[0]) if not transpose else (rid, 0.0, x0 - W[0] / 2, H[0], W[0]))
    if boxes.get(rid) != box:
        boxes[rid] = box
        moved_boxes.add(rid)
    stack = [0]
    while stack:
        p = stack.pop()
        ks = kids[p]
        if not ks:
            continue
        cx = X[p]
        py = Y[p]
        pb = py + H[p]
        wp = W[p]
        bus = py + ctop[p] - half_v
        pid = ids[p]
        for c in ks:
            ccx = cx + relx[c]
            cy = py + rely[c]
            wc = W[c]
            hc = H[c]
            if ccx != X[c] or cy != Y[c]:
                X[c] = ccx
                Y[c] = cy
                stack.append(c)
            elif c in redo:
                stack.append(c)
            pts = _connector(kind[c], cx, py, pb, wp, bus, ccx, cy, wc, hc, quarter_v, indent)
            cid = ids[c]
            if transpose:
                pts = tuple([(b, a) for a, b in pts])
                box = new(Box, (cid, cy, ccx - wc / 2, hc, wc))
            else:
                box = new(Box, (cid, ccx - wc / 2, cy, wc, hc))
            if boxes.get(cid) != box:
                boxes[cid] = box
                moved_boxes.add(cid)
            conn = conns.get(cid)
            if conn is None or conn.points != pts or conn.parent != pid:
                conns[cid] = conn = new(Connector, (pid, cid, pts))
                moved_conns.append(conn)
    width, height = maxx - minx, maxy
    if transpose:
        width, height = height, width
    layout = Layout(dict(boxes), list(conns.values()), width, height, st.orientation, frozenset(st.hang),
                    st.v_gap)
    if removed is not None and st.layout is not None:
        layout.delta = LayoutDelta(weakref.ref(st.layout), frozenset(moved_boxes), frozenset(removed), tuple(moved_conns),
                                   frozenset(relisted))
    st.layout = layout
    return layout


class _Update:
    """One incremental pass of :class:`IncrementalLayout` (None from ``run``: lay out everything)."""

    def __init__(self, st, children, sizes, staff, transpose):
        self.st, self.children, self.sizes, self.staff, self.transpose = st, children, sizes, staff, transpose

    def run(self) -> Layout | None:
        st, children = self.st, self.children
        get = children.get
        snap = st.snap
        # One pass at C speed (no Python frame per node): the ids whose child list differs.
        keys = list(snap)
        changed = list(compress(keys, map(ne, map(get, keys, repeat(_NO_CHILDREN)), snap.values())))
        sizes = self.sizes
        staff_moved = () if st.staff == self.staff else st.staff.symmetric_difference(self.staff)
        index, alive, ids, parent, kids = st.index, st.alive, st.ids, st.parent, st.kids
        root = ids[0]
        changed_set = set(changed)
        # Who lists whom now: the changed parents' new lists, the others' as before.
        claimed: dict[str, str] = {}
        for nid in changed:
            for c in get(nid) or ():
                if c in claimed or c == root:
                    return None  # listed twice: the breadth-first rule of _index decides
                claimed[c] = nid

        def new_parent(nid):
            if nid in claimed:
                return claimed[nid]
            i = index.get(nid)
            if i is None or not alive[i] or i == 0:
                return None
            p = ids[parent[i]]
            return None if p in changed_set else p

        reachable: dict[str, bool] = {root: True}

        def reaches(nid) -> bool:
            path = []
            seen = set()
            ok = False
            while True:
                if nid in reachable:
                    ok = reachable[nid]
                    break
                if nid is None or nid in seen:
                    break
                seen.add(nid)
                path.append(nid)
                nid = new_parent(nid)
            for p in path:
                reachable[p] = ok
            return ok

        for c, p in claimed.items():
            i = index.get(c)
            if i is not None and alive[i] and ids[parent[i]] != p and ids[parent[i]] not in changed_set:
                return None  # still listed by its unchanged old parent too
        # Nodes that left a changed list without being listed again, and claims by parents that
        # are no longer in the tree: their subtrees go.
        gone = [c for nid in changed for c in snap[nid] if c not in claimed]
        gone += [c for c in claimed if not reaches(c)]
        removed: list[str] = []
        stack = [c for c in gone if c in index and alive[index[c]]]
        while stack:
            nid = stack.pop()
            i = index[nid]
            if not alive[i] or (nid in claimed and reaches(nid)):
                continue
            alive[i] = False
            removed.append(nid)
            stack.extend((get(nid) or ()) if nid in changed_set else [ids[k] for k in kids[i]])
        dirty: set[int] = set()
        for nid in removed:
            i = index.pop(nid)
            snap.pop(nid, None)
            st.sizes.pop(nid, None)
            st.hang.discard(nid)
            kids[i] = []
            st.LC[i] = st.RC[i] = None
            st.free.append(i)
        # New child lists; new nodes indexed (their subtrees too), moved ones re-parented.
        rerooted: list[int] = []
        for nid in changed:
            if nid not in index:
                continue
            v = index[nid]
            lst = []
            for c in get(nid) or ():
                k = index.get(c)
                if k is None:
                    k = self._add_subtree(c, v, dirty)
                    if k is None:
                        return None
                elif parent[k] != v:
                    parent[k] = v
                    rerooted.append(k)
                lst.append(k)
            kids[v] = lst
            snap[nid] = list(now) if (now := get(nid)) else _NO_CHILDREN
            dirty.add(v)
        for k in rerooted:
            self._relevel(k)
        # New sizes (of the nodes still there) and staff flags.
        W, H, is_staff = st.W, st.H, st.is_staff
        keys = list(st.sizes)
        resized = list(compress(keys, map(ne, map(sizes.__getitem__, keys), st.sizes.values())))
        for nid in resized:
            i = index.get(nid)
            if i is None:
                continue
            w, h = sizes[nid]
            st.sizes[nid] = (w, h)
            if self.transpose:
                w, h = h, w
            W[i] = float(w)
            H[i] = float(h)
            dirty.add(i)
        for nid in staff_moved:
            i = index.get(nid)
            if i is not None and i != 0:
                is_staff[i] = nid in self.staff
                dirty.add(parent[i])
        st.staff = frozenset(self.staff)
        # Lay out again the dirty nodes, their ancestors and any child whose contour was not kept.
        level = st.level
        todo = set()
        for v in dirty:
            while v not in todo and v != -1:
                todo.add(v)
                v = parent[v]
        stack = [c for v in todo for c in kids[v] if c not in todo and _needs_laying_out(st, c)]
        while stack:
            c = stack.pop()
            if c in todo:
                continue
            todo.add(c)
            stack.extend(k for k in kids[c] if _needs_laying_out(st, k))
        order = sorted(todo, key=level.__getitem__, reverse=True)
        for v in order:
            st.hang.discard(ids[v])
        for v in _lay_out(st, order, keep=True):
            st.hang.add(ids[v])
        return _place(st, todo, removed, changed)

    def _add_subtree(self, nid, under, dirty) -> int | None:
        """Index ``nid`` and its descendants (breadth-first, like ``_index``) below ``under``."""
        st = self.st
        index, ids, get, sizes = st.index, st.ids, self.children.get, self.sizes
        start = self._slot(nid, under)
        queue = [start]
        for v in queue:
            dirty.add(v)
            lst = []
            for c in get(ids[v]) or ():
                if c in index:
                    return None  # already in the tree: let the full pass apply its rule
                k = self._slot(c, v)
                queue.append(k)
                lst.append(k)
            st.kids[v] = lst
            kids = get(ids[v])
            st.snap[ids[v]] = list(kids) if kids else _NO_CHILDREN
        for v in queue:
            nid = ids[v]
            try:
                w, h = sizes[nid]
            except KeyError:
                raise KeyError(f"no box size for node {nid!r}") from None
            st.sizes[nid] = (w, h)
            if self.transpose:
                w, h = h, w
            st.W[v] = float(w)
            st.H[v] = float(h)
            st.is_staff[v] = nid in self.staff
            if st.compact:
                st.reach[v] = st.W[v] / 2
        return start

    def _slot(self, nid, under) -> int:
        st = self.st
        if st.free:
            i = st.free.pop()
        else:
            i = len(st.ids)
            st.grow(1)
            st.ids.append(nid)
            st.alive.append(True)
            st.level.append(0)
            st.X.append(float("nan"))
            st.Y.append(float("nan"))
        st.ids[i] = nid
        st.index[nid] = i
        st.alive[i] = True
        st.parent[i] = under
        st.level[i] = st.level[under] + 1
        st.X[i] = st.Y[i] = float("nan")
        st.kind[i] = _NORMAL
        st.LC[i] = st.RC[i] = None
        st.hangs[i] = False
        return i

    def _relevel(self, k: int) -> None:
        st = self.st
        level, parent, kids = st.level, st.parent, st.kids
        # The parent may itself have moved in this pass: count from the root.
        d = 0
        p = parent[k]
        while p != -1:
            d += 1
            p = parent[p]
        level[k] = d
        stack = [k]
        while stack:
            v = stack.pop()
            for c in kids[v]:
                level[c] = level[v] + 1
                stack.append(c)
