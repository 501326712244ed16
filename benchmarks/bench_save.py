"""How long a save and an autosave take (serialisation + atomic write incl. fsync), by size.

    python benchmarks/bench_save.py [--sizes 2000 10000] [--repeat 7] [--dir DOSSIER]

Measures, on a synthetic organisation opened as a Document (exactly what the editor saves):
``Document.file_bytes`` (the bytes a save writes, straight from the records), the same bytes
through the pydantic models (``dump_organisation``), ``Document.save`` (dump + temporary file +
fsync + rename + .bak + fsync of the folder), the recovery snapshot written by the autosave timer,
and the load. Prints the median and the worst of ``--repeat`` runs, and the median CPU time of
the process (the machine may be shared). The target is < 150 ms for 10,000 entities.
Use ``--dir`` to measure on the disk the users really save to (default: a temporary folder).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dicom_desktop.document import Document  # noqa: E402
from dicom_desktop.files.recovery import Autosaver  # noqa: E402
from dicom_desktop.files.storage import dump_organisation, load_organisation  # noqa: E402
from dicom_desktop.synthetic import generate_organisation  # noqa: E402


def _time(function, repeat: int) -> tuple[float, float, float]:
    """Median and worst wall time, and median CPU time of this process (the machine may be shared)."""
    runs, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        function()
        runs.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(runs), max(runs), statistics.median(cpu)


def bench(size: int, repeat: int, folder: Path) -> None:
    data = generate_organisation(size)
    doc = Document.from_file_model(data)
    path = folder / f"org-{size}.json"
    doc.save(path)
    doc.modified = True
    saver = Autosaver(folder / "data")
    rows = {
        "Document.file_bytes (ce qu’écrit save)": doc.file_bytes,
        "dump_organisation (modèles pydantic)": lambda: dump_organisation(doc.to_file_model()),
        "Document.save (atomique, fsync, .bak)": lambda: doc.save(path),
        "autosave (copie de secours)": lambda: (setattr(doc, "modified", True), saver.autosave(doc)),
        "load_organisation": lambda: load_organisation(path),
    }
    megabytes = path.stat().st_size / 1e6
    print(f"{size} entités ({megabytes:.1f} Mo) :")
    for label, function in rows.items():
        median, worst, cpu = _time(function, repeat)
        print(f"  {label:40s} médiane {median * 1000:7.1f} ms   pire {worst * 1000:7.1f} ms   CPU {cpu * 1000:7.1f} ms")
    saver.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Temps d’enregistrement (atomique, fsync compris).")
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 10000])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--dir", type=Path, help="dossier où écrire (défaut : dossier temporaire)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        for size in args.sizes:
            bench(size, args.repeat, Path(tmp))
    return 0


if __name__ == "__main__":
    sys.exit(main())
