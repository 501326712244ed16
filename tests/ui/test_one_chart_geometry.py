"""The editor and the PDF draw the same chart: same boxes, same wrapped texts, same connectors and
links, from the one pipeline (dicom_desktop/chart/geometry.py)."""

from __future__ import annotations

import pytest

from dicom_desktop.chart.geometry import chart_geometry
from dicom_desktop.document import Document
from dicom_desktop.model import Entity
from dicom_desktop.operations import AddEntity, UpdateEntity
from dicom_desktop.pdf.chart import geometry_for_graph
from dicom_desktop.synthetic import generate_organisation


def _editor_scene(qapp, graph, orientation="top-down", compact=None):
    from dicom_desktop.ui.chart.chart_scene import ChartScene

    scene = ChartScene()
    scene.orientation = orientation
    scene.compact = compact
    scene.selection_links = False  # every link drawn, as the PDF does (above 500 entities the editor
    # would show only the selection's: a display choice, not another geometry)
    scene.rebuild(graph)
    return scene


def _same(scene, pdf) -> None:
    editor = scene.layout_result
    assert editor.boxes == pdf.layout.boxes
    # The same connectors; after an edit the editor's incremental layout lists them in its own order.
    assert len(editor.connectors) == len(pdf.layout.connectors)
    assert {c.child: c for c in editor.connectors} == {c.child: c for c in pdf.layout.connectors}
    assert (editor.width, editor.height, editor.hanging) == (pdf.layout.width, pdf.layout.height, pdf.layout.hanging)
    scene.reveal(None)  # every box's item (made only for boxes in sight otherwise)
    drawn = {entity_id: item.content for entity_id, item in scene.box_items().items()}
    assert drawn == pdf.contents
    assert [(i.source, i.target) for i in scene.link_items()] == [(l.source, l.target) for l in pdf.links]
    assert [i.curve for i in scene.link_items()] == pdf.link_curves()


@pytest.mark.parametrize("orientation", ["top-down", "left-right"])
def test_editor_and_pdf_boxes_are_identical_for_the_dicom_chart(qapp, dicom_doc, orientation):
    graph = dicom_doc.graph
    _same(_editor_scene(qapp, graph, orientation), geometry_for_graph(graph, orientation=orientation))


def test_identical_with_french_typography_in_the_texts(qapp, dicom_doc):
    """Straight apostrophes and a colon: the PDF's typography changes the texts, so the editor
    must wrap the same (typographic) texts for the boxes to agree."""
    doc = dicom_doc
    doc.apply(UpdateEntity("bureau-campagnes", {"name": "Bureau des campagnes d'information : santé, travail"}))
    doc.apply(AddEntity(Entity(id="pole-test", name="Pôle l'appui aux « actions » régionales ; veille",
                               kind="pôle", head_title="Responsable d'unité"), "bureau-campagnes"))
    scene = _editor_scene(qapp, doc.graph)
    pdf = geometry_for_graph(doc.graph)
    _same(scene, pdf)
    assert any("’" in line for line in pdf.contents["bureau-campagnes"].name_lines)


def test_identical_for_a_large_compact_chart_and_after_an_edit(qapp):
    doc = Document.from_file_model(generate_organisation(600, seed=3))
    scene = _editor_scene(qapp, doc.graph)  # above 300 entities the editor compacts on its own
    assert scene.compact_level is not None
    _same(scene, geometry_for_graph(doc.graph, compact=scene.compact_level))
    some = doc.graph.children_map()[doc.graph.root][0]
    doc.apply(UpdateEntity(some, {"name": "Un nom bien plus long qu'avant, pour changer la largeur : test"}))
    scene.rebuild(doc.graph)  # incremental update: only that box measured again
    _same(scene, chart_geometry(doc.graph, compact=scene.compact_level))
