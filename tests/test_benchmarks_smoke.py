"""The benchmark script runs from a clean clone and fills its table (no timing is asserted)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def test_generate_writes_a_valid_organisation(tmp_path):
    out = tmp_path / "org.json"
    proc = subprocess.run([sys.executable, str(REPO / "benchmarks" / "generate.py"), "40", "-o", str(out)],
                          capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    from dicom_desktop.files.storage import load_organisation

    data = load_organisation(out).data
    assert len(data.entities) == 40
    assert all(len(e.attributions) == 2 for e in data.entities)


@pytest.mark.slow  # runs every benchmark step in fresh processes
def test_run_script_prints_the_table_and_writes_the_doc(tmp_path):
    doc = tmp_path / "performance.md"
    doc.write_text("# Performance\n\nHand-written analysis that must survive.\n", encoding="utf-8")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "run.py"), "--sizes", "50", "--repeat", "1", "--skip-dot",
         "--workdir", str(tmp_path / "work"), "--write", str(doc)],
        capture_output=True, text=True, timeout=600, cwd=tmp_path, env=env,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = proc.stdout
    assert f"{os.cpu_count()} cores" in out and "load average" in out
    table = {line.split("|")[1].strip(): line for line in out.splitlines() if line.startswith("| ")}
    for step in ("Load + validate (parse_organisation)", "Build graph (Document.from_file_model)",
                 "Box measurement (boxes.measure_boxes)", "Layout (layout.compute_layout)", "Save (Document.save, fsync)"):
        cells = [c.strip() for c in table[step].split("|")[2:-2]]
        assert cells and all(c.endswith(("µs", "ms", " s")) for c in cells), table[step]
    # Every step measured: « n/a » would mean the step crashed.
    for step in ("Editor: open → first frame painted", "PDF export (chart + notice)"):
        value = table[step].split("|")[2].strip()
        assert value.endswith(("µs", "ms", " s")), value
    text = doc.read_text(encoding="utf-8")
    assert "Hand-written analysis that must survive." in text
    assert "benchmark table: begin" in text and "| Load + validate" in text


def test_steps_core_reports_every_core_figure(tmp_path):
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        from generate import write_organisation
    finally:
        sys.path.pop(0)
    org = write_organisation(30, tmp_path / "org.json")
    proc = subprocess.run([sys.executable, str(REPO / "benchmarks" / "_steps.py"), "core", str(org), str(tmp_path)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["entities"] == 30
    for key in ("load", "graph", "measure", "layout", "save"):
        assert result[key] > 0
    assert not (tmp_path / "save-30.json").exists()  # the scratch save is cleaned up
