"""Build the standalone one-folder bundle of dicom-desktop (no Python needed on the workstation).

    python packaging/build_bundle.py            # → dist/dicom-desktop/ (+ dist/dicom-desktop-<version>-<os>.tar.gz|.zip)
    python packaging/build_bundle.py --reuse    # keep build/bundle-venv from a previous run (faster)

Reproducible: the wheel is built from the sources, installed with its declared dependencies only
into a fresh virtual environment (build/bundle-venv) together with a pinned PyInstaller, and
PyInstaller runs there on packaging/dicom-desktop.spec. Nothing of the developer's own
environment (test tools, other libraries) can end up in the bundle. The same script runs on
Windows (see « Installer pour un poste de travail » in the README).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import time
import venv
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PYINSTALLER = "pyinstaller>=6.10,<7"


def _venv_python(env_dir: Path) -> Path:
    return env_dir / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def _run(args: list, **kwargs) -> None:
    print("$", " ".join(str(a) for a in args), flush=True)
    subprocess.run([str(a) for a in args], check=True, **kwargs)


def build_wheel(work: Path) -> Path:
    """The wheel, built from a copy of the sources in ``work`` (never writes build/ into the clone)."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    wheels, sources = work / "wheel", work / "src"
    for folder in (wheels, sources):
        shutil.rmtree(folder, ignore_errors=True)
    sources.mkdir(parents=True)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, sources / name)
    shutil.copytree(REPO / "dicom_desktop", sources / "dicom_desktop",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.bak", ".~*"))
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", wheels, sources], env=env)
    (wheel,) = wheels.glob("dicom_desktop-*.whl")
    return wheel


def build(out: Path, work: Path, reuse: bool = False) -> Path:
    """Build ``out/dicom-desktop/`` and its archive; returns the bundle folder."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    work.mkdir(parents=True, exist_ok=True)
    wheel = build_wheel(work)

    env_dir = work / "bundle-venv"
    python = _venv_python(env_dir)
    if not (reuse and python.exists()):
        shutil.rmtree(env_dir, ignore_errors=True)
        venv.create(env_dir, with_pip=True)
    _run([python, "-m", "pip", "install", "-q", "--force-reinstall", "--no-deps", wheel], env=env)
    _run([python, "-m", "pip", "install", "-q", wheel, PYINSTALLER], env=env)

    _run([python, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
          "--distpath", out, "--workpath", work / "pyinstaller", REPO / "packaging" / "dicom-desktop.spec"],
         env=env, cwd=work)
    bundle = out / "dicom-desktop"
    _archive(bundle, wheel.name.split("-")[1])
    return bundle


def _archive(bundle: Path, version: str) -> Path:
    """``dicom-desktop-<version>-<os>-<arch>.zip`` (Windows) or ``.tar.gz``: what IT departments ship."""
    system = {"win32": "windows", "darwin": "macos"}.get(sys.platform, "linux")
    stem = bundle.parent / f"dicom-desktop-{version}-{system}-{platform.machine().lower()}"
    if os.name == "nt":
        archive = stem.with_suffix(".zip")
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
            for path in sorted(bundle.rglob("*")):
                z.write(path, path.relative_to(bundle.parent))
    else:
        archive = stem.with_name(stem.name + ".tar.gz")
        with tarfile.open(archive, "w:gz") as t:
            t.add(bundle, arcname=bundle.name)
    return archive


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Construit l’application autonome (un dossier) avec PyInstaller.")
    parser.add_argument("--out", type=Path, default=REPO / "dist", help="dossier de sortie (dist/)")
    parser.add_argument("--work", type=Path, default=REPO / "build" / "bundle", help="dossier de travail")
    parser.add_argument("--reuse", action="store_true", help="réutiliser l’environnement de construction existant")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    bundle = build(args.out.resolve(), args.work.resolve(), args.reuse)
    seconds = time.perf_counter() - start
    exe = bundle / ("dicom-desktop.exe" if os.name == "nt" else "dicom-desktop")
    print(f"Application autonome : {exe} ({folder_size(bundle) / 1e6:.0f} Mo, construite en {seconds:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
