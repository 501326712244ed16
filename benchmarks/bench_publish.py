"""Publication exports: the accessible web page (export-html) and the tagged PDF (export-pdf --tagged).

Run: ``python benchmarks/bench_publish.py [--runs N] [--html-sizes 1000,10000] [--tagged-sizes 10,1000]``.
Each size is exported in a fresh process (``python -m dicom_desktop``, as a user runs it: start-up,
reading the file, rendering, writing) and in-process (the export function alone, median of the
runs). Targets (issue 11): the page of 10,000 entities in under 3 s. The machine is shared: the
load average is printed; CPU time is the steadier figure.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dicom_desktop.document import Document  # noqa: E402
from dicom_desktop.files.storage import save_organisation  # noqa: E402
from dicom_desktop.synthetic import generate_organisation  # noqa: E402


def _in_process(export, doc, out: Path, runs: int) -> tuple[float, float, object]:
    walls, cpus, report = [], [], None
    for _ in range(runs):
        t0, c0 = time.perf_counter(), time.process_time()
        report = export(doc, out)
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    return statistics.median(walls), statistics.median(cpus), report


def _command(args: list[str], runs: int) -> float:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    walls = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "dicom_desktop", *args], check=True, env=env,
                       stdout=subprocess.DEVNULL, cwd=ROOT)
        walls.append(time.perf_counter() - t0)
    return statistics.median(walls)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--html-sizes", default="1000,10000")
    parser.add_argument("--tagged-sizes", default="10,1000")
    args = parser.parse_args()
    from dicom_desktop.html.page import export_notice_html
    from dicom_desktop.html.tagged_pdf import export_tagged_pdf

    print(f"cores: {os.cpu_count()}  load average: {os.getloadavg()[0]:.2f}  runs: {args.runs} (median)")
    print(f"{'export':<14} {'entities':>8} {'command s':>10} {'function s':>11} {'cpu s':>7} {'size':>9} {'detail':>14}")
    jobs = [("export-html", int(s)) for s in args.html_sizes.split(",") if s] + \
           [("--tagged", int(s)) for s in args.tagged_sizes.split(",") if s]
    with tempfile.TemporaryDirectory() as tmp:
        for kind, size in jobs:
            data = generate_organisation(size)
            source = Path(tmp) / f"org-{size}.json"
            save_organisation(data, source)
            doc = Document.from_file_model(data)
            if kind == "export-html":
                out = Path(tmp) / f"page-{size}.html"
                wall, cpu, report = _in_process(export_notice_html, doc, out, args.runs)
                command = _command(["export-html", str(source), "-o", str(out)], args.runs)
                detail = f"{report.svg_entities} in SVG"
            else:
                out = Path(tmp) / f"tagged-{size}.pdf"
                wall, cpu, report = _in_process(export_tagged_pdf, doc, out, args.runs)
                command = _command(["export-pdf", str(source), "--tagged", "-o", str(out)], args.runs)
                detail = f"{report.pages} pages"
            print(f"{kind:<14} {size:>8} {command:>10.2f} {wall:>11.2f} {cpu:>7.2f} {out.stat().st_size / 1e6:>7.2f} MB "
                  f"{detail:>14}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
