"""Invariants of the tidy tree layout (pure core, no Qt)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dicom_desktop.layout import Box, compute_layout

EPS = 1e-6


@st.composite
def org_trees(draw, max_nodes=300):
    n = draw(st.integers(1, max_nodes))
    # Parents drawn near the new node give deep trees, anywhere gives bushy ones.
    locality = draw(st.sampled_from([None, 3, 10]))
    children: dict[str, list[str]] = {}
    sizes = {"n0": (draw(st.floats(20, 200)), draw(st.floats(10, 90)))}
    staff = set()
    staff_rate = draw(st.sampled_from([0.0, 0.15, 0.5]))
    for i in range(1, n):
        lo = 0 if locality is None else max(0, i - locality)
        p = draw(st.integers(lo, i - 1))
        children.setdefault(f"n{p}", []).append(f"n{i}")
        sizes[f"n{i}"] = (draw(st.floats(20, 200)), draw(st.floats(10, 90)))
        if draw(st.floats(0, 1)) < staff_rate:
            staff.add(f"n{i}")
    orientation = draw(st.sampled_from(["top-down", "left-right"]))
    fold = draw(st.sampled_from([None, 0, 2, 4]))
    return children, sizes, staff, orientation, fold


def canonical(layout) -> dict[str, Box]:
    """Boxes in top-down terms (left-right layouts transposed back)."""
    if layout.orientation == "top-down":
        return layout.boxes
    return {k: Box(b.id, b.y, b.x, b.h, b.w) for k, b in layout.boxes.items()}


def overlapping_pairs(boxes):
    """Pairs of boxes closer than EPS (sweep over x)."""
    bad = []
    active: list[Box] = []
    for b in sorted(boxes, key=lambda b: (b.x, b.id)):
        active = [a for a in active if a.x + a.w + EPS > b.x]
        for a in active:
            if a.y < b.y + b.h + EPS and b.y < a.y + a.h + EPS:
                bad.append((a.id, b.id))
        active.append(b)
    return bad


def folded(node, children, staff, fold):
    normal = [c for c in children.get(node, []) if c not in staff]
    return fold is not None and len(normal) > fold and not any(children.get(c) for c in normal)


def check_invariants(children, sizes, staff, orientation, fold):
    layout = compute_layout("n0", children, sizes, staff, orientation, fold_leaves=fold)
    again = compute_layout("n0", children, sizes, staff, orientation, fold_leaves=fold)
    assert layout.boxes == again.boxes and layout.connectors == again.connectors

    assert set(layout.boxes) == set(sizes)
    for nid, b in layout.boxes.items():
        assert (b.w, b.h) == sizes[nid]
    xs = [b.x for b in layout.boxes.values()]
    ys = [b.y for b in layout.boxes.values()]
    assert abs(min(xs)) < EPS and abs(min(ys)) < EPS
    assert abs(max(b.x + b.w for b in layout.boxes.values()) - layout.width) < EPS
    assert abs(max(b.y + b.h for b in layout.boxes.values()) - layout.height) < EPS

    boxes = canonical(layout)
    assert overlapping_pairs(boxes.values()) == []

    for p, kids in children.items():
        pb = boxes[p]
        pcx = pb.x + pb.w / 2
        normal = [c for c in kids if c not in staff]
        stf = [c for c in kids if c in staff]
        for c in kids:
            assert boxes[c].y > pb.y + pb.h + EPS, (p, c)  # below the parent
        if normal and not folded(p, children, staff, fold):
            first, last = boxes[normal[0]], boxes[normal[-1]]
            mid = (first.x + first.w / 2 + last.x + last.w / 2) / 2
            assert abs(pcx - mid) < 0.01, (p, pcx, mid)
            tops = {round(boxes[c].y, 6) for c in normal}
            assert len(tops) == 1  # one row of normal children
        elif normal:  # folded: columns on either side of the trunk
            for c in normal:
                cb = boxes[c]
                assert cb.x + cb.w < pcx or cb.x > pcx
        row_top = min((boxes[c].y for c in normal), default=float("inf"))
        for s in stf:
            sb = boxes[s]
            assert sb.y >= pb.y + pb.h
            assert sb.y + sb.h < row_top
            assert sb.x + sb.w <= pcx or sb.x >= pcx, (p, s)

    edges = {(p, c) for p, kids in children.items() for c in kids}
    assert len(layout.connectors) == len(edges)
    assert {(k.parent, k.child) for k in layout.connectors} == edges
    for k in layout.connectors:
        pts = k.points
        assert len(pts) >= 2
        for (x0, y0), (x1, y1) in zip(pts, pts[1:]):
            assert abs(x0 - x1) < EPS or abs(y0 - y1) < EPS  # orthogonal
        assert on_border(layout.boxes[k.parent], pts[0])
        assert on_border(layout.boxes[k.child], pts[-1])


def on_border(b: Box, pt) -> bool:
    x, y = pt
    inside = b.x - EPS <= x <= b.x + b.w + EPS and b.y - EPS <= y <= b.y + b.h + EPS
    edge = min(abs(x - b.x), abs(x - b.x - b.w), abs(y - b.y), abs(y - b.y - b.h)) < EPS
    return inside and edge


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(org_trees())
def test_random_tree_invariants(tree):
    check_invariants(*tree)


def test_single_node():
    layout = compute_layout("a", {}, {"a": (100.0, 40.0)})
    assert layout.boxes["a"] == Box("a", 0.0, 0.0, 100.0, 40.0)
    assert layout.connectors == [] and (layout.width, layout.height) == (100.0, 40.0)


def test_left_right_puts_children_right_of_parent():
    sizes = {k: (80.0, 30.0) for k in "abc"}
    layout = compute_layout("a", {"a": ["b", "c"]}, sizes, orientation="left-right")
    a, b, c = (layout.boxes[k] for k in "abc")
    assert b.x > a.x + a.w and c.x > a.x + a.w
    assert abs(a.y + a.h / 2 - (b.y + b.h / 2 + c.y + c.h / 2) / 2) < 0.01


def test_small_subtrees_spread_evenly_between_big_ones():
    """Buchheim's improvement: leaves between two wide subtrees are evenly spaced."""
    children = {
        "r": ["A", "x1", "x2", "x3", "B"],
        "A": ["a1"], "a1": [f"a{i}" for i in range(2, 9)],
        "B": ["b1"], "b1": [f"b{i}" for i in range(2, 9)],
    }
    sizes = {k: (60.0, 20.0) for k in ["r", "A", "B", "x1", "x2", "x3"] + [f"{p}{i}" for p in "ab" for i in range(1, 9)]}
    layout = compute_layout("r", children, sizes, fold_leaves=None)
    cx = [layout.boxes[k].x + 30 for k in ["A", "x1", "x2", "x3", "B"]]
    steps = [round(b - a, 6) for a, b in zip(cx, cx[1:])]
    assert len(set(steps)) == 1, steps
    assert steps[0] > 60 + 16  # really pushed apart by the deep contours


