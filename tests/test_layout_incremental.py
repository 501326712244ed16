"""The incremental layout equals a full layout after any sequence of edits (issue 16).

:class:`IncrementalLayout` lays out again only the branches an edit reaches; whatever the edits
(moves, additions, deletions with or without the subtree, renames that change box sizes, staff
flags, collapsed branches, undo), its result must be exactly — float for float — what
``compute_layout`` gives on the same input, and its delta must name exactly the boxes and
connectors that changed."""

from __future__ import annotations

import copy

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dicom_desktop.chart.incremental_layout import IncrementalLayout
from dicom_desktop.chart.layout import compute_layout

from .test_layout import org_trees

PARAMS = st.sampled_from([
    {"fold_leaves": None, "compact": None},
    {"fold_leaves": 4, "compact": None},
    {"fold_leaves": 2, "compact": None},
    {"fold_leaves": 4, "compact": 1},
    {"fold_leaves": 4, "compact": 2},
    {"fold_leaves": None, "compact": 3, "indent": 10.0},
])


def subtree(node, children) -> set[str]:
    out, stack = set(), [node]
    while stack:
        n = stack.pop()
        out.add(n)
        stack.extend(children.get(n, []))
    return out


def parent_of(node, children) -> str | None:
    for p, kids in children.items():
        if node in kids:
            return p
    return None


def visible(children, collapsed):
    """The drawn tree, as the editor's ``visible_children``: a collapsed node's list emptied."""
    if not collapsed:
        return children
    view = dict(children)
    for node in collapsed:
        view[node] = []
    return view


def edit(draw, state, counter):
    """Apply one random edit to ``state`` (children lists mutated in place, like the graph's)."""
    children, sizes, staff, collapsed = state
    nodes = sorted(subtree("n0", children))
    others = [n for n in nodes if n != "n0"]
    what = draw(st.sampled_from(["move", "move", "add", "delete", "promote", "resize", "staff", "collapse",
                                 "reorder", "noop"]))
    if what == "move" and others:
        node = draw(st.sampled_from(others))
        inside = subtree(node, children)
        targets = [n for n in nodes if n not in inside]
        target = draw(st.sampled_from(targets))
        children[parent_of(node, children)].remove(node)
        kids = children.setdefault(target, [])
        kids.insert(draw(st.integers(0, len(kids))), node)
    elif what == "add":
        target = draw(st.sampled_from(nodes))
        counter[0] += 1
        new = f"x{counter[0]}"
        sizes[new] = (draw(st.floats(20, 200)), draw(st.floats(10, 90)))
        kids = children.setdefault(target, [])
        kids.insert(draw(st.integers(0, len(kids))), new)
        if draw(st.booleans()):
            staff.add(new)
    elif what == "delete" and others:
        node = draw(st.sampled_from(others))
        children[parent_of(node, children)].remove(node)
        for gone in subtree(node, children):
            children.pop(gone, None)
            sizes.pop(gone, None)
            staff.discard(gone)
            collapsed.discard(gone)
    elif what == "promote" and others:  # delete one entity, its children take its place
        node = draw(st.sampled_from(others))
        siblings = children[parent_of(node, children)]
        at = siblings.index(node)
        siblings[at:at + 1] = children.pop(node, [])
        sizes.pop(node)
        staff.discard(node)
        collapsed.discard(node)
    elif what == "resize":
        node = draw(st.sampled_from(nodes))
        sizes[node] = (draw(st.floats(20, 200)), draw(st.floats(10, 90)))
    elif what == "staff" and others:
        node = draw(st.sampled_from(others))
        staff.symmetric_difference_update({node})
    elif what == "collapse":
        node = draw(st.sampled_from(nodes))
        collapsed.symmetric_difference_update({node})
    elif what == "reorder" and others:
        node = draw(st.sampled_from(others))
        siblings = children[parent_of(node, children)]
        siblings.remove(node)
        siblings.insert(draw(st.integers(0, len(siblings))), node)


