"""``export-pdf`` of one parent with N siblings (the widest level possible): time and peak memory.

Run: ``python benchmarks/bench_wide_pdf.py [--sizes 10000,100000]``. Each size runs the real
command in a fresh process (``os.wait4`` gives its peak resident memory). Before the connector
segments were merged (issue 17), the tile index and each tile's drawing held every sibling's
connector: 5,000 / 10,000 / 20,000 siblings took 3.5 / 10.9 / 38 s and 100,000 did not finish.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def write_wide(path: Path, siblings: int) -> None:
    entities = [{"id": "direction", "name": "Direction", "kind": "direction"}]
    entities += [{"id": f"bureau-{i}", "name": f"Bureau {i}", "kind": "bureau", "parent": "direction"}
                 for i in range(siblings)]
    doc = {"schema_version": 1, "organisation": {"name": "Niveau très large", "acronym": "LARGE"}, "entities": entities}
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")


def run_once(file: Path, out: Path) -> tuple[float, int, str]:
    """(wall seconds, peak RSS in Mo, last stdout line) of one ``export-pdf`` process."""
    env = dict(os.environ, PYTHONPATH=str(REPO))
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "dicom_desktop", "export-pdf", str(file), "-o", str(out)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, cwd=REPO)
    output = proc.stdout.read().decode("utf-8", "replace")
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    last = (output.strip().splitlines() or [""])[-1]
    if proc.returncode != 0:
        last = f"exit {proc.returncode}: {last}"
    return wall, usage.ru_maxrss // 1024, last


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    args = parser.parse_args()
    print(f"cores: {os.cpu_count()}  load average: {os.getloadavg()[0]:.2f}")
    print(f"{'siblings':>9} {'wall s':>8} {'peak Mo':>8}  result")
    with tempfile.TemporaryDirectory() as tmp:
        for size in (int(s) for s in args.sizes.split(",")):
            file = Path(tmp) / f"wide-{size}.json"
            write_wide(file, size)
            wall, peak, last = run_once(file, Path(tmp) / f"wide-{size}.pdf")
            print(f"{size:>9} {wall:>8.1f} {peak:>8}  {last}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
