"""The chart as an image file (SVG with real text, PNG at a chosen scale), drawn by the editor's own items.

A fresh :class:`~.chart_scene.ChartScene` is built from the graph (same layout, same boxes, same
connectors and dotted links as on screen), then rendered through ``QGraphicsScene.render``:
into a ``QSvgGenerator`` for SVG (vectors, one ``<text>`` per line) or into a ``QImage`` for PNG.
Interactive chrome is left out (selection, search, collapse handles) and nothing is collapsed:
the image is the whole chart, or one branch with its path to the head (« Afficher uniquement
cette branche »). Item caches are switched off, otherwise the SVG would hold bitmaps.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QGraphicsItem

from dicom_desktop.errors import DicomError
from dicom_desktop.graph import OrgGraph
from dicom_desktop.files.outputs import check_output, write_output
from dicom_desktop.ui.chart.chart_items import EntityBoxItem
from dicom_desktop.ui.chart.chart_scene import ChartScene

IMAGE_FORMATS = (".svg", ".png")
IMAGE_MARGIN = 24.0  # points of white around the chart
DEFAULT_SCALE = 2.0  # PNG pixels per point: 2 → 144 dpi
MAX_SCALE = 16.0
MAX_SIDE_PIXELS = 65_000  # many PNG readers stop at 65,535 pixels a side
MAX_PIXELS = 200_000_000  # 800 MB of ARGB32: beyond that, ask for SVG or a smaller scale
BACKGROUND = QColor("#ffffff")
# Viewers without DejaVu Sans (Windows, slides) fall back to a font of similar widths.
_SVG_FONT = b'font-family="DejaVu Sans"'
_SVG_FONT_FALLBACK = b'font-family="\'DejaVu Sans\', Verdana, sans-serif"'


class ImageExportError(DicomError):
    """An image that cannot be produced or written (French message; nothing was written)."""


@dataclass
class ExportedImage:
    """What was written, for the status bar and the command line."""

    path: Path
    format: str  # "svg" or "png"
    width: int  # points (SVG) or pixels (PNG)
    height: int
    boxes: int
    seconds: float


def image_format(path: Path) -> str:
    """« svg » or « png » from the extension, or a French error naming the file."""
    suffix = Path(path).suffix.lower()
    if suffix not in IMAGE_FORMATS:
        raise ImageExportError(f"« {path} » : extension .svg ou .png attendue pour l’image.")
    return suffix[1:]


def build_export_scene(graph: OrgGraph, *, orientation: str = "top-down", branch: str | None = None) -> ChartScene:
    """The editor's chart scene for ``graph``, without interactive chrome, ready to be rendered."""
    if graph.root is None:
        raise ImageExportError("L’organisation est vide : il n’y a pas d’organigramme à exporter.")
    if branch is not None and branch not in graph:
        raise ImageExportError(f"L’entité « {branch} » n’existe pas dans cette organisation.")
    scene = ChartScene()
    scene.lazy_contents = False  # rendered whole, without a view: every box paints
    scene.orientation = orientation
    scene.focus = None if branch == graph.root else branch
    scene.rebuild(graph)
    for item in scene.items():
        item.setCacheMode(QGraphicsItem.CacheMode.NoCache)  # a cache would put bitmaps in the SVG
        if isinstance(item, EntityBoxItem) and item.has_children:
            item.prepareGeometryChange()
            item.has_children = False  # no collapse handle on paper
    return scene


def export_rect(scene: ChartScene) -> QRectF:
    """The part of the scene to draw: the boxes and links, plus a white margin."""
    layout = scene.layout_result
    rect = QRectF(0, 0, layout.width, layout.height)
    return rect.adjusted(-IMAGE_MARGIN, -IMAGE_MARGIN, IMAGE_MARGIN, IMAGE_MARGIN)


def _paint(scene: ChartScene, painter: QPainter, source: QRectF, target: QRectF) -> None:
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
    painter.fillRect(target, BACKGROUND)
    scene.render(painter, target, source, Qt.AspectRatioMode.IgnoreAspectRatio)


