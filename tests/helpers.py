"""Small helpers shared by the core tests."""

from __future__ import annotations

from dicom_desktop.document import Document
from dicom_desktop.files.storage import dump_organisation


def snapshot(doc: Document) -> bytes:
    """The document as saved (canonical bytes): equal snapshots mean identical documents."""
    return dump_organisation(doc.to_file_model())
