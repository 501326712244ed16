"""The core must import, run and be tested without Qt (napari's rule, enforced here)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent / "dicom_desktop"
# Every core module and subpackage, found on disk (importing dicom_desktop.ui to walk it would load Qt).
CORE_MODULES = sorted(
    ".".join(("dicom_desktop",) + p.relative_to(_PACKAGE).with_suffix("").parts).removesuffix(".__init__")
    for p in _PACKAGE.rglob("*.py")
    if p.relative_to(_PACKAGE).parts[0] != "ui" and p.stem != "__main__"
)


def test_importing_the_whole_core_does_not_import_qt():
    code = (
        "import importlib, sys\n"
        f"for name in {CORE_MODULES!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6')))\n"
        "print(bad)\n"
        "sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_core_source_mentions_pyside():
    root = Path(__file__).resolve().parent.parent / "dicom_desktop"
    offenders = [
        str(p.relative_to(root))
        for p in root.rglob("*.py")
        if "ui" not in p.relative_to(root).parts[:1] and re.search(r"^\s*(from|import) (PySide6|shiboken6)", p.read_text(encoding="utf-8"), re.M)
    ]
    assert offenders == []