def test_staff_sit_on_both_sides_of_the_trunk():
    children = {"dir": ["adj1", "adj2", "sd1", "sd2"], "adj1": ["bur"]}
    sizes = {k: (100.0, 30.0) for k in ["dir", "adj1", "adj2", "sd1", "sd2", "bur"]}
    layout = compute_layout("dir", children, sizes, {"adj1", "adj2"})
    b = layout.boxes
    trunk = b["dir"].x + 50
    assert b["adj1"].x + 100 < trunk < b["adj2"].x
    assert b["adj1"].y == b["adj2"].y
    assert b["bur"].y > b["adj1"].y + 30  # the adjoint's own office hangs below it
    assert min(b["sd1"].y, b["sd2"].y) > b["bur"].y + 30  # normal children below it all


def test_folded_leaves_make_a_narrow_column():
    kids = [f"l{i}" for i in range(10)]
    sizes = {k: (100.0, 30.0) for k in ["r", *kids]}
    folded = compute_layout("r", {"r": kids}, sizes, fold_leaves=4)
    wide = compute_layout("r", {"r": kids}, sizes, fold_leaves=None)
    assert folded.width < 2 * 100 + 2 * 16 + 1
    assert wide.width >= 10 * 100 + 9 * 16 - EPS
    assert folded.height > wide.height


def test_rejects_unknown_orientation():
    import pytest

    with pytest.raises(ValueError):
        compute_layout("a", {}, {"a": (1.0, 1.0)}, orientation="bottom-up")


N_BIG = 100_000


def test_deep_chain_is_iterative():
    ids = [f"n{i}" for i in range(N_BIG)]
    children = {a: [b] for a, b in zip(ids, ids[1:])}
    sizes = dict.fromkeys(ids, (170.0, 40.0))
    layout = compute_layout("n0", children, sizes)
    assert len(layout.boxes) == N_BIG
    last = layout.boxes[ids[-1]]
    assert last.x == 0.0 and last.y == (N_BIG - 1) * (40.0 + 36.0)
    assert len(layout.connectors) == N_BIG - 1


def test_huge_star_with_and_without_folding():
    kids = [f"c{i}" for i in range(N_BIG - 1)]
    sizes = dict.fromkeys(["root", *kids], (170.0, 40.0))
    for fold in (4, None):
        layout = compute_layout("root", {"root": kids}, sizes, fold_leaves=fold)
        assert len(layout.boxes) == N_BIG
    assert layout.height == 40.0 + 36.0 + 40.0
