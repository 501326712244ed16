"""Start-up cost (issue 16): the editor window loads only what its first frame needs.

The comparison engine, the spreadsheet readers and the image writer are loaded when a comparison
is first shown, a spreadsheet first imported or an image first exported; a whole
``dicom-desktop screenshot`` (the window, opened on the DICOM chart and painted) must not import
them. Checked in a fresh process, module names by their last
parts so the check holds wherever the folder layout puts them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys


def _modules_after_screenshot(tmp_path) -> set[str]:
    code = (
        "import json, sys\n"
        "from dicom_desktop.cli.entry import main\n"
        f"main(['screenshot', '-o', {str(tmp_path / 'shot.png')!r}])\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env,
                         timeout=300)
    assert (tmp_path / "shot.png").stat().st_size > 0
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


def test_the_screenshot_of_the_editor_loads_neither_the_diff_engine_nor_the_spreadsheet_or_image_code(tmp_path):
    modules = _modules_after_screenshot(tmp_path)
    ours = {m for m in modules if m.startswith("dicom_desktop.")}
    assert not {m for m in ours if m.rsplit(".", 1)[-1] in ("diff", "word_diff")}
    assert not {m for m in ours if "sheets" in m.split(".")}
    assert not {m for m in ours if m.endswith(("image_export", "image_export_dialog"))}
    assert "networkx" not in modules and "openpyxl" not in modules
    assert any(m.endswith("ui.main_window") for m in ours)  # the window really was built
