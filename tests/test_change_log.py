"""The graph's change log lets the editor's chart compare only what edits touched (issue 16).

``OrgGraph.change_log`` records the ids every edit touches; the box measures and the incremental
layout of ``chart_geometry`` then compare only those with what they kept, instead of all 100,000
entities per drop. Whatever the edits (moves, additions, deletions with or without the subtree,
renames that change box sizes, staff flags, reorders, collapsed branches, undo through the
operations), the editor's chart must be exactly the chart drawn from scratch."""

from __future__ import annotations

import copy
import random

import pytest

from dicom_desktop.chart.geometry import BoxMeasures, chart_geometry, visible_children
from dicom_desktop.chart.incremental_layout import IncrementalLayout
from dicom_desktop.document import Document
from dicom_desktop.graph import OrgGraph
from dicom_desktop.model import Entity
from dicom_desktop.synthetic import generate_organisation

NAMES = ["Bureau", "Bureau des affaires générales et de la très longue dénomination réglementaire n° 12",
         "Cellule de l’emploi", "Sous-direction de l’œuvre sociale", "X", "Anticonstitutionnellementissimement"]


def _graph(size: int, seed: int) -> OrgGraph:
    data = generate_organisation(size, seed=seed)
    return Document.from_file_model(data).graph


def _random_edit(graph: OrgGraph, rng: random.Random, counter: list[int]) -> None:
    ids = sorted(graph.entities_map())
    kind = rng.choice(["move", "move", "add", "remove", "rename", "staff", "reorder"])
    node = rng.choice(ids)
    if kind == "move":
        target = rng.choice(ids)
        if graph.move_refusal(node, target) is None:
            graph.move_entity(node, target, rng.choice([None, 0, 1, 5]))
    elif kind == "add":
        counter[0] += 1
        graph.add_entity(Entity(id=f"new{counter[0]}", name=rng.choice(NAMES), kind="bureau",
                                staff=rng.random() < 0.2), node, rng.choice([None, 0, 2]))
    elif kind == "remove" and node != graph.root:
        graph.remove_entity(node, with_subtree=rng.random() < 0.5)
    elif kind == "rename":
        graph.update_entity(node, name=rng.choice(NAMES), head_title=rng.choice(["", "Cheffe de bureau"]))
    elif kind == "staff" and node != graph.root:
        graph.update_entity(node, staff=not graph.entity(node).staff)
    elif kind == "reorder":
        graph.reorder(node, rng.randint(0, 4))


def _same_chart(kept, fresh) -> None:
    assert kept.layout.boxes == fresh.layout.boxes
    assert {c.child: c for c in kept.layout.connectors} == {c.child: c for c in fresh.layout.connectors}
    assert len(kept.layout.connectors) == len(fresh.layout.connectors)
    assert (kept.layout.width, kept.layout.height) == (fresh.layout.width, fresh.layout.height)
    assert kept.layout.hanging == fresh.layout.hanging
    assert dict(kept.entities) == dict(fresh.entities)
    assert dict(kept.contents) == dict(fresh.contents)


@pytest.mark.parametrize("seed", range(12))
def test_the_editors_chart_follows_random_edits_exactly(seed):
    """Kept measures and layout, told only the ids the edits touched, draw what a chart drawn from
    scratch draws, after every edit; collapsing a branch (another child map) is followed too."""
    rng = random.Random(seed)
    graph = _graph(rng.choice([40, 120, 400]), seed)
    measures, engine = BoxMeasures(), IncrementalLayout()
    compact = rng.choice([None, 1, 2])
    collapsed: set[str] = set()
    counter = [0]
    chart_geometry(graph, measures=measures, compact=compact)  # the open: a plain layout
    for _step in range(25):
        for _ in range(rng.choice([1, 1, 2, 3])):
            _random_edit(graph, rng, counter)
        if rng.random() < 0.15:
            collapsed ^= {rng.choice(sorted(graph.entities_map()))}
        collapsed &= set(graph.entities_map())
        children = visible_children(graph, collapsed)
        kept = chart_geometry(graph, children=children, measures=measures, engine=engine, compact=compact)
        fresh = chart_geometry(graph, children=visible_children(graph, collapsed), measures=BoxMeasures(),
                               compact=compact)
        _same_chart(kept, fresh)
        # the kept measures hold the current records (the editor's items read them)
        assert all(measures.entities[eid] is graph.entity(eid) for eid in kept.entities)
    assert engine.incremental_layouts > 10  # the kept path was the one tested


