"""How long the PDF « dossier de réorganisation » takes: the DICOM example and synthetic organisations.

    python benchmarks/bench_dossier.py [--sizes 1000 5000] [--edits 12] [--repeat 3]

For each size a synthetic organisation gets one scenario, made like a secretary would with the
editor's operations (moves, merges, splits, renames, vacant posts, attribution edits); then
``export_dossier_pdf`` is timed (median of ``--repeat`` runs, in this process).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from dicom_desktop.document import Document  # noqa: E402
from dicom_desktop.errors import EditRefused  # noqa: E402
from dicom_desktop.operations import MoveEntity, UpdateEntity  # noqa: E402
from dicom_desktop.pdf.dossier import export_dossier_pdf  # noqa: E402
from dicom_desktop.reorg import declare_vacant, merge_entities, split_entity  # noqa: E402
from dicom_desktop.scenarios import ActivateScenario, NewScenario  # noqa: E402
from dicom_desktop.synthetic import generate_organisation  # noqa: E402

EXAMPLE = REPO / "dicom_desktop" / "resources" / "examples" / "dicom-scenarios.json"


def synthetic_with_scenario(size: int, edits: int = 12, seed: int = 1) -> Document:
    """A synthetic organisation holding one scenario « Réorganisation d’essai » of ``edits`` edits."""
    doc = Document.from_file_model(generate_organisation(size, seed=seed))
    doc.apply(NewScenario("Réorganisation d’essai", "Scénario synthétique pour mesurer l’export.",
                          scenario_id="essai"))
    doc.apply(ActivateScenario("essai"))
    rng = random.Random(seed)
    for n in range(edits):
        ids = doc.graph.preorder()
        target = rng.choice(ids[1:])
        try:
            match n % 6:
                case 0:
                    doc.apply(MoveEntity(target, rng.choice(ids[: max(2, len(ids) // 10)])))
                case 1:
                    doc.apply(merge_entities(doc, rng.choice(ids[1:]), target))
                case 2:
                    doc.apply(split_entity(doc, target, name=f"Nouvelle entité {n}", paragraphs_to_move=[0]))
                case 3:
                    doc.apply(UpdateEntity(target, {"name": f"Entité renommée {n}"}))
                case 4:
                    doc.apply(declare_vacant(doc, target))
                case _:
                    words = list(doc.graph.entity(target).attributions)
                    words[-1:] = [words[-1].replace(" ", " nouvelle ", 1)] if words else ["Attribution ajoutée."]
                    doc.apply(UpdateEntity(target, {"attributions": words}))
        except EditRefused:
            pass
    doc.apply(ActivateScenario(None))
    return doc


def _time(doc, scenario: str, repeat: int) -> tuple[float, int, int]:
    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(repeat):
            t0 = time.perf_counter()
            report = export_dossier_pdf(doc, scenario, Path(tmp) / "dossier.pdf")
            runs.append(time.perf_counter() - t0)
    return statistics.median(runs), report.pages, report.changes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000])
    parser.add_argument("--edits", type=int, default=12)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    doc = Document.open(EXAMPLE)
    for scenario in doc.scenarios:
        seconds, pages, changes = _time(doc, scenario.id, args.repeat)
        print(f"DICOM, scénario {scenario.id}: {seconds:.3f} s ({pages} pages, {changes} changements)")
    for size in args.sizes:
        doc = synthetic_with_scenario(size, args.edits)
        seconds, pages, changes = _time(doc, "essai", args.repeat)
        print(f"{size} entités, {args.edits} modifications: {seconds:.3f} s ({pages} pages, {changes} changements)")


if __name__ == "__main__":
    main()
