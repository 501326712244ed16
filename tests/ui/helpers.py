"""Gestures on the real widgets: click a box, press keys on the focused window."""

from __future__ import annotations

from PySide6.QtCore import Qt


def box_point(window, entity_id):
    item = window.scene.item_for(entity_id)
    assert item is not None, f"no box for {entity_id}"
    window.view.ensure_entity_visible(entity_id)
    return window.view.mapFromScene(item.mapToScene(item.box_rect().center()))


def click_box(qtbot, window, entity_id, modifier=Qt.KeyboardModifier.NoModifier):
    qtbot.mouseClick(window.view.viewport(), Qt.MouseButton.LeftButton, modifier, box_point(window, entity_id))


def shortcut(qtbot, window, key, modifier=Qt.KeyboardModifier.NoModifier, widget=None):
    """Send a key to the chart view (shortcuts resolve through the active window)."""
    target = widget or window.view
    target.setFocus()
    qtbot.keyClick(target, key, modifier)
