"""The organisation graph: round trip, queries, every edit, and refused moves."""

from __future__ import annotations


import networkx as nx
import pytest

from dicom_desktop.document import Document
from dicom_desktop.errors import EditRefused
from dicom_desktop.graph import OrgGraph
from dicom_desktop.model import Entity, Link
from dicom_desktop.files.storage import dump_organisation, parse_organisation

from .conftest import DICOM_FILE


def test_file_graph_file_round_trip_is_byte_identical():
    raw = DICOM_FILE.read_bytes()
    doc = Document.from_file_model(parse_organisation(raw).data)
    assert dump_organisation(doc.to_file_model()) == raw


def test_graph_is_a_networkx_tree(dicom_doc):
    tree = dicom_doc.graph.tree
    assert isinstance(tree, nx.DiGraph)
    assert nx.is_arborescence(tree)
    assert tree.number_of_nodes() == 10


def test_queries(dicom_doc):
    g = dicom_doc.graph
    assert g.root == "delegue"
    assert g.children("delegue")[:2] == ["delegues-adjoints", "secretariat-general"]
    assert g.ancestors("bureau-ressources") == ["secretariat-general", "delegue"]
    assert g.path_from_root("bureau-ressources") == ["delegue", "secretariat-general", "bureau-ressources"]
    assert g.subtree("secretariat-general") == ["secretariat-general", "bureau-ressources"]
    assert g.depth("bureau-ressources") == 2 and g.max_depth() == 2
    assert g.counts_per_kind()["bureau"] == 7
    assert g.preorder()[0] == "delegue" and len(g.preorder()) == 10
    assert g.is_descendant("bureau-ressources", "delegue")
    assert not g.is_descendant("delegue", "bureau-ressources")


def small() -> OrgGraph:
    entities = [
        Entity(id="r", name="Direction", kind="direction"),
        Entity(id="a", name="A", parent="r"),
        Entity(id="a1", name="A1", parent="a"),
        Entity(id="a2", name="A2", parent="a"),
        Entity(id="b", name="B", parent="r"),
    ]
    return OrgGraph.from_entities(entities, [Link(source="a1", target="b")])


def test_add_and_order():
    g = small()
    g.add_entity(Entity(id="c", name="C"), "r", 0)
    assert g.children("r") == ["c", "a", "b"]
    assert [g.entity(x).order for x in g.children("r")] == [0, 1, 2]
    assert g.entity("c").parent == "r"
    with pytest.raises(EditRefused, match="déjà utilisé"):
        g.add_entity(Entity(id="c", name="C bis"), "r")
    with pytest.raises(EditRefused, match="déjà une entité de tête"):
        g.add_entity(Entity(id="z", name="Z"), None)
    with pytest.raises(EditRefused, match="n’existe pas"):
        g.add_entity(Entity(id="z", name="Z"), "inconnu")


def test_remove_alone_reattaches_children_in_place():
    g = small()
    g.remove_entity("a")
    assert g.children("r") == ["a1", "a2", "b"]
    assert g.entity("a1").parent == "r"
    assert nx.is_arborescence(g.tree)
    assert g.links == [Link(source="a1", target="b")]


def test_remove_with_subtree_removes_links():
    g = small()
    g.remove_entity("a", with_subtree=True)
    assert set(g) == {"r", "b"}
    assert g.links == []
    with pytest.raises(EditRefused, match="tête"):
        g.remove_entity("r")


def test_move_and_refused_moves():
    g = small()
    g.move_entity("b", "a", 1)
    assert g.children("a") == ["a1", "b", "a2"]
    assert g.entity("b").parent == "a"
    with pytest.raises(EditRefused, match="elle-même"):
        g.move_entity("a", "a")
    with pytest.raises(EditRefused, match="boucle"):
        g.move_entity("a", "a1")
    with pytest.raises(EditRefused, match="tête"):
        g.move_entity("r", "a")
    assert g.children("a") == ["a1", "b", "a2"]  # refused moves changed nothing
    assert nx.is_arborescence(g.tree)