def check_delta(before, after):
    delta = after.delta
    assert delta is not None and delta.base is before
    moved = {k for k, b in after.boxes.items() if before.boxes.get(k) != b}
    assert set(delta.boxes) == moved
    assert set(delta.removed) == set(before.boxes) - set(after.boxes)
    old = {c.child: c for c in before.connectors}
    assert set(delta.connectors) == {c for c in after.connectors if old.get(c.child) != c}


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(org_trees(max_nodes=60), PARAMS, st.data())
def test_incremental_layout_equals_a_full_layout_after_random_edits(tree, params, data):
    children, sizes, staff, orientation, _fold = tree
    sizes = dict(sizes)
    staff = set(staff)
    state = (children, sizes, staff, set())
    engine = IncrementalLayout()
    history = []
    counter = [0]
    previous = None
    for _ in range(data.draw(st.integers(1, 25))):
        if history and data.draw(st.integers(0, 4)) == 0:  # undo: back to the state before the last edit
            children, sizes, staff, collapsed = history.pop()
            state[0].clear()
            state[0].update(children)
            state[1].clear()
            state[1].update(sizes)
            state[2].clear()
            state[2].update(staff)
            state[3].clear()
            state[3].update(collapsed)
        else:
            history.append(copy.deepcopy(state))
            edit(data.draw, state, counter)
        view = visible(state[0], state[3])
        got = engine.compute("n0", view, state[1], state[2], orientation, **params)
        want = compute_layout("n0", view, state[1], state[2], orientation, **params)
        assert got.boxes == want.boxes
        assert {c.child: c for c in got.connectors} == {c.child: c for c in want.connectors}
        assert len(got.connectors) == len(want.connectors)
        assert (got.width, got.height, got.hanging) == (want.width, want.height, want.hanging)
        if previous is not None:
            check_delta(previous, got)
        previous = got
    assert engine.full_layouts == 1  # every layout after the first was incremental


def test_a_drop_lays_out_only_the_two_branches_and_moves_only_what_must_move():
    """Moving a leaf between two branches of a wide chart re-lays out the two paths to the root,
    and the boxes left of the old and new places do not move."""
    children = {"r": [f"b{i}" for i in range(6)]}
    for i in range(6):
        children[f"b{i}"] = [f"b{i}.{j}" for j in range(3)]
    sizes = {n: (100.0, 40.0) for kids in children.values() for n in kids} | {"r": (120.0, 40.0)}
    engine = IncrementalLayout()
    before = engine.compute("r", children, sizes, fold_leaves=None)
    children["b3"].remove("b3.2")
    children["b4"].append("b3.2")
    after = engine.compute("r", children, sizes, fold_leaves=None)
    assert after.boxes == compute_layout("r", children, sizes, fold_leaves=None).boxes
    assert after.delta.base is before
    untouched = {n for i in range(3) for n in [f"b{i}", *children[f"b{i}"]]}
    assert not (set(after.delta.boxes) & untouched)
    assert engine.incremental_layouts == 1


def test_a_deep_chain_stays_exact_beyond_the_kept_contours():
    """Contours longer than CONTOUR_KEEP_MAX are not kept (a full layout stays linear): an edit
    at the bottom of a 1,500-deep chain lays the chain out again and still equals a full layout."""
    n = 1500
    children = {f"n{i}": [f"n{i + 1}"] for i in range(n - 1)}
    children["n5"].append("side")
    sizes = {f"n{i}": (50.0 + i % 7, 20.0) for i in range(n)} | {"side": (80.0, 30.0)}
    engine = IncrementalLayout()
    engine.compute("n0", children, sizes)
    sizes[f"n{n - 1}"] = (300.0, 20.0)
    children["n5"].remove("side")
    children[f"n{n - 2}"].append("side")
    got = engine.compute("n0", children, sizes)
    want = compute_layout("n0", children, sizes)
    assert got.boxes == want.boxes and got.width == want.width
    assert engine.incremental_layouts == 1


def test_a_node_listed_twice_is_laid_out_whole_as_compute_layout_does():
    children = {"r": ["a", "b"], "a": ["c"], "b": ["c"]}
    sizes = {n: (40.0, 20.0) for n in "rabc"}
    engine = IncrementalLayout()
    engine.compute("r", children, sizes)
    children["a"].remove("c")
    got = engine.compute("r", children, sizes)
    assert got.boxes == compute_layout("r", children, sizes).boxes
    assert engine.full_layouts == 2
