"""Write a synthetic organisation file (deterministic) for benchmarks and manual trials.

    python benchmarks/generate.py 10000 -o /tmp/org-10000.json [--seed 1]

The organisations come from :func:`dicom_desktop.synthetic.generate_organisation`: 2–8 children
per unit, French names with accents, two attribution paragraphs each, a few staff positions and
functional links. The bytes are the canonical ones ``Document.save`` would write.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a script from a clone: make the package importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dicom_desktop.files.storage import dump_organisation  # noqa: E402
from dicom_desktop.synthetic import generate_organisation  # noqa: E402


def write_organisation(size: int, path: Path, seed: int = 1) -> Path:
    """Generate ``size`` entities and write them to ``path`` (plain write: a scratch file)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(dump_organisation(generate_organisation(size, seed)))
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Écrit une organisation synthétique au format dicom-desktop.")
    parser.add_argument("size", type=int, help="nombre d’entités (≥ 1)")
    parser.add_argument("-o", "--output", type=Path, help="fichier à écrire (défaut : org-TAILLE.json)")
    parser.add_argument("--seed", type=int, default=1, help="graine du générateur (défaut : 1)")
    args = parser.parse_args(argv)
    if args.size < 1:
        parser.error("la taille doit être au moins 1")
    out = write_organisation(args.size, args.output or Path(f"org-{args.size}.json"), args.seed)
    print(f"{out} : {args.size} entités, {out.stat().st_size // 1024} Kio")
    return 0


if __name__ == "__main__":
    sys.exit(main())