def render_svg(scene: ChartScene, title: str = "", description: str = "") -> bytes:
    """SVG 1.2 Tiny in points (1 unit = 1 pt = the editor at 100 %), text kept as text."""
    source = export_rect(scene)
    target = QRectF(0, 0, source.width(), source.height())
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    generator = QSvgGenerator()
    generator.setOutputDevice(buffer)
    generator.setResolution(72)  # width/height in mm then match the points of the chart
    generator.setSize(QSize(round(source.width()), round(source.height())))
    generator.setViewBox(target)
    generator.setTitle(title or "Organigramme")
    generator.setDescription(description or "Organigramme exporté par dicom-desktop")
    painter = QPainter()
    if not painter.begin(generator):
        raise ImageExportError("Le générateur SVG n’a pas pu démarrer.")
    try:
        _paint(scene, painter, source, target)
    finally:
        painter.end()
    buffer.close()
    return bytes(buffer.data()).replace(_SVG_FONT, _SVG_FONT_FALLBACK)


def png_size(scene: ChartScene, scale: float) -> tuple[int, int]:
    source = export_rect(scene)
    return max(1, round(source.width() * scale)), max(1, round(source.height() * scale))


def check_png_size(scene: ChartScene, scale: float) -> tuple[int, int]:
    """The PNG size in pixels, or a French error suggesting the largest scale that fits."""
    if not 0 < scale <= MAX_SCALE:
        raise ImageExportError(f"Échelle {scale:g} invalide : attendu un nombre entre 0,1 et {MAX_SCALE:g}.")
    width, height = png_size(scene, scale)
    if width > MAX_SIDE_PIXELS or height > MAX_SIDE_PIXELS or width * height > MAX_PIXELS:
        source = export_rect(scene)
        fit = min(MAX_SIDE_PIXELS / source.width(), MAX_SIDE_PIXELS / source.height(),
                  (MAX_PIXELS / (source.width() * source.height())) ** 0.5)
        fit = int(fit * 10) / 10
        shown = f"{fit:g}".replace(".", ",")
        advice = (f"choisissez une échelle d’au plus {shown} (--scale {fit:g}) ou le format SVG" if fit >= 0.1
                  else "choisissez le format SVG ou exportez une branche")
        raise ImageExportError(f"L’image PNG ferait {width} × {height} pixels, trop grande pour être créée : {advice}.")
    return width, height


def render_png(scene: ChartScene, scale: float = DEFAULT_SCALE) -> bytes:
    """PNG on white at ``scale`` pixels per point, with the matching resolution written in the file."""
    width, height = check_png_size(scene, scale)
    image = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)
    if image.isNull():
        raise ImageExportError(f"Mémoire insuffisante pour une image de {width} × {height} pixels.")
    image.fill(BACKGROUND)
    dots_per_metre = round(72 * scale / 0.0254)
    image.setDotsPerMeterX(dots_per_metre)
    image.setDotsPerMeterY(dots_per_metre)
    painter = QPainter()
    if not painter.begin(image):
        raise ImageExportError("Le dessin de l’image n’a pas pu démarrer.")
    try:
        _paint(scene, painter, export_rect(scene), QRectF(0, 0, width, height))
    finally:
        painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    ok = image.save(buffer, "PNG")
    buffer.close()
    if not ok:
        raise ImageExportError("L’image PNG n’a pas pu être encodée.")
    return bytes(data)


def export_image(graph: OrgGraph, out: Path, *, scale: float = DEFAULT_SCALE, branch: str | None = None,
                 orientation: str = "top-down", title: str = "", sources: tuple = ()) -> ExportedImage:
    """Render and write ``out`` (format from its extension) atomically: a whole file or nothing.

    ``sources``: the files the chart comes from, which ``out`` may not replace (outputs.check_output).
    """
    start = time.perf_counter()
    out = check_output(Path(out), inputs=sources)
    fmt = image_format(out)
    if fmt == "png":  # a bad scale is refused before the (possibly long) layout
        if not 0 < scale <= MAX_SCALE:
            raise ImageExportError(f"Échelle {scale:g} invalide : attendu un nombre entre 0,1 et {MAX_SCALE:g}.")
    scene = build_export_scene(graph, orientation=orientation, branch=branch)
    try:
        if fmt == "svg":
            content = render_svg(scene, title)
            rect = export_rect(scene)
            width, height = round(rect.width()), round(rect.height())
        else:
            content = render_png(scene, scale)
            width, height = png_size(scene, scale)
        boxes = len(scene.placed_positions())
    finally:
        scene.clear()
        scene.deleteLater()
    write_output(out, content, inputs=sources)  # SaveError (French) leaves no partial file
    return ExportedImage(out, fmt, width, height, boxes, time.perf_counter() - start)
