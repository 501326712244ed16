"""Shared fixtures. Qt tests run offscreen: no display is needed anywhere."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Windows opened by tests may autosave (recovery snapshots) and take lock files: keep all of it
# in a throw-away data folder, never in the developer's own (the editor would offer those
# snapshots at its next real start). Subprocesses inherit it.
os.environ["XDG_DATA_HOME"] = tempfile.mkdtemp(prefix="dicom-tests-data-")

# CI runs the property tests on a fixed sequence of examples (the same on every run, so a
# submission's verdict does not depend on luck); developers keep hypothesis' random exploration.
from hypothesis import settings as _hypothesis_settings  # noqa: E402

_hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    _hypothesis_settings.load_profile("ci")

REPO = Path(__file__).resolve().parent.parent
DICOM_FILE = REPO / "dicom_desktop" / "resources" / "dicom-organigramme.json"
SEED = REPO.parent / "shared" / "seeds" / "dicom-organigramme-notice.txt"


@pytest.fixture
def dicom_path() -> Path:
    return DICOM_FILE


@pytest.fixture
def dicom_doc():
    from dicom_desktop.document import Document

    return Document.open(DICOM_FILE)


def minimal_file(entities=None, links=None, **organisation) -> dict:
    """A small valid file as a dict, to be broken on purpose by tests."""
    org = {"name": "Organisation d’essai", "acronym": "OE"}
    org.update(organisation)
    return {
        "schema_version": 1,
        "organisation": org,
        "entities": entities
        if entities is not None
        else [
            {"id": "root", "name": "Direction", "kind": "direction", "parent": None},
            {"id": "a", "name": "Bureau A", "kind": "bureau", "parent": "root"},
            {"id": "b", "name": "Bureau B", "kind": "bureau", "parent": "root"},
        ],
        "links": links or [],
    }


def write_json(tmp_path: Path, data, name="org.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path
