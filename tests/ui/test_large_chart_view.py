"""Large charts on screen (issue 15): open on the head, « Ajuster » / « Tout afficher », the
« Vue d’ensemble » navigator, names of the upper levels kept when boxes are tiny."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt

from dicom_desktop.files.storage import save_organisation
from dicom_desktop.synthetic import generate_organisation
from dicom_desktop.ui.chart.chart_items import TEXT_LOD


def _visible(window):
    view = window.view
    return view.mapToScene(view.viewport().rect()).boundingRect()


def _open(window, tmp_path, size, qtbot, settle=True):
    path = tmp_path / f"org-{size}.json"
    save_organisation(generate_organisation(size), path)
    assert window.open_path(path, prompt=False)
    if settle:
        qtbot.wait(20)  # the deferred fit of fit_later has run
    return window.doc.graph


def test_twenty_thousand_entities_open_with_the_head_in_the_first_frame(window, tmp_path, qtbot):
    graph = _open(window, tmp_path, 20_000, qtbot, settle=False)
    window.view.viewport().grab()  # the first frame, before any deferred event
    head = window.scene.item_for(graph.root).sceneBoundingRect()
    assert _visible(window).contains(head)
    for child in graph.children(graph.root):  # and the first level, fitted
        assert _visible(window).contains(window.scene.item_for(child).sceneBoundingRect())
    assert window.navigator.visible_rect() == _visible(window)


def test_ajuster_fits_the_top_levels_and_tout_afficher_the_whole(window, tmp_path, qtbot):
    graph = _open(window, tmp_path, 3000, qtbot)
    view, scene = window.view, window.scene
    whole = scene.chart_rect()
    window.act_fit_all.trigger()
    seen = _visible(window)
    assert seen.width() >= whole.width() - 2 and seen.height() >= whole.height() * 0.99
    assert seen.intersected(whole).width() * seen.intersected(whole).height() >= 0.98 * whole.width() * whole.height()
    assert view.zoom() < TEXT_LOD  # a huge chart fitted whole: a barcode
    window.act_fit.trigger()
    top = view.top_levels_rect()
    assert top != whole and _visible(window).adjusted(-2, -2, 2, 2).contains(top)
    assert _visible(window).contains(scene.item_for(graph.root).sceneBoundingRect())
    assert not _visible(window).contains(whole)


def test_dicom_chart_still_fits_one_screen(window):
    view = window.view
    assert view.top_levels_rect() == window.scene.chart_rect()
    window.act_fit.trigger()
    assert _visible(window).adjusted(-2, -2, 2, 2).contains(window.scene.chart_rect())
    assert view.zoom() >= TEXT_LOD


def test_navigator_click_and_drag_move_the_view(window, tmp_path, qtbot):
    _open(window, tmp_path, 2000, qtbot)
    nav = window.navigator
    window.navigator_dock.show()
    qtbot.waitExposed(nav)
    window.view.set_zoom(0.5)
    target = QPoint(nav.width() * 3 // 4, nav.height() // 2)
    qtbot.mouseClick(nav, Qt.MouseButton.LeftButton, pos=target)
    centre = _visible(window).center()
    wanted = nav.to_scene(QPointF(target))
    assert abs(centre.x() - wanted.x()) < 30 and abs(centre.y() - wanted.y()) < 30
    qtbot.mousePress(nav, Qt.MouseButton.LeftButton, pos=target)
    qtbot.mouseMove(nav, QPoint(nav.width() // 4, nav.height() // 3))
    qtbot.mouseRelease(nav, Qt.MouseButton.LeftButton, pos=QPoint(nav.width() // 4, nav.height() // 3))
    assert _visible(window).center().x() < centre.x() - 100


def test_upper_levels_keep_their_names_far_out(window, tmp_path, qtbot):
    graph = _open(window, tmp_path, 3000, qtbot)
    window.act_fit_all.trigger()
    window.view.viewport().grab()
    overview = window.scene.overview
    assert overview.active
    labels = overview._build_labels()
    assert labels[0][2] == graph.entity(graph.root).name and labels[0][0] == 0
    assert {graph.entity(c).name for c in graph.children(graph.root)} <= {name for d, _, name, _ in labels if d == 1}
    assert max(d for d, *_ in labels) == 3


def _label_texts(window) -> list[str]:
    """The names the overview writes on its labels, painted as the view would."""
    from PySide6.QtGui import QImage, QPainter

    texts: list[str] = []

    class Recorder(QPainter):
        def drawText(self, *args):  # noqa: N802 - Qt API
            texts.append(args[-1])
            super().drawText(*args)

    viewport = window.view.viewport()
    image = QImage(viewport.size(), QImage.Format.Format_ARGB32)
    painter = Recorder(image)
    painter.setWorldTransform(window.view.viewportTransform())
    window.scene.overview._paint_labels(painter, window.view.mapToScene(viewport.rect()).boundingRect())
    painter.end()
    return texts


def test_far_out_labels_follow_a_rename_and_stay_the_same_between_frames(window, tmp_path, qtbot):
    """The overview remembers each label's fitted text between frames: the same names frame after
    frame, and a renamed entity shows its new name at once."""
    from dicom_desktop.operations import UpdateEntity

    graph = _open(window, tmp_path, 3000, qtbot)
    window.act_fit_all.trigger()
    window.view.viewport().grab()
    assert window.scene.overview.active
    first = _label_texts(window)
    assert first[0].rstrip("…") and graph.entity(graph.root).name.startswith(first[0].rstrip("…"))
    assert _label_texts(window) == first
    assert window.execute(UpdateEntity(graph.root, {"name": "Direction renommée"}))
    window.view.viewport().grab()
    after = _label_texts(window)
    assert after[0] == "Direction renommée" and after[1:] == first[1:]
