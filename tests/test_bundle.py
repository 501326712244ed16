"""The standalone bundle (packaging/build_bundle.py) runs on a machine without Python.

Built with the script into a temporary folder, then run with a clean environment: no virtual
environment nor pyenv on PATH, no PYTHONPATH, HOME in a temporary folder, another working folder.
Building takes minutes (a fresh venv, then PyInstaller): the test runs in CI (CI=true), or on a
bundle already built when DICOM_DESKTOP_BUNDLE names its folder (e.g. dist/dicom-desktop), or with
DICOM_DESKTOP_BUILD_BUNDLE=1.
"""

from __future__ import annotations

import os
import struct
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from .conftest import REPO

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not (os.environ.get("CI") or os.environ.get("DICOM_DESKTOP_BUNDLE") or os.environ.get("DICOM_DESKTOP_BUILD_BUNDLE")),
        reason="builds the bundle (minutes): run in CI, or set DICOM_DESKTOP_BUNDLE=dist/dicom-desktop "
               "or DICOM_DESKTOP_BUILD_BUNDLE=1"),
]


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    given = os.environ.get("DICOM_DESKTOP_BUNDLE")
    if given:
        return Path(given).resolve()
    root = tmp_path_factory.mktemp("bundle")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    result = subprocess.run([sys.executable, str(REPO / "packaging" / "build_bundle.py"), "--out", str(root / "dist"),
                             "--work", str(root / "work")], capture_output=True, text=True, timeout=1800, env=env,
                            check=False)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "Application autonome" in result.stdout
    return root / "dist" / "dicom-desktop"


def _clean_env(home: Path) -> dict[str, str]:
    """What a workstation without Python gives the program: system PATH, a new home, nothing else."""
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8", "QT_QPA_PLATFORM": "offscreen"}
    for name in ("DISPLAY", "XDG_RUNTIME_DIR", "SYSTEMROOT", "TEMP", "TMP"):  # the session, not Python
        if name in os.environ:
            env[name] = os.environ[name]
    return env


def _run(exe: Path, *args: str, cwd: Path, env: dict) -> str:
    result = subprocess.run([str(exe), *args], capture_output=True, text=True, timeout=300, cwd=cwd, env=env,
                            check=False)
    assert result.returncode == 0, f"{args}\n{result.stdout}\n{result.stderr}"
    assert "Traceback" not in result.stderr
    return result.stdout


def test_bundle_runs_validate_export_pdf_and_screenshot_without_python(bundle, tmp_path):
    exe = bundle / ("dicom-desktop.exe" if os.name == "nt" else "dicom-desktop")
    assert exe.is_file()
    home = tmp_path / "home"
    home.mkdir()
    work = tmp_path / "travail"
    work.mkdir()
    env = _clean_env(home)

    said = _run(exe, "validate", cwd=work, env=env)
    assert "Fichier valide" in said and "(DICOM)" in said and "Bureau des ressources" in said

    said = _run(exe, "export-pdf", cwd=work, env=env)
    (pdf,) = (home / "Documents").glob("DICOM-*-notice.pdf")
    assert str(pdf) in said
    reader = PdfReader(str(pdf))
    assert len(reader.pages) >= 3
    assert "Bureau des ressources" in "".join(page.extract_text() for page in reader.pages)

    # The notice's XMP metadata goes through pikepdf → lxml, imported only at that moment: the
    # PDF text above proves the bundle carries it. The publication formats too (WeasyPrint, Jinja2):
    _run(exe, "export-html", "-o", "page.html", cwd=work, env=env)
    assert 'lang="fr"' in (work / "page.html").read_text(encoding="utf-8")
    _run(exe, "export-pdf", "--tagged", "-o", "accessible.pdf", cwd=work, env=env)
    assert "/StructTreeRoot" in PdfReader(str(work / "accessible.pdf")).trailer["/Root"]

    _run(exe, "screenshot", "-o", "capture.png", cwd=work, env=env)
    assert struct.unpack(">II", (work / "capture.png").read_bytes()[16:24]) == (1600, 1000)

    # The bundle ships the example and the desktop integration files too.
    example = bundle / "_internal" / "dicom_desktop" / "resources" / "examples" / "dicom-scenarios.json"
    said = _run(exe, "validate", str(example), cwd=work, env=env)
    assert "Scénarios" in said
    assert not [p for p in bundle.rglob("*.pdf")]  # nothing written into the bundle

    # Its menu entry starts the bundle itself (no Python anywhere).
    _run(exe, "install-desktop", cwd=work, env={**env, "XDG_DATA_HOME": str(home / "share")})
    entry = (home / "share" / "applications" / "dicom-desktop.desktop").read_text(encoding="utf-8")
    assert f"Exec={exe} %f" in entry
