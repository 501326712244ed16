"""Every broken file of tests/data/bad/ gets a French error naming the problem and the place.

For each file: ``dicom-desktop validate FILE`` (and ``export-pdf FILE -o OUT`` once that command
exists) exits with code 2, prints a French message on stderr with the problem and where it is,
never a traceback, and changes nothing on disk (same bytes, same mtime, no new file beside it).
Most cases call ``cli.main`` in-process (fast); a handful run the real ``dicom-desktop`` program.
The 50 Mo file and the 100,000-deep file are generated in tmp_path, not committed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dicom_desktop.cli import entry as cli

BAD_DIR = Path(__file__).resolve().parent / "data" / "bad"

# file → (fragment naming the problem, fragment naming the place or None when the whole file is
# the place). The same table is in tests/data/bad/README.md (a test checks they agree).
EXPECTED: dict[str, tuple[str, str | None]] = {
    "empty.json": ("le fichier est vide", None),
    "whitespace-only.json": ("ne contient que des espaces", None),
    "not-json.json": ("JSON invalide : une valeur est attendue", "ligne 1, colonne 1"),
    "truncated.json": ("fichier tronqué", "ligne 15, colonne 13"),
    "latin1.json": ("n’est pas encodé en UTF-8", "ligne 4, colonne 15"),
    "binary-garbage.json": ("contenu binaire", None),
    "utf16.json": ("encodé en UTF-16", None),
    "top-level-array.json": ("doit contenir un objet JSON", None),
    "wrong-types.json": ("doit être un texte entre guillemets", "entité « bureau-a », champ « name »"),
    "missing-entity-name.json": ("champ obligatoire manquant", "entité « bureau-a », champ « name »"),
    "missing-organisation.json": ("champ obligatoire manquant", "champ « organisation »"),
    "missing-schema-version.json": ("champ obligatoire manquant (version du format)", "champ « schema_version »"),
    "newer-schema-version.json": ("version plus récente de dicom-desktop (format 99", "champ « schema_version »"),
    "duplicate-ids.json": ("identifiant en double", "entité « bureau-a », champ « id »"),
    "unknown-parent.json": ("« sous-direction-fantome » ne correspond à aucune entité", "entité « bureau-a », champ « parent »"),
    "cycle.json": ("les rattachements forment une boucle : bureau-a → bureau-b → bureau-a", "entité « bureau-a »"),
    "two-roots.json": ("plusieurs entités de tête", "« direction », « autre-direction »"),
    "no-root.json": ("aucune entité de tête", "champ « parent »"),
    "self-parent.json": ("rattachée à elle-même", "entité « bureau-a », champ « parent »"),
    "self-link.json": ("ne peut pas relier une entité à elle-même", "lien n° 1 (bureau-a → bureau-a)"),
    "unknown-link-target.json": ("l’entité « bureau-inexistant » n’existe pas", "champ « links[0].target »"),
    "duplicate-link.json": ("lien en double", "lien n° 2 (bureau-a → bureau-b)"),
    "name-10000-characters.json": ("le nom est trop long (10000 caractères, au plus 300)", "entité « bureau-a », champ « name »"),
    "control-character.json": ("caractère de contrôle invisible (U+0007)", "entité « bureau-a », champ « name »"),
    "lone-surrogate.json": ("demi-paire UTF-16 isolée U+D800", "entité « bureau-a », champ « name »"),
    "surrogate-in-field-name.json": ("un nom de champ ou un texte contient un caractère invalide", "entité « bureau-a » :"),
    "duplicate-keys.json": ("la clé « name » apparaît deux fois", "ligne 23, colonne 7"),
    "unknown-field.json": ("champ inconnu", "entité « bureau-a », champ « parnet »"),
    "bad-date.json": ("date invalide (format attendu AAAA-MM-JJ)", "entité « direction », champ « effective_date »"),
    "negative-headcount.json": ("doit être positif ou nul", "entité « direction », champ « headcount »"),
    "nan-number.json": ("« NaN » n’est pas une valeur JSON autorisée", "ligne 13, colonne 20"),
    "huge-number.json": ("nombre beaucoup trop long (5000 chiffres", "ligne 13, colonne 20"),
    "no-entities.json": ("ne contient aucune entité", "champ « entities »"),
    "staff-root.json": ("ne peut pas être une position d’état-major", "entité « direction », champ « staff »"),
    "raw-newline-in-string.json": ("caractère de contrôle dans un texte", "ligne 22, colonne 26"),
    "trailing-comma.json": ("virgule en trop avant « } »", "ligne 6, colonne 3"),
    "single-quotes.json": ("entre guillemets droits", "ligne 1, colonne 2"),
    "two-documents.json": ("du texte en trop après la fin du JSON", "ligne 29, colonne 1"),
    "scenario-with-cycle.json": ("scénario « Réorganisation 2025 » : les rattachements forment une boucle", "entité « pole-a »"),
    "blank-name.json": ("le nom est vide", "entité « direction », champ « name »"),
    "deep-value-in-field.json": ("doit être un texte entre guillemets", "champ « organisation.name »"),
    # issue 17: text that spoofs or vanishes, duplicate scenario ids
    "bidi-override-in-name.json": ("caractère de contrôle bidirectionnel (U+202E)", "entité « bureau-a », champ « name »"),
    "bidi-override-in-id.json": ("caractère de contrôle bidirectionnel (U+202E)", "champ « id »"),
    "zero-width-in-id.json": ("caractère invisible (U+200B), interdit dans un identifiant", "champ « id »"),
    "zero-width-only-name.json": ("n’est fait que de caractères invisibles", "entité « bureau-a », champ « name »"),
    "combining-marks-only-name.json": ("n’est fait que de caractères invisibles", "entité « bureau-a », champ « name »"),
    "noncharacter-in-name.json": ("non-caractère Unicode (U+FFFF)", "entité « bureau-a », champ « name »"),
    "duplicate-scenario-ids.json": ("identifiant de scénario en double : « projet-2025 »", "champ « scenarios[1].id »"),
}
ACCEPTED = {"utf8-bom.json"}

# Generated at test time (too big for the repository).
GENERATED: dict[str, tuple[str, str | None]] = {
    "huge-50-mo.json": ("contenu binaire", None),
    "huge-300-mo.json": ("fichier trop volumineux (300 Mo", None),
    "nested-100000-deep.json": ("JSON imbriqué beaucoup trop profondément", None),
}


def _generate(name: str, folder: Path) -> Path:
    path = folder / name
    if name == "huge-50-mo.json":
        # A syntactically plausible start followed by 50 Mio of padding inside one string.
        head = b'{"schema_version": 1, "organisation": {"name": "Gros fichier", "notes": "'
        with open(path, "wb") as handle:
            handle.write(head)
            handle.truncate(50 * 1024 * 1024)  # sparse: instant, no disk space used
    elif name == "huge-300-mo.json":
        # Over the size limit (a 100,000-entity organisation is ~76 Mo): refused before reading.
        with open(path, "wb") as handle:
            handle.write(b'{"schema_version": 1, ')
            handle.truncate(300 * 1024 * 1024)
    elif name == "nested-100000-deep.json":
        path.write_text('{"schema_version": 1, "organisation": ' + "[" * 100_000 + "]" * 100_000 + "}", encoding="utf-8")
    else:  # pragma: no cover
        raise KeyError(name)
    return path


@pytest.fixture(params=[pytest.param(name, marks=pytest.mark.slow) for name in sorted(GENERATED)])
def generated_bad_file(request, tmp_path) -> tuple[Path, tuple[str, str | None]]:
    folder = tmp_path / "bad"
    folder.mkdir()
    return _generate(request.param, folder), GENERATED[request.param]


def _snapshot(path: Path) -> tuple[bytes, int, set[str]]:
    return path.read_bytes(), path.stat().st_mtime_ns, set(os.listdir(path.parent))


def _check_refused(rc: int, out: str, err: str, path: Path, expected: tuple[str, str | None]) -> None:
    problem, place = expected
    assert rc == 2, f"{path.name}: exit code {rc}\n{err}"
    assert "Traceback" not in out + err
    assert err.startswith("Erreur : "), err
    assert path.name in err  # the file is named
    assert problem in err, f"{path.name}: « {problem} » missing from:\n{err}"
    if place:
        assert place in err, f"{path.name}: place « {place} » missing from:\n{err}"


# ---------------------------------------------------------------------------- the corpus itself
def test_corpus_has_every_listed_case():
    from tests.test_reliability import SHEETS  # spreadsheets (issue 17), checked through « import »

    files = {p.name for p in BAD_DIR.iterdir() if p.name != "README.md"}
    assert files == set(EXPECTED) | ACCEPTED | set(SHEETS)
    assert len(files) + len(GENERATED) >= 25


def test_readme_lists_every_file_with_its_expected_message():
    readme = (BAD_DIR / "README.md").read_text(encoding="utf-8")
    for name, (problem, _place) in {**EXPECTED, **GENERATED}.items():
        row = next((line for line in readme.splitlines() if f"`{name}`" in line), None)
        assert row is not None, f"{name} missing from README.md"
        assert problem in row, f"README row of {name} does not quote « {problem} »"
    for name in ACCEPTED:
        assert f"`{name}`" in readme


# ---------------------------------------------------------------------------- validate, in-process
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_validate_refuses_in_french(name, capsys):
    path = BAD_DIR / name
    before = _snapshot(path)
    rc = cli.main(["validate", str(path)])
    out, err = capsys.readouterr()
    _check_refused(rc, out, err, path, EXPECTED[name])
    assert _snapshot(path) == before


def test_validate_refuses_generated_files(generated_bad_file, capsys):
    path, expected = generated_bad_file
    before = _snapshot(path)
    start = time.perf_counter()
    rc = cli.main(["validate", str(path)])
    elapsed = time.perf_counter() - start
    out, err = capsys.readouterr()
    _check_refused(rc, out, err, path, expected)
    assert _snapshot(path) == before
    assert elapsed < 5, f"{path.name} took {elapsed:.1f} s to refuse"  # generous: it is milliseconds


def test_utf8_bom_is_accepted(capsys):
    path = BAD_DIR / "utf8-bom.json"
    before = _snapshot(path)
    assert cli.main(["validate", str(path)]) == 0
    out, err = capsys.readouterr()
    assert "Fichier valide" in out and "Délégation d’essai" in out
    assert _snapshot(path) == before


def test_folder_and_missing_file_are_refused(tmp_path, capsys):
    assert cli.main(["validate", str(tmp_path)]) == 2
    assert "c’est un dossier" in capsys.readouterr().err
    assert cli.main(["validate", str(tmp_path / "absent.json")]) == 2
    assert "fichier introuvable" in capsys.readouterr().err


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_pipe_is_refused_without_blocking(tmp_path, capsys):
    fifo = tmp_path / "tube.json"
    os.mkfifo(fifo)
    assert cli.main(["validate", str(fifo)]) == 2  # would block forever if it were read
    assert "pas un fichier ordinaire" in capsys.readouterr().err


# ---------------------------------------------------------------------------- export-pdf
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_export_pdf_refuses_in_french(name, tmp_path, capsys):
    path = BAD_DIR / name
    out_pdf = tmp_path / "sortie.pdf"
    before = _snapshot(path)
    rc = cli.main(["export-pdf", str(path), "-o", str(out_pdf)])
    out, err = capsys.readouterr()
    _check_refused(rc, out, err, path, EXPECTED[name])
    assert _snapshot(path) == before
    assert not out_pdf.exists() and os.listdir(tmp_path) == []


def test_export_pdf_refuses_generated_files(generated_bad_file, tmp_path, capsys):
    path, expected = generated_bad_file
    out_pdf = tmp_path / "sortie.pdf"
    before = _snapshot(path)
    rc = cli.main(["export-pdf", str(path), "-o", str(out_pdf)])
    out, err = capsys.readouterr()
    _check_refused(rc, out, err, path, expected)
    assert _snapshot(path) == before
    assert not out_pdf.exists()


# ---------------------------------------------------------------------------- real processes
SUBPROCESS_CASES = ["empty.json", "latin1.json", "lone-surrogate.json", "cycle.json", "duplicate-keys.json"]


def _run(*args: str) -> subprocess.CompletedProcess:
    program = shutil.which("dicom-desktop")  # the installed entry point, as a user runs it
    command = [program] if program else [sys.executable, "-m", "dicom_desktop"]
    return subprocess.run(
        [*command, *args], capture_output=True, text=True, timeout=60,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )


@pytest.mark.parametrize("name", SUBPROCESS_CASES)
def test_real_process_validate(name):
    path = BAD_DIR / name
    before = _snapshot(path)
    result = _run("validate", str(path))
    _check_refused(result.returncode, result.stdout, result.stderr, path, EXPECTED[name])
    assert _snapshot(path) == before


@pytest.mark.slow  # 50 and 300 Mo files, read by a real process
def test_real_process_generated_files(tmp_path):
    folder = tmp_path / "bad"
    folder.mkdir()
    for name, expected in GENERATED.items():
        path = _generate(name, folder)
        before = _snapshot(path)
        result = _run("validate", str(path))
        _check_refused(result.returncode, result.stdout, result.stderr, path, expected)
        assert _snapshot(path) == before


def test_real_process_bom_accepted():
    result = _run("validate", str(BAD_DIR / "utf8-bom.json"))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stdout + result.stderr


@pytest.mark.parametrize("name", ["truncated.json", "two-roots.json"])
def test_real_process_export_pdf(name, tmp_path):
    path = BAD_DIR / name
    before = _snapshot(path)
    result = _run("export-pdf", str(path), "-o", str(tmp_path / "sortie.pdf"))
    _check_refused(result.returncode, result.stdout, result.stderr, path, EXPECTED[name])
    assert _snapshot(path) == before
    assert os.listdir(tmp_path) == []


# ---------------------------------------------------------------------------- the editor's Ouvrir
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_document_open_raises_only_the_french_file_error(name):
    """The editor's « Ouvrir » calls Document.open: it must get the same French error, nothing else
    (the window then shows it in a dialog and stays usable with the document it had)."""
    from dicom_desktop.document import Document
    from dicom_desktop.errors import OrganisationFileError

    path = BAD_DIR / name
    before = _snapshot(path)
    with pytest.raises(OrganisationFileError) as caught:
        Document.open(path)
    problem, place = EXPECTED[name]
    assert problem in str(caught.value) and (place is None or place in str(caught.value))
    assert caught.value.problems  # structured, for a list in the dialog
    assert _snapshot(path) == before
