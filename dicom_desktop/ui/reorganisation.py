"""Reorganisation simulations in the editor, installed on a main window in one call.

Chart drag and drop (:mod:`.drag`), outline drag and drop (:mod:`.outline_drag`), the context
menu gestures (:mod:`.reorg_actions`), the « Scénarios » dock (:mod:`.scenarios_panel`) and the
comparison view (:mod:`.compare_view`). Attributes added to the window: ``drag``, ``reorg``,
``reorg_dialogs``, ``scenarios_panel``, ``scenarios_dock``, ``variant_banner``, ``variants``,
``compare``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .main_window import MainWindow


def install_reorganisation(window: "MainWindow") -> None:
    """Call once from ``MainWindow.__init__``, after the menus and before the first document."""
    from . import compare_view, drag, outline_drag, reorg_actions, scenarios_panel

    drag.install(window)
    outline_drag.install(window)
    reorg_actions.install(window)
    scenarios_panel.install(window)
    compare_view.install(window)
