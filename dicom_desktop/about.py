"""What « À propos » says: the version, the licence, and every library shipped, with its licence.

The library list is not written by hand: it is the runtime dependency closure of the installed
``dicom-desktop`` distribution, read with :mod:`importlib.metadata` (versions and licences as the
libraries declare them), so it stays true when a dependency is added. Qt itself and the DejaVu
fonts are not Python distributions and are added explicitly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import metadata

from dicom_desktop import __version__

DISTRIBUTION = "dicom-desktop"
LICENCE = "MIT"
#: Libraries whose metadata says more than a name (« BSD license (see license.txt…) »).
_LICENCE_NAMES = {"reportlab": "BSD", "rl-accel": "BSD", "jinja2": "BSD-3-Clause"}
_CLASSIFIER_NAMES = {"MIT License": "MIT", "BSD License": "BSD", "Apache Software License": "Apache-2.0",
                     "Python Software Foundation License": "PSF-2.0"}
_REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[([^\]]*)\])?")
_EXTRA_MARKER = re.compile(r"""extra\s*==\s*['"]([^'"]+)['"]""")


@dataclass(frozen=True)
class Library:
    name: str
    version: str
    licence: str


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _field(dist: metadata.Distribution, name: str) -> str:
    """A metadata field's (first) value, "" when the distribution does not declare it."""
    values = dist.metadata.get_all(name)
    return values[0] if values else ""


def _licence(dist: metadata.Distribution) -> str:
    name = _canonical(dist.metadata["Name"] or "")
    if name in _LICENCE_NAMES:
        return _LICENCE_NAMES[name]
    expression = _field(dist, "License-Expression")
    if expression:
        return expression
    declared = _field(dist, "License").strip()
    if declared and "\n" not in declared and len(declared) <= 60:
        return declared
    for classifier in dist.metadata.get_all("Classifier") or []:
        if classifier.startswith("License :: "):
            last = classifier.rsplit(" :: ", 1)[-1]
            return _CLASSIFIER_NAMES.get(last, last)
    return "voir la distribution"


def _requirements(dist: metadata.Distribution, extras: set[str]) -> list[tuple[str, set[str]]]:
    """(name, extras) of the requirements of ``dist`` that apply with ``extras`` requested."""
    wanted = []
    for requirement in dist.requires or []:
        spec, _, marker = requirement.partition(";")
        needs_extra = _EXTRA_MARKER.search(marker)
        if needs_extra and needs_extra.group(1) not in extras:
            continue
        match = _REQUIREMENT.match(spec)
        if match:
            sub_extras = {e.strip() for e in (match.group(2) or "").split(",") if e.strip()}
            wanted.append((match.group(1), sub_extras))
    return wanted


def shipped_libraries() -> list[Library]:
    """Every installed library dicom-desktop runs with (its dependency closure), sorted by name.

    A requirement that is not installed (a marker for another platform) is not shipped: skipped.
    """
    try:
        root = metadata.distribution(DISTRIBUTION)
    except metadata.PackageNotFoundError:  # running from a clone that was never installed
        return []
    seen: dict[str, Library] = {}
    todo = _requirements(root, set())
    while todo:
        name, extras = todo.pop()
        key = _canonical(name)
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        if key not in seen:
            seen[key] = Library(dist.metadata["Name"] or name, dist.version, _licence(dist))
            todo.extend(_requirements(dist, extras))
        elif extras:
            todo.extend(_requirements(dist, extras))
    return sorted(seen.values(), key=lambda lib: lib.name.lower())


def qt_version() -> str | None:
    """The Qt version PySide6 was built with, without importing Qt (Qt's version follows PySide6's)."""
    try:
        return metadata.version("pyside6")
    except metadata.PackageNotFoundError:
        return None


def about_text_facts() -> dict:
    """The facts « À propos » shows, Qt-free (the dialog lays them out; tests read them)."""
    libraries = shipped_libraries()
    extra = [Library("Qt", qt_version() or "?", "LGPL-3.0-only"),
             Library("Polices DejaVu", "2.37", "Bitstream Vera (libre)")]
    return {"version": __version__, "licence": LICENCE, "libraries": libraries + extra}