def test_undo_and_redo_through_the_operations_keep_the_chart_exact():
    """Edits and their inverses as the editor's undo stack runs them (operations on a document)."""
    from dicom_desktop.operations import MoveEntity, RemoveEntity, UpdateEntity

    doc = Document.from_file_model(generate_organisation(300, seed=7))
    graph = doc.graph
    measures, engine = BoxMeasures(), IncrementalLayout()
    chart_geometry(graph, measures=measures, compact=2)

    def check() -> None:
        _same_chart(chart_geometry(graph, measures=measures, engine=engine, compact=2),
                    chart_geometry(graph, measures=BoxMeasures(), compact=2))

    order = graph.preorder()
    middle = next(node for node in order[100:] if graph.children(node))  # its children go up a level
    edits = [MoveEntity(order[40], order[3]), UpdateEntity(order[9], {"name": NAMES[1]}),
             RemoveEntity(middle, with_subtree=False), MoveEntity(order[201], order[60], 0),
             RemoveEntity(order[17], with_subtree=True), UpdateEntity(order[250], {"staff": True})]
    inverses = []
    for op in edits:
        inverses.append(op.apply(doc))
        check()
    for inverse in reversed(inverses):
        inverse.apply(doc)
        check()
    assert graph.preorder() == order
    assert engine.full_layouts == 1  # every edit, removals too, followed by the kept layout


def test_the_log_names_what_each_edit_touched_and_starts_again_when_taken():
    graph = _graph(30, 2)
    log = graph.change_log()
    root = graph.root
    child = graph.children(root)[0]
    graph.update_entity(child, name="Nouveau nom")
    assert log.take() == {child}
    assert log.take() == set()
    other = graph.children(root)[1]
    leaf = graph.subtree(other)[-1]
    old_parent = graph.parent(leaf)
    graph.move_entity(leaf, child, 0)
    touched = log.take()
    assert {leaf, old_parent, child} <= touched
    assert set(graph.children(child)) - {leaf} <= touched  # renumbered siblings: records replaced
    graph.add_entity(Entity(id="neuf", name="Neuf", kind="bureau"), child)
    assert {"neuf", child} <= log.take()
    gone = graph.subtree(other)
    graph.remove_entity(other, with_subtree=True)
    assert set(gone) | {root} <= log.take()


def test_a_graph_copies_without_its_logs_and_forgets_dropped_logs():
    graph = _graph(20, 3)
    log = graph.change_log()
    twin = copy.deepcopy(graph)
    twin.update_entity(twin.children(twin.root)[0], name="Ailleurs")
    assert log.take() == set()  # the copy's edits are not the original's
    del log
    graph.change_log()
    assert sum(ref() is not None for ref in graph._logs) <= 1


def test_a_chosen_compaction_and_its_layout_index_the_tree_once(monkeypatch):
    """chart_geometry's compaction choice and the layout it chose share one tree index (built
    once, same chart as with two); outside chart_geometry nothing is shared, so a child list
    changed in place between two layouts is seen."""
    from dicom_desktop.chart import layout as layout_module
    from dicom_desktop.chart.compaction import choose_compaction
    from dicom_desktop.chart.layout import compute_layout

    graph = _graph(400, 5)
    chooser = lambda children, sizes, staff: choose_compaction(graph.root, children, sizes, staff)  # noqa: E731
    expected = chart_geometry(graph, compact=chooser, measures=BoxMeasures())
    built = []
    build = layout_module._build_index
    monkeypatch.setattr(layout_module, "_build_index", lambda *args: built.append(1) or build(*args))
    shared = chart_geometry(graph, compact=chooser, measures=BoxMeasures())
    assert len(built) == 1
    _same_chart(shared, expected)

    children = {"a": ["b", "c"], "b": [], "c": []}
    sizes = {"a": (50.0, 20.0), "b": (50.0, 20.0), "c": (50.0, 20.0), "d": (80.0, 20.0)}
    first = compute_layout("a", children, sizes)
    children["c"].append("d")  # in place, as the graph's edits do
    children["d"] = []
    second = compute_layout("a", children, sizes)
    assert "d" not in first.boxes and "d" in second.boxes
    with layout_module.index_shared():
        compute_layout("a", children, sizes)
        children["b"].append("e")
        sizes["e"] = (10.0, 10.0)
        children["e"] = []
        stale = compute_layout("a", children, sizes)  # inside the block: by contract, nothing edited
    assert "e" not in stale.boxes
    assert "e" in compute_layout("a", children, sizes).boxes  # the block's index is gone
