"""Functional links in the editor: routed around boxes, labelled, the selection's only on large charts."""

from __future__ import annotations

from dicom_desktop.files.storage import save_organisation
from dicom_desktop.synthetic import generate_organisation
from dicom_desktop.ui.chart.chart_items import LinkItem


def shown_links(scene) -> set[tuple[str, str]]:
    return {(i.source, i.target) for i in scene.items() if isinstance(i, LinkItem)}


def test_dicom_links_are_all_drawn_with_their_labels(window):
    scene = window.scene
    assert not window.act_selection_links.isChecked()
    assert shown_links(scene) == {(l.source, l.target) for l in window.doc.graph.links}
    labelled = [i for i in scene.link_items() if i.label]
    assert labelled and all(i.label_item is not None and i.label_item.text().replace("\n", " ") == i.label
                            for i in labelled)  # wrapped at ~110 pt
    for item in labelled:  # the label sits on the link, not inside a box
        centre = item.label_item.sceneBoundingRect().center()
        assert window.scene.entity_at(centre) is None


def test_large_charts_show_the_selected_entity_links_only(window, tmp_path):
    path = tmp_path / "grande.json"
    save_organisation(generate_organisation(800), path)
    assert window.open_path(path, prompt=False)
    scene, graph = window.scene, window.doc.graph
    assert window.act_selection_links.isChecked() and shown_links(scene) == set()
    link = graph.links[0]
    window.select(link.source)
    mine = {(l.source, l.target) for l in graph.links if link.source in (l.source, l.target)}
    assert shown_links(scene) == mine
    window.act_selection_links.trigger()  # the user wants them all
    assert not window.act_selection_links.isChecked()
    assert shown_links(scene) == {(l.source, l.target) for l in graph.links if l.source != l.target}
