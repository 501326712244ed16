"""Chart images: SVG with real text, PNG at a scale, the export-image command, the editor's « Exporter l’image… »."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from dicom_desktop.cli import main
from dicom_desktop.document import Document
from dicom_desktop.kinds import style_for
from dicom_desktop.operations import UpdateEntity
from tests.conftest import DICOM_FILE

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def app():
    from dicom_desktop.ui.app import create_application

    return create_application()


def svg_text_words(path) -> list[str]:
    """Every word of every <text> node, in document order (wrapped names span several nodes)."""
    root = ET.parse(path).getroot()  # raises on invalid XML
    words: list[str] = []
    for node in root.iter(f"{SVG}text"):
        words += "".join(node.itertext()).replace("\u00a0", " ").split()
    return words


def contains_in_order(words: list[str], name: str) -> bool:
    wanted = name.split()
    return any(words[i:i + len(wanted)] == wanted for i in range(len(words) - len(wanted) + 1))


def png_image(path):
    from PySide6.QtGui import QImage

    image = QImage(str(path))
    assert not image.isNull()
    return image


def count_pixels(image, predicate, step: int = 2) -> int:
    return sum(predicate(image.pixelColor(x, y)) for x in range(0, image.width(), step)
               for y in range(0, image.height(), step))


# ---------------------------------------------------------------------------------------- SVG
def test_svg_is_valid_xml_with_every_entity_name_as_text(app, tmp_path):
    out = tmp_path / "dicom.svg"
    assert main(["export-image", str(DICOM_FILE), "-o", str(out)]) == 0
    words = svg_text_words(out)
    doc = Document.open(DICOM_FILE)
    for entity in doc.graph.to_entities():
        assert contains_in_order(words, entity.name), entity.name
    content = out.read_text(encoding="utf-8")
    assert "<image" not in content  # vectors, not a bitmap of the boxes
    for kind in {e.kind for e in doc.graph.to_entities()}:  # the editor's colours, by kind
        assert style_for(kind).fill.lower() in content.lower(), kind
    assert "stroke-dasharray" in content  # the dotted functional links


def test_svg_escapes_names_and_keeps_them_whole(app, tmp_path):
    from dicom_desktop.ui.chart.image_export import export_image

    doc = Document.open(DICOM_FILE)
    doc.apply(UpdateEntity("bureau-campagnes", {"name": "Bureau R&D <pilote> « essai »"}))
    out = tmp_path / "special.svg"
    export_image(doc.graph, out)
    assert contains_in_order(svg_text_words(out), "Bureau R&D <pilote> « essai »")


def test_branch_export_shows_the_branch_and_its_path_only(app, tmp_path):
    out = tmp_path / "branch.svg"
    assert main(["export-image", str(DICOM_FILE), "-o", str(out), "--branch", "secretariat-general"]) == 0
    words = svg_text_words(out)
    assert contains_in_order(words, "Bureau des ressources")
    assert contains_in_order(words, "Secrétariat général")
    assert not contains_in_order(words, "Bureau des campagnes")


def test_export_uses_the_editor_layout(app):
    from dicom_desktop.ui.chart.chart_scene import ChartScene
    from dicom_desktop.ui.chart.image_export import build_export_scene

    doc = Document.open(DICOM_FILE)
    editor = ChartScene()
    editor.rebuild(doc.graph)
    for orientation in ("top-down", "left-right"):
        editor.orientation = orientation
        editor.rebuild(doc.graph)
        exported = build_export_scene(doc.graph, orientation=orientation)
        assert exported.layout_result.boxes == editor.layout_result.boxes
        assert exported.layout_result.connectors == editor.layout_result.connectors


# ---------------------------------------------------------------------------------------- PNG
def test_png_size_follows_scale_and_is_not_blank(app, tmp_path):
    one, two = tmp_path / "x1.png", tmp_path / "x2.png"
    assert main(["export-image", str(DICOM_FILE), "-o", str(one), "--scale", "1"]) == 0
    assert main(["export-image", str(DICOM_FILE), "-o", str(two), "--scale", "2"]) == 0
    a, b = png_image(one), png_image(two)
    assert abs(b.width() - 2 * a.width()) <= 1 and abs(b.height() - 2 * a.height()) <= 1
    assert a.width() > 300 and a.height() > 300
    assert a.pixelColor(0, 0).name() == "#ffffff"  # white margin
    not_white = count_pixels(b, lambda c: c.lightness() < 240)
    assert not_white > 0.05 * (b.width() // 2) * (b.height() // 2)
    head_fill = style_for("délégation").fill.lower()
    assert count_pixels(b, lambda c: c.name() == head_fill) > 500  # the head box, in its kind colour


def test_png_too_large_is_refused_with_advice(app, tmp_path):
    from dicom_desktop.synthetic import generate_organisation
    from dicom_desktop.ui.chart.image_export import ImageExportError, export_image

    doc = Document.from_file_model(generate_organisation(400), None)
    out = tmp_path / "big.png"
    with pytest.raises(ImageExportError, match="trop grande.*--scale"):
        export_image(doc.graph, out, scale=16)
    assert not out.exists()


# ---------------------------------------------------------------------------------------- command
@pytest.mark.parametrize("extra, message", [
    (["-o", "{tmp}/x.gif"], "extension .svg ou .png"),
    (["-o", "{tmp}/x.png", "--scale", "abc"], "Échelle"),
    (["-o", "{tmp}/x.png", "--scale", "0"], "Échelle"),
    (["-o", "{tmp}/x.png", "--branch", "inconnue"], "inconnue"),
    (["-o", "{tmp}/absent/x.png"], "x.png"),
])
def test_command_bad_input_exit_2_in_french(app, tmp_path, capsys, extra, message):
    args = ["export-image", str(DICOM_FILE)] + [a.replace("{tmp}", str(tmp_path)) for a in extra]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert not any(p.suffix in (".png", ".gif") for p in tmp_path.rglob("*"))


def test_command_missing_input_file_exit_2(app, tmp_path, capsys):
    assert main(["export-image", str(tmp_path / "absent.json"), "-o", str(tmp_path / "x.svg")]) == 2
    assert "absent.json" in capsys.readouterr().err
    assert not (tmp_path / "x.svg").exists()


def test_unwritable_output_leaves_no_partial_file(app, tmp_path, capsys):
    blocker = tmp_path / "fichier"
    blocker.write_text("pas un dossier")
    assert main(["export-image", str(DICOM_FILE), "-o", str(blocker / "x.png")]) == 2
    assert "x.png" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fichier"]


def test_failed_render_keeps_previous_image_intact(app, tmp_path, monkeypatch):
    from dicom_desktop.ui.chart import image_export

    out = tmp_path / "chart.png"
    out.write_bytes(b"previous image")

    def broken(*_args, **_kwargs):
        raise image_export.ImageExportError("panne simulée")

    monkeypatch.setattr(image_export, "render_png", broken)
    assert main(["export-image", str(DICOM_FILE), "-o", str(out)]) == 2
    assert out.read_bytes() == b"previous image"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["chart.png"]


# ---------------------------------------------------------------------------------------- editor
def test_editor_exports_the_selected_branch(window, tmp_path):
    from dicom_desktop.ui.dialogs.image_export_dialog import ImageOptions

    asked = []
    window.dialogs.ask_image_options = lambda name, default=False: asked.append(name) or ImageOptions(True, 1.0)
    window.dialogs.save_path_answer = tmp_path / "branche"  # no extension: SVG is added
    boxes_before = len(window.scene.box_items())
    window.select("secretariat-general")
    assert window.exports.act_export_image in window.file_menu.actions()
    window.exports.act_export_image.trigger()
    out = tmp_path / "branche.svg"
    assert asked == ["Secrétariat général"]
    words = svg_text_words(out)
    assert contains_in_order(words, "Bureau des ressources")
    assert not contains_in_order(words, "Bureau des campagnes")
    assert len(window.scene.box_items()) == boxes_before  # the editor's own chart is untouched
    assert not window.isWindowModified()


def test_editor_exports_whole_chart_png_and_reports_errors(window, tmp_path):
    from dicom_desktop.ui.dialogs.image_export_dialog import ImageOptions

    window.dialogs.ask_image_options = lambda name, default=False: ImageOptions(False, 1.0)
    window.dialogs.save_path_answer = tmp_path / "tout.png"
    assert window.exports.export_image() == tmp_path / "tout.png"
    assert png_image(tmp_path / "tout.png").width() > 300
    window.dialogs.save_path_answer = tmp_path / "absent" / "tout.png"
    assert window.exports.export_image() is None
    title, text = window.dialogs.errors[-1]
    assert title == "Export de l’image impossible" and "tout.png" in text
    window.dialogs.ask_image_options = lambda name, default=False: None  # cancelled: nothing asked after
    window.dialogs.save_path_answer = tmp_path / "jamais.png"
    assert window.exports.export_image() is None and not (tmp_path / "jamais.png").exists()


def test_image_scale_reads_as_french(qtbot):
    """« 1,5 pixel par point », « 2,0 pixels par point », never « pixel(s) »."""
    from dicom_desktop.ui.dialogs.image_export_dialog import ImageOptionsDialog

    dialog = ImageOptionsDialog(None)
    qtbot.addWidget(dialog)
    dialog.scale.setValue(1.5)
    assert dialog.scale.text() == "1,5 pixel par point"
    dialog.scale.setValue(3.0)
    assert dialog.scale.text() == "3,0 pixels par point"
