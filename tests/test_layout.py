"""Invariants of the tidy tree layout (pure core, no Qt)."""

from __future__ import annotations

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from dicom_desktop.chart.compaction import choose_compaction, tree_height
from dicom_desktop.chart.layout import Box, compute_layout

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


@st.composite
def layouts_with_two_boxes(draw, max_nodes: int = 60, max_compact: int = 3):
    """(layout, source id, target id): a random tree laid out in any orientation, folding and
    compaction up to ``max_compact``, and two distinct boxes of it to link (the link-routing
    properties); single-box trees are skipped."""
    children, sizes, staff, orientation, fold = draw(org_trees(max_nodes=max_nodes))
    compact = draw(st.integers(0, max_compact))
    layout = compute_layout("n0", children, sizes, staff, orientation, fold_leaves=fold, compact=compact)
    ids = sorted(layout.boxes)
    assume(len(ids) >= 2)
    source, target = draw(st.lists(st.sampled_from(ids), min_size=2, max_size=2, unique=True))
    return layout, source, target


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


def folded(node, children, staff, fold, compact=None):
    """More than ``fold`` normal children fold into two columns, whatever their own children
    (so an edit below one of them never unfolds its siblings); compact layouts never fold."""
    normal = [c for c in children.get(node, []) if c not in staff]
    return fold is not None and not compact and len(normal) > fold


def check_invariants(children, sizes, staff, orientation, fold, compact=None):
    layout = compute_layout("n0", children, sizes, staff, orientation, fold_leaves=fold, compact=compact)
    again = compute_layout("n0", children, sizes, staff, orientation, fold_leaves=fold, compact=compact)
    assert layout.boxes == again.boxes and layout.connectors == again.connectors
    assert layout.hanging == again.hanging
    if not compact:
        assert layout.hanging == frozenset()

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
        if p in layout.hanging:
            continue  # checked by check_hanging
        if normal and not folded(p, children, staff, fold, compact):
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
    return layout


def on_border(b: Box, pt) -> bool:
    x, y = pt
    inside = b.x - EPS <= x <= b.x + b.w + EPS and b.y - EPS <= y <= b.y + b.h + EPS
    edge = min(abs(x - b.x), abs(x - b.x - b.w), abs(y - b.y), abs(y - b.y - b.h)) < EPS
    return inside and edge


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(org_trees())
def test_random_tree_invariants(tree):
    check_invariants(*tree)


# ---------------------------------------------------------------- compact mode
INDENT = 1.5 * 16.0  # default indent: 1.5 × h_gap


def expected_hanging(children, staff, compact):
    """Parents drawn as hanging lists, by definition: subtree height <= compact, no staff below."""
    order = ["n0"]
    for node in order:  # BFS, parents first
        order.extend(children.get(node, []))
    height, ok = {}, {}
    for node in reversed(order):
        kids = children.get(node, [])
        height[node] = 1 + max((height[c] for c in kids), default=-1)
        ok[node] = height[node] <= compact and all(ok[c] and c not in staff for c in kids)
    return {n for n in order if children.get(n) and ok[n]}


def subtree_boxes(node, children, boxes):
    out, stack = [], [node]
    while stack:
        n = stack.pop()
        out.append(boxes[n])
        stack.extend(children.get(n, []))
    return out


def check_hanging(layout, children, staff, compact):
    """The hanging-list invariant: children below the parent, in sibling order, each child's
    whole list above the next child, left edges aligned one indent right of the parent's."""
    assert layout.hanging == expected_hanging(children, staff, compact)
    boxes = canonical(layout)
    for p in layout.hanging:
        pb = boxes[p]
        floor = pb.y + pb.h
        for c in children[p]:
            cb = boxes[c]
            assert abs(cb.x - (pb.x + INDENT)) < EPS, (p, c)
            assert cb.y > floor + EPS, (p, c)
            block = subtree_boxes(c, children, boxes)
            assert min(b.x for b in block) >= cb.x - EPS  # the child's list hangs right of its spine
            floor = max(b.y + b.h for b in block)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(org_trees(), st.integers(0, 4))
def test_random_tree_invariants_compact(tree, compact):
    children, sizes, staff, orientation, fold = tree
    layout = check_invariants(children, sizes, staff, orientation, fold, compact)
    check_hanging(layout, children, staff, compact)


def test_leaf_children_hang_in_one_column():
    kids = [f"l{i}" for i in range(6)]
    sizes = {k: (100.0, 30.0) for k in ["r", *kids]}
    layout = compute_layout("r", {"r": kids}, sizes, compact=1)
    b = layout.boxes
    assert layout.hanging == {"r"}
    assert {b[k].x for k in kids} == {INDENT}
    assert [b[k].y for k in kids] == sorted(b[k].y for k in kids)
    assert layout.width == INDENT + 100.0
    for conn in layout.connectors:  # spine from the parent's bottom, arm into the child's left edge
        (x0, y0), (x1, y1), (x2, y2) = conn.points
        assert (x0, y0) == (INDENT / 2, 30.0) and x1 == x0 and y1 == y2 == b[conn.child].y + 15.0
        assert x2 == INDENT


