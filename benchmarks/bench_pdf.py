"""Time of ``export_notice_pdf`` (chart + notice) for synthetic organisations of 100 to 10,000 entities.

Run: ``python benchmarks/bench_pdf.py [--runs N] [--sizes 100,1000,10000]``. Prints the median wall
and CPU time of a few runs per size, the pages written and the notice pages per second. The
machine is shared: CPU time is the steadier figure when other work is running.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dicom_desktop.document import Document  # noqa: E402
from dicom_desktop.pdf import export_notice_pdf  # noqa: E402
from dicom_desktop.synthetic import generate_organisation  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", default="100,1000,10000")
    args = parser.parse_args()
    try:
        import _rl_accel  # noqa: F401

        accel = "yes"
    except ImportError:
        accel = "no (pip install rl-accel speeds ReportLab up)"
    print(f"cores: {os.cpu_count()}  load average: {os.getloadavg()[0]:.2f}  rl_accel: {accel}")
    print(f"{'entities':>8} {'wall s':>8} {'cpu s':>8} {'pages':>6} {'chart':>14} {'notice p/s':>11}")
    with tempfile.TemporaryDirectory() as tmp:
        for size in (int(s) for s in args.sizes.split(",")):
            doc = Document.from_file_model(generate_organisation(size))
            walls, cpus = [], []
            report = None
            for _ in range(args.runs):
                t0, c0 = time.perf_counter(), time.process_time()
                report = export_notice_pdf(doc, Path(tmp) / f"bench-{size}.pdf")
                walls.append(time.perf_counter() - t0)
                cpus.append(time.process_time() - c0)
            wall, cpu = statistics.median(walls), statistics.median(cpus)
            notice_pages = report.pages - report.chart_pages
            chart = f"{report.chart_mode} {report.chart_pages}p"
            print(f"{size:>8} {wall:>8.2f} {cpu:>8.2f} {report.pages:>6} {chart:>14} {notice_pages / cpu:>11.0f}",
                  flush=True)
    print("(notice p/s: notice pages per CPU second of the whole export, chart included)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
