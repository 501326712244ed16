"""``dicom-desktop install-desktop``: menu entry, icon and file type under $XDG_DATA_HOME, and back."""

from __future__ import annotations

import configparser
import fnmatch
import os
import shutil
import struct
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from dicom_desktop import desktop_integration as di
from dicom_desktop.cli import main
from dicom_desktop.document import Document
from dicom_desktop.files.paths import DEFAULT_ORGANISATION, DESKTOP_DIR, ICONS_DIR

NS = {"m": "http://www.freedesktop.org/standards/shared-mime-info"}


@pytest.fixture
def data_home(tmp_path, monkeypatch):
    root = tmp_path / "données"  # an accent in the path, as in a French home folder
    monkeypatch.setenv("XDG_DATA_HOME", str(root))
    return root


def _entry(path: Path) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # keys are case-sensitive
    parser.read_string(path.read_text(encoding="utf-8"))
    return parser["Desktop Entry"]


def _recognises(mime_xml: Path, name: str, data: bytes) -> bool:
    """The shared-mime-info rules of ``mime_xml`` (glob, nested magic) applied to one file."""
    kind = ET.parse(mime_xml).getroot().find("m:mime-type", NS)
    if any(fnmatch.fnmatch(name, g.get("pattern")) for g in kind.findall("m:glob", NS)):
        return True

    def matches(match) -> bool:
        start, _, end = match.get("offset").partition(":")
        value = match.get("value").encode("utf-8")
        window = data[int(start): int(end or start) + len(value)]
        children = match.findall("m:match", NS)
        return value in window and (not children or any(matches(c) for c in children))

    return any(matches(m) for magic in kind.findall("m:magic", NS) for m in magic.findall("m:match", NS))


def test_install_writes_entry_icons_and_mime_type_then_uninstall_removes_them(data_home, capsys):
    assert main(["install-desktop"]) == 0
    said = capsys.readouterr().out
    desktop = data_home / "applications" / "dicom-desktop.desktop"
    mime_xml = data_home / "mime" / "packages" / "dicom-desktop.xml"
    icons = [data_home / "icons" / "hicolor" / f"{s}x{s}" / "apps" / "dicom-desktop.png" for s in di.PNG_SIZES]
    svg = data_home / "icons" / "hicolor" / "scalable" / "apps" / "dicom-desktop.svg"
    assert desktop.is_file() and mime_xml.is_file() and svg.is_file() and all(p.is_file() for p in icons)
    assert str(desktop) in said and di.MIME_TYPE in said

    entry = _entry(desktop)
    assert entry["Type"] == "Application" and entry["Icon"] == "dicom-desktop"
    assert entry["GenericName"] == "Éditeur d’organigrammes"
    assert "Office" in entry["Categories"].split(";")
    assert entry["MimeType"].rstrip(";").split(";") == [di.MIME_TYPE]
    exe = entry["TryExec"]
    assert os.access(exe, os.X_OK), exe  # the launcher of this very installation, not a bare name
    assert entry["Exec"].endswith(" %f")

    # Each PNG is the size its folder says (PNG header: width and height after the IHDR tag).
    for size, icon in zip(di.PNG_SIZES, icons):
        header = icon.read_bytes()[:24]
        assert header[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", header[16:24]) == (size, size)

    # The installed type recognises what the editor writes, whatever the file is called…
    saved = data_home.parent / "Mon organigramme.json"
    Document.open(DEFAULT_ORGANISATION).save(saved)
    assert _recognises(mime_xml, saved.name, saved.read_bytes())
    assert _recognises(mime_xml, "projet.organigramme.json", b"{}")
    # …and not any other JSON.
    assert not _recognises(mime_xml, "config.json", b'{\n  "schema_version": 3,\n  "name": "x"\n}\n')

    if shutil.which("update-mime-database"):  # the compiled database knows the type (CI has the tool)
        assert di.MIME_TYPE in (data_home / "mime" / "types").read_text(encoding="utf-8")

    assert main(["install-desktop", "--uninstall"]) == 0
    assert "supprimée" in capsys.readouterr().out
    assert not desktop.exists() and not mime_xml.exists() and not svg.exists()
    assert not any(p.exists() for p in icons)
    if shutil.which("update-mime-database"):
        assert di.MIME_TYPE not in (data_home / "mime" / "types").read_text(encoding="utf-8")
    assert main(["install-desktop", "--uninstall"]) == 0
    assert "Rien à désinstaller" in capsys.readouterr().out


@pytest.mark.skipif(not (shutil.which("gio") and shutil.which("update-mime-database")),
                    reason="GLib's gio and shared-mime-info are needed (installed by .ci/run)")
def test_the_desktop_recognises_an_organisation_file_after_install(data_home, tmp_path):
    """What a file manager asks: GLib's content type of an organisation file, plain *.json included."""
    assert main(["install-desktop"]) == 0
    plain = tmp_path / "dicom.json"
    shutil.copyfile(DEFAULT_ORGANISATION, plain)
    other = tmp_path / "autre.json"
    other.write_text('{"a": 1}\n', encoding="utf-8")
    env = {**os.environ, "XDG_DATA_HOME": str(data_home), "XDG_DATA_DIRS": "/usr/local/share:/usr/share"}

    def content_type(path: Path) -> str:
        out = subprocess.run(["gio", "info", "-a", "standard::content-type", str(path)], env=env,
                             capture_output=True, text=True, timeout=60, check=True).stdout
        return out.rsplit(":", 1)[-1].strip()

    assert content_type(plain) == di.MIME_TYPE
    assert content_type(other) == "application/json"


@pytest.mark.skipif(not shutil.which("desktop-file-validate"), reason="desktop-file-utils not installed")
def test_shipped_and_installed_entries_are_valid(tmp_path):
    weird = tmp_path / "dossier avec espaces" / "dicom-desktop"
    for text in ((DESKTOP_DIR / "dicom-desktop.desktop").read_text(encoding="utf-8"),
                 di.desktop_entry([str(weird)]),
                 di.desktop_entry(["/usr/bin/python3", "-m", "dicom_desktop"])):
        path = tmp_path / "dicom-desktop.desktop"
        path.write_text(text, encoding="utf-8")
        result = subprocess.run(["desktop-file-validate", str(path)], capture_output=True, text=True, timeout=60,
                                check=False)
        assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr
    assert f'Exec="{weird}" %f' in di.desktop_entry([str(weird)])


def test_icons_are_rendered_from_the_svg_at_every_size():
    assert (ICONS_DIR / "dicom-desktop.svg").is_file() and (ICONS_DIR / "dicom-desktop.ico").is_file()
    for size in di.PNG_SIZES:
        header = (ICONS_DIR / f"dicom-desktop-{size}.png").read_bytes()[:24]
        assert struct.unpack(">II", header[16:24]) == (size, size)


def test_a_write_failure_is_a_french_error(tmp_path, monkeypatch, capsys):
    blocker = tmp_path / "fichier"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_DATA_HOME", str(blocker))  # a file where a folder is needed
    assert main(["install-desktop"]) == 2
    err = capsys.readouterr().err
    assert "Impossible d’installer l’intégration au bureau" in err and "Traceback" not in err
