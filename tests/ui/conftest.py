"""Fixtures for driving the real editor window offscreen, with scripted dialogs."""

from __future__ import annotations

import shutil

import pytest

from tests.conftest import DICOM_FILE


class ScriptedDialogs:
    """Stands in for ui.dialogs.Dialogs: records every question, answers from presets."""

    def __init__(self) -> None:
        self.errors: list[tuple[str, str]] = []
        self.infos: list[tuple[str, str]] = []
        self.save_answer = "discard"
        self.delete_answer = "single"
        self.yes_no_answer = False
        self.open_answer = None
        self.save_path_answer = None
        self.print_answer = False
        self.asked_save = 0
        self.urls = []

    def ask_save_changes(self, name):
        self.asked_save += 1
        return self.save_answer

    def ask_delete_mode(self, name, descendants):
        return self.delete_answer

    def error(self, title, text):
        self.errors.append((title, text))

    def info(self, title, text):
        self.infos.append((title, text))

    def ask_yes_no(self, title, text, yes="Oui", no="Non"):
        return self.yes_no_answer

    def open_path(self, directory):
        return self.open_answer

    # issue 6: recovery, lock and autosave questions (answers preset by the test, questions recorded)
    recovery_answer = "later"
    locked_answer = "readonly"
    autosave_interval_answer = None

    def ask_recovery(self, description, damaged=False):
        self.__dict__.setdefault("recoveries", []).append((description, damaged))
        return self.recovery_answer

    def ask_open_locked(self, text):
        self.__dict__.setdefault("locked", []).append(text)
        return self.locked_answer

    def ask_autosave_interval(self, seconds):
        return self.autosave_interval_answer

    def save_path(self, title, suggested, file_filter=""):
        return self.save_path_answer

    def print_dialog(self, printer, page_count=0):
        return self.print_answer(printer) if callable(self.print_answer) else self.print_answer

    # issue 12 §5: print preview and page setup (answers preset by the test)
    preview_answer = False
    page_setup_answer = False

    def print_preview(self, printer, paint):
        return self.preview_answer(printer, paint) if callable(self.preview_answer) else self.preview_answer

    def page_setup(self, printer):
        return self.page_setup_answer(printer) if callable(self.page_setup_answer) else self.page_setup_answer

    # issue 12 §1 and §6: organisation properties and PDF options (None: cancelled; callables get the input)
    properties_answer = None
    pdf_options_answer = "defaults"

    def ask_organisation_properties(self, organisation):
        answer = self.properties_answer
        return answer(organisation) if callable(answer) else answer

    def ask_pdf_options(self, options):
        answer = self.pdf_options_answer
        if answer == "defaults":
            return options
        return answer(options) if callable(answer) else answer

    def open_url(self, url):
        self.urls.append(url)
        return True


@pytest.fixture
def settings(tmp_path):
    from PySide6.QtCore import QSettings

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    return QSettings(str(tmp_path / "editor.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def dicom_copy(tmp_path):
    path = tmp_path / "dicom.json"
    shutil.copyfile(DICOM_FILE, path)
    return path


@pytest.fixture
def window(qtbot, settings, dicom_copy):
    from dicom_desktop.ui.app import create_application
    from dicom_desktop.ui.main_window import MainWindow

    create_application()
    win = MainWindow(settings=settings, dialogs=ScriptedDialogs())
    qtbot.addWidget(win)
    win.resize(1400, 900)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    assert win.open_path(dicom_copy, prompt=False)
    win.view.fit_chart()
    qtbot.wait(10)
    yield win
    win.undo_stack.setClean()  # no prompt at teardown
    win.close()
