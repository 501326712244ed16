"""Render the application icon's PNG sizes (and the Windows .ico) from its SVG.

    python packaging/render_icons.py

The SVG (dicom_desktop/resources/icons/dicom-desktop.svg) is the one source; the PNGs are
committed so that neither the wheel nor the desktop integration needs an SVG renderer. Qt's own
SVG renderer draws them (no extra tool), Pillow (a ReportLab dependency) packs the .ico.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ICONS = Path(__file__).resolve().parent.parent / "dicom_desktop" / "resources" / "icons"
SOURCE = ICONS / "dicom-desktop.svg"
#: The sizes freedesktop icon themes look for (hicolor), and those of a Windows .ico.
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)


def png_path(size: int) -> Path:
    return ICONS / f"dicom-desktop-{size}.png"


def render() -> list[Path]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841 - needed by QPainter
    renderer = QSvgRenderer(str(SOURCE))
    if not renderer.isValid():
        raise SystemExit(f"SVG illisible : {SOURCE}")
    written = []
    for size in PNG_SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        if not image.save(str(png_path(size)), "PNG"):
            raise SystemExit(f"Impossible d’écrire {png_path(size)}")
        written.append(png_path(size))

    from PIL import Image

    largest = Image.open(png_path(max(ICO_SIZES)))
    ico = ICONS / "dicom-desktop.ico"
    largest.save(ico, format="ICO", sizes=[(s, s) for s in ICO_SIZES])
    written.append(ico)
    return written


if __name__ == "__main__":
    for path in render():
        print(f"{path.relative_to(ICONS.parent.parent.parent)} ({path.stat().st_size} octets)")
