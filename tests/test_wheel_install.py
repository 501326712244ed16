"""The built wheel, installed (not editable) in a fresh virtual environment, works from anywhere.

What an IT department does: build the wheel, install it with its dependencies into a new venv,
run the commands from another folder with a fresh home. Everything the package needs must be
inside the wheel (chart, fonts, icons…), and no output may land inside the installation.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import struct
import subprocess
import venv
from pathlib import Path

import pytest
from pypdf import PdfReader

from .conftest import REPO

pytestmark = pytest.mark.slow


def _packaging():
    """packaging/build_bundle.py (not a package): its wheel builder is the one the bundle uses."""
    spec = importlib.util.spec_from_file_location("build_bundle", REPO / "packaging" / "build_bundle.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _run(args, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(args, capture_output=True, text=True, timeout=900, check=False, **kwargs)
    assert result.returncode == 0, f"{args}\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(venv, wheel): the wheel built from the sources and installed with its dependencies."""
    root = tmp_path_factory.mktemp("wheel")
    wheel = _packaging().build_wheel(root)
    build_env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env_dir = root / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    # Dependencies come from the wheel's own metadata (pip's cache makes this fast on a warm machine).
    _run([str(python), "-m", "pip", "install", "-q", str(wheel)], env=build_env)
    return env_dir, wheel


def _user_env(env_dir: Path, home: Path) -> dict[str, str]:
    """A user's session: the venv's scripts first on PATH, a fresh home, no clone on the path."""
    bin_dir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "VIRTUAL_ENV") and not k.startswith("XDG_")}
    env.update(PATH=f"{bin_dir}{os.pathsep}/usr/bin{os.pathsep}/bin", HOME=str(home), QT_QPA_PLATFORM="offscreen",
               XDG_DATA_HOME=str(home / ".local" / "share"), XDG_CONFIG_HOME=str(home / ".config"))
    return env


def test_wheel_carries_the_shipped_files(installed):
    import zipfile

    _env_dir, wheel = installed
    names = set(zipfile.ZipFile(wheel).namelist())
    for shipped in ("dicom_desktop/resources/dicom-organigramme.json", "dicom_desktop/resources/fonts/DejaVuSans.ttf",
                    "dicom_desktop/resources/examples/dicom-scenarios.json",
                    "dicom_desktop/resources/icons/dicom-desktop.svg",
                    "dicom_desktop/resources/desktop/dicom-desktop.desktop"):
        assert shipped in names
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]


def test_installed_wheel_runs_the_commands_from_another_folder(installed, tmp_path):
    env_dir, _wheel = installed
    home = tmp_path / "home"
    home.mkdir()
    work = tmp_path / "ailleurs"
    work.mkdir()
    env = _user_env(env_dir, home)
    bin_dir = Path(env["PATH"].split(os.pathsep)[0])
    exe = shutil.which("dicom-desktop", path=str(bin_dir))
    python = shutil.which("python", path=str(bin_dir))
    assert exe and python

    where = _run([python, "-c", "import dicom_desktop; print(dicom_desktop.__file__)"], cwd=work, env=env).stdout
    assert Path(where.strip()).is_relative_to(env_dir), where  # the wheel's copy, not the clone
    _run([python, "-m", "pip", "check"], cwd=work, env=env)

    said = _run([exe, "validate"], cwd=work, env=env).stdout
    assert "Fichier valide" in said and "(DICOM)" in said and "Bureau des ressources" in said

    said = _run([python, "-m", "dicom_desktop", "validate"], cwd=work, env=env).stdout
    assert "Fichier valide" in said

    said = _run([exe, "export-pdf"], cwd=work, env=env).stdout
    (pdf,) = (home / "Documents").glob("DICOM-*-notice.pdf")
    assert str(pdf) in said
    reader = PdfReader(str(pdf))
    text = "".join(page.extract_text() for page in reader.pages)
    assert len(reader.pages) >= 3 and "Bureau des ressources" in text

    help_text = _run([exe, "--help"], cwd=work, env=env).stdout
    if "export-html" in help_text:  # the accessible web page, once that command exists
        _run([exe, "export-html"], cwd=work, env=env)
        (page,) = (home / "Documents").glob("*.html")
        assert '<html lang="fr"' in page.read_text(encoding="utf-8")

    shot = work / "capture.png"
    _run([exe, "screenshot", "-o", "capture.png"], cwd=work, env=env)
    assert struct.unpack(">II", shot.read_bytes()[16:24]) == (1600, 1000)

    # A user's own file: its export goes next to it.
    mine = work / "mon-organigramme.json"
    shutil.copyfile(Path(where.strip()).parent / "resources" / "dicom-organigramme.json", mine)
    _run([exe, "export-pdf", str(mine)], cwd=home, env=env)
    assert list(work.glob("DICOM-*-notice.pdf"))

    # Nothing was written inside the installation, nor in the clone's exports/.
    package = Path(where.strip()).parent
    assert not [p for p in package.rglob("*") if p.suffix in (".pdf", ".png", ".html") and "icons" not in p.parts]
