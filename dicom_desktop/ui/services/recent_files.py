"""« Fichiers récents »: the last opened or saved files, kept in QSettings, as a menu."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMenu

MAX_RECENT = 8
SETTINGS_KEY = "recentFiles"


class RecentFiles:
    """Fills ``menu`` with the recent files; choosing one calls ``open_path(path)``."""

    def __init__(self, settings: QSettings, menu: QMenu, open_path: Callable[[Path], object]) -> None:
        self.settings = settings
        self.menu = menu
        self.open_path = open_path
        self.refresh()

    def files(self) -> list[str]:
        value = self.settings.value(SETTINGS_KEY, [])
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in (value or [])]

    def add(self, path: Path) -> None:
        path_text = str(Path(path).resolve())
        files = [path_text] + [f for f in self.files() if f != path_text]
        self.settings.setValue(SETTINGS_KEY, files[:MAX_RECENT])
        self.refresh()

    def clear(self) -> None:
        self.settings.setValue(SETTINGS_KEY, [])
        self.refresh()

    def refresh(self) -> None:
        self.menu.clear()
        files = self.files()
        for i, path_text in enumerate(files, 1):
            action = self.menu.addAction(f"&{i} {Path(path_text).name}")
            action.setStatusTip(path_text)
            action.triggered.connect(lambda _c=False, p=path_text: self.open_path(Path(p)))
        if not files:
            self.menu.addAction("(aucun)").setEnabled(False)
        else:
            self.menu.addSeparator()
            self.menu.addAction("Effacer la liste", self.clear)
