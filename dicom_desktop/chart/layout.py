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
classic tidy tree applies, blocks acting as rectangles.  ``chart.compaction.choose_compaction``
picks the least ``k`` whose chart is about as wide as a landscape page; the editor lays out
again only what an edit reaches with ``chart.incremental_layout.IncrementalLayout``.
Everything is computed with integer indices and loops, never recursion, so a
100,000-deep chain is as fine as any other tree.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
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
    delta: LayoutDelta | None = None


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


_shared = threading.local()  # .ix: the indexes built inside index_shared(), by input identity


@contextmanager
def index_shared() -> Iterator[None]:
    """Inside the block, the tree index of the same input objects is built once: a compaction
    choice then the layout it chose (``chart_geometry``: 0.2 s at 100,000 entities), nothing
    edited in between. The index is read-only for both (a kept layout builds its own)."""
    outer = getattr(_shared, "ix", None)
    _shared.ix = {}
    try:
        yield
    finally:
        _shared.ix = outer


def _index(root, children, sizes, staff, transpose):
    """:func:`_build_index`, or the one built for the same objects inside :func:`index_shared`."""
    memo = getattr(_shared, "ix", None)
    if memo is None:
        return _build_index(root, children, sizes, staff, transpose)
    key = (root, id(children), id(sizes), id(staff), transpose)
    hit = memo.get(key)
    if hit is not None and hit[0] is children and hit[1] is sizes and hit[2] is staff:
        return hit[3]
    ix = _build_index(root, children, sizes, staff, transpose)
    memo[key] = (children, sizes, staff, ix)
    return ix


def _build_index(root, children, sizes, staff, transpose):
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


def _parent_points(cx, pb, bus, wp, indent):
    """The points the connectors of one parent's children start with: its bottom centre
    ``(cx, pb)``, the bus above its children ``(cx, bus)`` and the top of the spine of a hanging
    list, made once per parent and shared by the children's polylines (tuples are immutable;
    at 10,000 entities a tuple and a float or two fewer per connector)."""
    if indent is None:  # no hanging lists in this layout
        return (cx, pb), (cx, bus), None
    sx = cx - wp / 2 + (indent / 2 if indent < wp else wp / 2)
    return (cx, pb), (cx, bus), (sx, pb)


def _connector(kd, cx, py, pb, wp, bus, ccx, cy, wc, hc, quarter_v, indent, shared=None):
    """The polyline from a parent (centre ``cx``, top ``py``, bottom ``pb``, width ``wp``, children
    bus at ``bus``) to a child (centre ``ccx``, top ``cy``, size ``wc`` × ``hc``) of kind ``kd``.
    ``shared`` is the parent's ``_parent_points`` (made here when not given)."""
    top, down, spine = shared if shared is not None else _parent_points(cx, pb, bus, wp, indent)
    if kd == _NORMAL:
        if -1e-9 < ccx - cx < 1e-9:
            return (top, (cx, cy))
        return (top, down, (ccx, bus), (ccx, cy))
    if kd == _HANG:  # down the spine, then right into the child's left edge
        sx = spine[0]
        my = cy + hc / 2
        return (spine, (sx, my), (ccx - wc / 2, my))
    if kd == _STAFF_FAR:
        sbus = pb + quarter_v
        return (top, (cx, sbus), (ccx, sbus), (ccx, cy))
    # folded leaf or nearest staff: trunk then a horizontal arm
    my = cy + hc / 2
    edge = ccx + wc / 2 if ccx < cx else ccx - wc / 2
    return (top, (cx, my), (edge, my))


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
    last = -1  # the parent whose bottom, bus and shared points are at hand (siblings follow each other)
    for c in range(1, len(ids)):
        p = parent[c]
        cx = X[p]
        ccx = X[c] = X[c] + cx
        py = Y[p]
        cy = Y[c] = Y[c] + py
        wc = W[c]
        hc = H[c]
        if p != last:
            last = p
            pb = py + H[p]
            bus = py + ctop[p] - half_v
            shared = _parent_points(cx, pb, bus, W[p], indent)
        pts = _connector(kind[c], cx, py, pb, W[p], bus, ccx, cy, wc, hc, quarter_v, indent, shared)
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
