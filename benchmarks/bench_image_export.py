"""Time chart image export (SVG and PNG) of the DICOM chart and of a synthetic organisation.

    python benchmarks/bench_image_export.py [SIZE] [--repeat N] [--scale S]

For the DICOM chart and for SIZE entities (default 1,000), in both orientations: SVG export and PNG
export at --scale (default 2), best of N runs, with the image size. A PNG too large to be created
is reported as refused (the command then suggests a scale), not timed.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import dicom_desktop.ui  # noqa: E402,F401 - the PySide6 guard comes first
from dicom_desktop.document import Document  # noqa: E402
from dicom_desktop.files.paths import DEFAULT_ORGANISATION  # noqa: E402
from dicom_desktop.synthetic import generate_organisation  # noqa: E402
from dicom_desktop.ui.app import create_application  # noqa: E402
from dicom_desktop.ui.chart.image_export import ImageExportError, export_image  # noqa: E402
from _timing import best_of  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("size", type=int, nargs="?", default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--scale", type=float, default=2.0)
    args = parser.parse_args()
    create_application()
    charts = [("DICOM", Document.open(DEFAULT_ORGANISATION).graph),
              (f"{args.size} entités", Document.from_file_model(generate_organisation(args.size), None).graph)]
    with tempfile.TemporaryDirectory() as folder:
        for label, graph in charts:
            for orientation in ("top-down", "left-right"):
                for ext in ("svg", "png"):
                    out = Path(folder) / f"chart.{ext}"
                    try:
                        seconds, result = best_of(lambda: export_image(graph, out, scale=args.scale,
                                                                     orientation=orientation), args.repeat)
                    except ImageExportError as exc:
                        print(f"{label:>14} {orientation:>10} {ext.upper()}: refusé — {exc}")
                        continue
                    unit = "pt" if ext == "svg" else "px"
                    print(f"{label:>14} {orientation:>10} {ext.upper()}: {seconds * 1000:8.0f} ms  "
                          f"{result.width} × {result.height} {unit}  {out.stat().st_size / 1024:,.0f} Kio")


if __name__ == "__main__":
    main()