def test_reorder_rename_attributions_fields():
    g = small()
    g.reorder("b", 0)
    assert g.children("r") == ["b", "a"]
    g.rename("a", "Bureau de l’épreuve")
    assert g.entity("a").name == "Bureau de l’épreuve"
    g.set_attributions("a", ["Premier paragraphe.", "Second."])
    assert g.entity("a").attributions == ["Premier paragraphe.", "Second."]
    g.update_entity("a", head_title="Cheffe de bureau", vacant=True, headcount=7)
    assert g.entity("a").vacant and g.entity("a").headcount == 7
    with pytest.raises(EditRefused, match="vide"):
        g.rename("a", "  ")
    with pytest.raises(EditRefused):
        g.update_entity("a", headcount=-1)
    with pytest.raises(EditRefused, match="ne se modifie pas"):
        g.update_entity("a", parent="b")


def test_links():
    g = small()
    g.add_link(Link(source="a", target="b"))
    assert len(g.links) == 2
    with pytest.raises(EditRefused, match="existe déjà"):
        g.add_link(Link(source="a", target="b"))
    with pytest.raises(EditRefused, match="elle-même"):
        g.add_link(Link(source="a", target="a"))
    with pytest.raises(EditRefused, match="n’existe pas"):
        g.add_link(Link(source="a", target="x"))
    link, index = g.remove_link("a", "b")
    assert index == 1 and g.links_of("a") == []
    with pytest.raises(EditRefused):
        g.remove_link("a", "b")


def test_new_id():
    g = small()
    assert g.new_id("c") == "c"
    assert g.new_id("a") == "a-2"


def test_deep_chain_without_recursion():
    n = 100_000
    entities = [Entity(id="n0", name="Tête")] + [Entity(id=f"n{i}", name=f"U{i}", parent=f"n{i-1}") for i in range(1, n)]
    g = OrgGraph.from_entities(entities)
    assert g.max_depth() == n - 1
    assert len(g.subtree("n0")) == n
    assert g.depth(f"n{n-1}") == n - 1
    assert g.move_refusal("n10", f"n{n-1}") is not None


def test_graph_copy_is_independent(dicom_doc):
    other = dicom_doc.graph.copy()
    other.rename("bureau-campagnes", "Bureau des campagnes nationales")
    other.move_entity("bureau-campagnes", "delegues-adjoints")
    assert dicom_doc.graph.entity("bureau-campagnes").name == "Bureau des campagnes"
    assert dicom_doc.graph.parent("bureau-campagnes") == "delegue"


def test_counts_per_kind_follow_every_edit(dicom_doc):
    """The legend's counts are kept up to date by the edits (not recounted): after any sequence
    of additions, removals (alone or with their subtree), retypings, moves and copies they equal
    a fresh count, and the caller's copy cannot change them."""
    import random
    from collections import Counter

    rng = random.Random(7)
    graph = dicom_doc.graph.copy()
    kinds = ["bureau", "délégation", "mission", "pôle"]

    def fresh() -> Counter:
        return Counter(e.kind for e in graph.entities_map().values())

    assert graph.counts_per_kind() == fresh()
    graph.counts_per_kind()["bureau"] += 100  # a caller's copy
    assert graph.counts_per_kind() == fresh()
    for step in range(400):
        ids = list(graph)
        action = rng.random()
        if action < 0.35 or len(ids) < 4:
            graph.add_entity(Entity(id=f"e{step}", name=f"Entité {step}", kind=rng.choice(kinds)), rng.choice(ids))
        elif action < 0.55:
            victim = rng.choice([i for i in ids if i != graph.root])
            graph.remove_entity(victim, with_subtree=rng.random() < 0.3)
        elif action < 0.8:
            graph.update_entity(rng.choice(ids), kind=rng.choice(kinds))
        elif action < 0.95:
            moved, target = rng.choice(ids), rng.choice(ids)
            if graph.move_refusal(moved, target) is None:
                graph.move_entity(moved, target)
        else:
            graph = graph.copy()
        assert graph.counts_per_kind() == fresh(), step
