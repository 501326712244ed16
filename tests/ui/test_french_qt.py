"""Qt's own texts are French (issue 12 §9): standard buttons, print dialog, key names in menus."""

from __future__ import annotations

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialogButtonBox

NATIVE = QKeySequence.SequenceFormat.NativeText


def test_standard_buttons_are_french(window):
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
                           | QDialogButtonBox.StandardButton.Close)
    assert sorted(b.text().replace("&", "") for b in box.buttons()) == ["Annuler", "Enregistrer", "Fermer"]


def test_menu_shortcuts_show_french_key_names(window):
    assert window.act_add_child.shortcut().toString(NATIVE) == "Inser"
    assert window.act_add_sibling.shortcut().toString(NATIVE) == "Ctrl+Maj+Inser"
    assert window.act_delete.shortcut().toString(NATIVE) == "Suppr"


def test_print_dialog_is_french(qtbot, window):
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    printer = QPrinter()
    dialog = QPrintDialog(printer, window)
    qtbot.addWidget(dialog)
    texts = " ".join(b.text().replace("&", "") for b in dialog.findChildren(QDialogButtonBox)[0].buttons())
    assert "Imprimer" in texts and "Annuler" in texts
