"""The editor's layout: :func:`chart.layout.compute_layout` that lays out again only what an edit
reaches, with exactly the same result (issue 16).

The layout is a tidy tree: a node's block (its contours) depends on its children's blocks only,
and a child's place is relative to its parent. So after an edit only the nodes whose child list,
box size or staff flag changed, and their ancestors, are laid out again, each from its children's
kept contours (``chart.layout._lay_out`` with ``keep``: one code for both); then absolute places
are walked down from the root only into the subtrees whose place or block changed, and the
result says which boxes and connectors changed (:class:`LayoutDelta`) so that the editor's scene
touches only those items. A move thus costs the two paths to the root plus the boxes that must
move (those beside the changed branches), not a pass over the whole chart.
"""

from __future__ import annotations

import weakref
from itertools import compress, repeat
from operator import ne
from typing import AbstractSet, Collection, Mapping, Sequence

from dicom_desktop.chart.layout import (
    _NORMAL,
    Box,
    Connector,
    Layout,
    LayoutDelta,
    _Arrays,
    _check,
    _connector,
    _build_index,
    _lay_out,
    _parent_points,
    _rectangle,
)
from dicom_desktop.gcpause import gc_paused


_NO_CHILDREN: list = []


def _needs_laying_out(st: _Arrays, c: int) -> bool:
    """Whether ``c``'s contours are neither kept nor a rectangle made again on demand."""
    return st.LC[c] is None and bool(st.kids[c]) and not st.hangs[c]



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
        changed: Collection[str] | None = None,
    ) -> Layout:
        """``changed``: when the caller knows it, every id whose child list, box size or staff
        flag may differ from the previous call (an edit journal: :class:`graph.ChangeLog`); only
        those are compared with the kept copy. None: everything is compared."""
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
                layout = _Update(st, children, sizes, staff, transpose, changed).run()
                if layout is not None:
                    self._st = st
                    self.incremental_layouts += 1
                    return layout
            layout = self._full(root, children, sizes, staff, transpose, params)
            self.full_layouts += 1
            return layout

    def _full(self, root, children, sizes, staff, transpose, params) -> Layout:
        st = _Kept(_build_index(root, children, sizes, staff, transpose), children, sizes, staff, transpose, params)
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
        shared = _parent_points(cx, pb, bus, wp, indent)
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
            pts = _connector(kind[c], cx, py, pb, wp, bus, ccx, cy, wc, hc, quarter_v, indent, shared)
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

    def __init__(self, st, children, sizes, staff, transpose, hint=None):
        self.st, self.children, self.sizes, self.staff, self.transpose = st, children, sizes, staff, transpose
        self.hint = hint

    def run(self) -> Layout | None:
        st, children = self.st, self.children
        get = children.get
        snap = st.snap
        # The ids whose child list differs: among those the caller names, or in one pass over
        # all at C speed (no Python frame per node).
        keys = list(snap) if self.hint is None else [nid for nid in self.hint if nid in snap]
        changed = list(compress(keys, map(ne, map(get, keys, repeat(_NO_CHILDREN)), map(snap.__getitem__, keys))))
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
        keys = list(st.sizes) if self.hint is None else [nid for nid in self.hint if nid in st.sizes]
        resized = list(compress(keys, map(ne, map(sizes.__getitem__, keys), map(st.sizes.__getitem__, keys))))
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
