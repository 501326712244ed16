"""How long the comparison takes on large organisations (diff, then the patch back to operations).

    python benchmarks/bench_diff.py [--sizes 1000 10000] [--edits 200]

Each run edits a copy of a synthetic organisation with a deterministic mix of moves, removals,
merges, splits, renames and attribution edits, then times ``diff_organisations`` and
``operations_for`` + apply, and checks the patched copy equals the edited one.
"""

from __future__ import annotations

import argparse
import random
import time

from dicom_desktop.comparison.diff import diff_organisations
from dicom_desktop.comparison.patch import operations_for
from dicom_desktop.document import Document
from dicom_desktop.errors import EditRefused
from dicom_desktop.operations import MoveEntity, RemoveEntity, UpdateEntity
from dicom_desktop.reorg import merge_entities, split_entity
from dicom_desktop.files.storage import dump_organisation
from dicom_desktop.synthetic import generate_organisation


def edit(doc: Document, count: int, seed: int) -> None:
    rng = random.Random(seed)
    for n in range(count):
        ids = doc.graph.preorder()
        target = rng.choice(ids[1:])
        action = n % 6
        try:
            if action == 0:
                doc.apply(MoveEntity(target, rng.choice(ids)))
            elif action == 1:
                doc.apply(RemoveEntity(target))
            elif action == 2:
                doc.apply(merge_entities(doc, rng.choice(ids), target))
            elif action == 3:
                doc.apply(split_entity(doc, target, name=f"Scission {n}", paragraphs_to_move=[0]))
            elif action == 4:
                doc.apply(UpdateEntity(target, {"name": f"Entité renommée {n}"}))
            else:
                paragraphs = list(doc.graph.entity(target).attributions) + ["Nouvelle attribution « test »."]
                doc.apply(UpdateEntity(target, {"attributions": paragraphs}))
        except EditRefused:
            pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--edits", type=int, default=200)
    args = parser.parse_args()
    for size in args.sizes:
        data = generate_organisation(size, seed=1)
        base, other = Document.from_file_model(data), Document.from_file_model(data)
        edit(other, args.edits, seed=size)
        t0 = time.perf_counter()
        diff = diff_organisations(base, other)
        t1 = time.perf_counter()
        base.apply(operations_for(diff, base))
        t2 = time.perf_counter()
        same = dump_organisation(base.to_file_model()) == dump_organisation(other.to_file_model())
        print(f"{size:>7} entités, {args.edits} modifications : {len(diff)} changements, "
              f"diff {t1 - t0:.3f} s, patch {t2 - t1:.3f} s, identique après patch : {same}")


if __name__ == "__main__":
    main()
