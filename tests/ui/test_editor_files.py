"""Files, prompts, settings, PDF export/print and the screenshot command of the editor."""

from __future__ import annotations

import sys
import types

from PySide6.QtCore import QSettings

from dicom_desktop.operations import UpdateEntity


def _modify(window):
    assert window.execute(UpdateEntity("bureau-production", {"short_name": "Prod"}))
    assert window.isWindowModified()


def test_open_invalid_file_shows_french_error_and_keeps_document(window, tmp_path):
    bad = tmp_path / "casse.json"
    bad.write_text('{"schema_version": 1, "organisation": {"name": "X"}, "entities": [', encoding="utf-8")
    _modify(window)
    assert not window.open_path(bad, prompt=False)
    title, text = window.dialogs.errors[-1]
    assert title == "Ouverture impossible" and "casse.json" in text and "ligne" in text
    assert window.doc.graph.entity("bureau-production").short_name == "Prod"
    assert window.isWindowModified()


def test_prompt_before_opening_over_unsaved_changes(window, dicom_copy):
    _modify(window)
    window.dialogs.save_answer = "cancel"
    assert not window.open_path(dicom_copy)
    assert window.dialogs.asked_save == 1
    assert window.doc.graph.entity("bureau-production").short_name == "Prod"
    window.dialogs.save_answer = "save"
    assert window.open_path(dicom_copy)  # saved first, then reopened: the change is in the file
    assert window.doc.graph.entity("bureau-production").short_name == "Prod"
    assert not window.isWindowModified()


def test_close_prompt_cancel_keeps_window_discard_closes(qtbot, window):
    _modify(window)
    window.dialogs.save_answer = "cancel"
    window.close()
    assert window.isVisible()
    window.dialogs.save_answer = "discard"
    window.close()
    assert not window.isVisible()


def test_geometry_state_and_recent_files_are_remembered(qtbot, settings, dicom_copy):
    from dicom_desktop.ui.main_window import MainWindow
    from tests.ui.conftest import ScriptedDialogs

    first = MainWindow(settings=settings, dialogs=ScriptedDialogs())
    qtbot.addWidget(first)
    first.show()
    first.resize(734, 517)
    first.history_dock.hide()
    assert first.open_path(dicom_copy, prompt=False)
    first.close()
    assert settings.value("window/geometry") is not None

    second = MainWindow(settings=settings, dialogs=ScriptedDialogs())
    qtbot.addWidget(second)
    second.restore_layout()
    second.show()
    assert second.width() == 734
    assert not second.history_dock.isVisible()
    assert second.recent.files() == [str(dicom_copy.resolve())]
    assert second.recent_menu.actions()[0].text().endswith("dicom.json")
    second.close()


def test_default_settings_are_isolated(settings, tmp_path):
    """The fixture redirects QSettings: tests never touch the user's real settings."""
    assert QSettings.defaultFormat() == QSettings.Format.IniFormat
    assert str(tmp_path) in QSettings().fileName()


def _fake_pdf_module(monkeypatch, calls):
    from reportlab.pdfgen import canvas

    def export_notice_pdf(doc, out_path, *, page_size="A4", orientation="landscape", large_chart="tile"):
        calls.append((doc, out_path, page_size, orientation))
        c = canvas.Canvas(str(out_path))
        for name in ("page 1", "page 2"):
            c.drawString(72, 720, name)
            c.showPage()
        c.save()
        return out_path

    import dicom_desktop.pdf.page_options as real_options  # the export's option lists

    module = types.ModuleType("dicom_desktop.pdf")
    module.export_notice_pdf = export_notice_pdf
    monkeypatch.setitem(sys.modules, "dicom_desktop.pdf", module)
    monkeypatch.setitem(sys.modules, "dicom_desktop.pdf.page_options", real_options)


def test_export_pdf_calls_the_core_and_offers_to_open(window, tmp_path, monkeypatch):
    calls = []
    _fake_pdf_module(monkeypatch, calls)
    window.dialogs.save_path_answer = tmp_path / "notice"
    window.dialogs.yes_no_answer = True
    out = window.exports.export_pdf()
    assert out == tmp_path / "notice.pdf" and out.exists()
    assert calls and calls[0][0] is window.doc
    assert window.dialogs.urls and window.dialogs.urls[0].toLocalFile() == str(out)


def test_export_pdf_failure_is_explained_and_nothing_offered(window, tmp_path):
    """A notice that cannot be written (here: its folder does not exist) is explained in French."""
    window.dialogs.save_path_answer = tmp_path / "absent" / "notice.pdf"
    window.dialogs.yes_no_answer = True
    assert window.exports.export_pdf() is None
    title, text = window.dialogs.errors[-1]
    assert title == "Export PDF impossible" and "notice.pdf" in text
    assert window.dialogs.urls == []


def test_print_renders_every_page_of_the_exported_pdf(window, tmp_path, monkeypatch):
    from pypdf import PdfReader
    from PySide6.QtPrintSupport import QPrinter

    _fake_pdf_module(monkeypatch, [])
    printed = tmp_path / "imprime.pdf"

    def accept(printer):
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(printed))
        printer.setResolution(72)
        return True

    window.dialogs.print_answer = accept
    assert window.exports.print_notice()
    assert len(PdfReader(printed).pages) == 2


def test_screenshot_command_writes_the_png(tmp_path):
    from PySide6.QtGui import QImage

    from dicom_desktop.cli import main

    out = tmp_path / "capture.png"
    assert main(["screenshot", "-o", str(out), "--select", "bureau-campagnes", "--size", "1200x800"]) == 0
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1200, 800)
    assert main(["screenshot", "-o", str(out), "--select", "inconnu"]) == 2
    assert main(["screenshot", "-o", str(out), "--size", "grand"]) == 2


def test_changes_dock_stays_closed_at_start_even_if_it_was_open_at_exit(qtbot, settings, dicom_copy):
    from dicom_desktop.ui.main_window import MainWindow
    from tests.ui.conftest import ScriptedDialogs

    first = MainWindow(settings=settings, dialogs=ScriptedDialogs())
    qtbot.addWidget(first)
    first.show()
    first.compare.dock.show()  # left open (e.g. the comparison was on at exit)
    first.close()

    second = MainWindow(settings=settings, dialogs=ScriptedDialogs())
    qtbot.addWidget(second)
    second.restore_layout()
    second.show()
    assert not second.compare.enabled
    assert not second.compare.dock.isVisible()
    second.close()


def test_opening_a_file_gives_the_freed_heap_back_now_and_after_the_first_frame(qtbot, window, tmp_path, monkeypatch):
    from dicom_desktop.ui.services import document_files

    calls = []
    monkeypatch.setattr(document_files, "return_free_memory", lambda: calls.append(1) or True)
    monkeypatch.setattr(document_files, "AFTER_FIRST_FRAME_MS", 10)
    other = tmp_path / "autre.json"
    other.write_bytes(window.doc.file_bytes())
    assert window.open_path(other, prompt=False)
    assert calls == [1]  # at once: the previous document and the reading's temporaries are freed
    qtbot.waitUntil(lambda: len(calls) == 2, timeout=2000)  # and once the first frame is painted
    window.files.new_document()  # « Nouveau » drops a document too
    qtbot.waitUntil(lambda: len(calls) == 4, timeout=2000)