def test_departments_of_hanging_lists_stand_side_by_side_or_stack():
    """compact=1: each department hangs its bureaux, departments in a centred row;
    compact=2: the departments themselves hang below the direction."""
    children = {"dir": ["d1", "d2", "d3"], **{f"d{i}": [f"b{i}{j}" for j in range(4)] for i in (1, 2, 3)}}
    sizes = {k: (100.0, 30.0) for k in ["dir", *children["dir"], *[b for i in (1, 2, 3) for b in children[f"d{i}"]]]}
    one = compute_layout("dir", children, sizes, compact=1)
    assert one.hanging == {"d1", "d2", "d3"}
    tops = {one.boxes[d].y for d in ("d1", "d2", "d3")}
    assert len(tops) == 1
    centres = [one.boxes[d].x + 50 for d in ("d1", "d2", "d3")]
    assert abs(one.boxes["dir"].x + 50 - (centres[0] + centres[2]) / 2) < EPS
    two = compute_layout("dir", children, sizes, compact=2)
    assert two.hanging == {"dir", "d1", "d2", "d3"}
    assert two.width < one.width / 2 and two.height > one.height * 2


def test_staff_keep_their_place_in_compact_mode():
    children = {"dir": ["adj", "b1", "b2"], "adj": ["a1", "a2"]}
    sizes = {k: (100.0, 30.0) for k in ["dir", "adj", "b1", "b2", "a1", "a2"]}
    layout = compute_layout("dir", children, sizes, {"adj"}, compact=5)
    b = layout.boxes
    assert layout.hanging == {"adj"}  # the director has a staff child: never a hanging list
    assert b["adj"].x + 100 < b["dir"].x + 50  # beside the trunk
    assert b["a1"].x == b["a2"].x == b["adj"].x + INDENT


def test_compact_deep_chain_is_iterative():
    ids = [f"n{i}" for i in range(N_BIG)]
    children = {a: [b] for a, b in zip(ids, ids[1:])}
    sizes = dict.fromkeys(ids, (170.0, 40.0))
    layout = compute_layout("n0", children, sizes, compact=N_BIG)
    assert len(layout.boxes) == N_BIG and len(layout.hanging) == N_BIG - 1
    assert layout.boxes[ids[-1]].x == (N_BIG - 1) * INDENT
    assert choose_compaction("n0", children, sizes) is None  # a chain is tall already
    assert tree_height("n0", children) == N_BIG - 1


def layout_inputs(data):
    """(root, children, sizes, staff) of an OrganisationFile, as the editor and the PDF build them."""
    from dicom_desktop.chart.boxes import box_sizes, measure_boxes
    from dicom_desktop.graph import OrgGraph

    graph = OrgGraph.from_entities(data.entities, data.links)
    sizes = box_sizes(measure_boxes((e.id, e.name, e.head_title, e.head_name, e.vacant) for e in data.entities))
    staff = {e.id for e in data.entities if e.staff}
    return graph.root, graph.children_map(), sizes, staff


def synthetic_layout_input(size):
    from dicom_desktop.synthetic import generate_organisation

    return layout_inputs(generate_organisation(size))


def test_compaction_brings_large_charts_near_landscape():
    """Measured (real box sizes): 1,000 entities 120:1 in rows, 2.25:1 compact (level 2), 1.04:1
    folded (3.1 × 3.0 m against 2.6 × 1.2 m compact); 10,000 entities 957:1 in rows, 1.04:1
    compact (level 3, 5.7 × 5.5 m), 1.09:1 folded (12.9 × 11.8 m)."""
    for size in (1000, 10_000):
        root, children, sizes, staff = synthetic_layout_input(size)
        rows = compute_layout(root, children, sizes, staff, fold_leaves=None)
        folded_tree = compute_layout(root, children, sizes, staff)
        level = choose_compaction(root, children, sizes, staff)
        assert level is not None and level >= 1
        compact = compute_layout(root, children, sizes, staff, compact=level)
        assert rows.width / rows.height > 20, size
        assert 1 / 4 < compact.width / compact.height < 4, (size, level)
        assert 1 / 4 < folded_tree.width / folded_tree.height < 4, size
        assert compact.width * compact.height < folded_tree.width * folded_tree.height / 2  # denser
        assert len(compact.boxes) == len(rows.boxes) == len(folded_tree.boxes) == len(sizes)


def test_choose_compaction_keeps_a_chart_that_already_fits():
    children = {"r": ["a", "b"], "a": ["a1"], "b": ["b1"]}
    sizes = dict.fromkeys(["r", "a", "b", "a1", "b1"], (100.0, 30.0))
    assert choose_compaction("r", children, sizes) is None


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
    with pytest.raises(ValueError):
        compute_layout("a", {}, {"a": (1.0, 1.0)}, compact=-1)


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
