"""The « Scénarios » dock: switch the chart between the current organisation and its scenarios.

Every button is an operation of :mod:`dicom_desktop.scenarios` pushed through
``EditorController.execute`` (undoable, saved with the file). A banner over the chart says which
variant is on screen. The panel follows the editor's ``documentReplaced`` and ``documentChanged``
(a switch, an undo of a scenario operation…).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox, QGraphicsView, QGridLayout, QLabel, QMenu, QPushButton, QScrollArea, QToolButton, QVBoxLayout,
    QWidget,
)

from dicom_desktop.document import Document
from dicom_desktop.errors import EditRefused
from dicom_desktop.model import Scenario
from dicom_desktop.operations import Operation
from dicom_desktop.scenarios import (
    ActivateScenario, AdoptScenario, DeleteScenario, DuplicateScenario, NewScenario, RenameScenario,
)
from dicom_desktop.ui.editor import EditorController, make_dock
from dicom_desktop.ui.reorganisation.reorg_dialogs import ReorgDialogs
from dicom_desktop.wording import plural, short_date

CURRENT_LABEL = "Organisation actuelle"


class VariantBanner(QLabel):
    """A label laid over the chart's top-left corner: which variant the chart shows."""

    def __init__(self, view: QGraphicsView) -> None:
        super().__init__(view)
        self.setObjectName("variantBanner")
        self._view = view
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        view.installEventFilter(self)
        self.set_variant(None)

    def set_variant(self, name: str | None, extra: str = "") -> None:
        if name is None:
            text, colours = f"Affiché : {CURRENT_LABEL.lower()}", ("#eef1f5", "#34495e", "#b8c2cc")
        else:
            text, colours = f"Scénario : « {name} »", ("#fff1dc", "#7a3e00", "#e07b00")
        if extra:
            text += f" · {extra}"
        if getattr(self, "_full_text", None) == text:  # after each edit: no restyle, no repaint of the chart below
            return
        self._full_text = text
        self.setToolTip(text)
        self.setText(text)
        self.setStyleSheet(
            f"QLabel#variantBanner {{ background: {colours[0]}; color: {colours[1]}; border: 1px solid {colours[2]};"
            " border-radius: 4px; padding: 4px 10px; font-weight: bold; }")
        self.adjustSize()
        self._place()

    def _place(self) -> None:
        """Top-left of the chart, elided to the view's width (the full text is the tooltip)."""
        self.ensurePolished()
        room = max(self._view.width() - 40, 120)
        text = getattr(self, "_full_text", self.text())
        self.setText(self.fontMetrics().elidedText(text, Qt.TextElideMode.ElideMiddle, room - 24))
        self.adjustSize()
        self.move(10, 8)
        self.raise_()

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt API
        if obj is self._view and event.type() == QEvent.Type.Resize:
            self._place()
        return False


class ScenariosPanel(QWidget):
    """Selector (« Organisation actuelle » + scenarios), details and the scenario actions."""

    def __init__(self, editor: EditorController, dialogs: ReorgDialogs, banner: VariantBanner,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("scenariosPanel")
        self.editor = editor
        self.dialogs = dialogs  # ask_scenario (tests replace it)
        self.banner = banner
        self.banner_extra: Callable[[], str] = str  # more words for the banner (the comparison's count)
        self.selector = QComboBox()
        self.selector.setObjectName("scenarioSelector")
        self.selector.setToolTip("Variante affichée et modifiée sur l’organigramme")
        self.details = QLabel()
        self.details.setObjectName("scenarioDetails")
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.PlainText)
        # A push button draws its menu arrow beside the label (a tool button's overlaps it).
        self.new_button = QPushButton("Nouveau scénario")
        self.new_menu = QMenu(self.new_button)
        self.act_new_from_current = self.new_menu.addAction("À partir de l’organisation actuelle…",
                                                            lambda: self.new_scenario(from_shown=False))
        self.act_new_from_shown = self.new_menu.addAction("À partir du scénario affiché…",
                                                          lambda: self.new_scenario(from_shown=True))
        self.new_button.setMenu(self.new_menu)
        self.rename_button = QPushButton("Renommer…")
        self.duplicate_button = QPushButton("Dupliquer")
        self.delete_button = QPushButton("Supprimer…")
        self.adopt_button = QPushButton("Adopter…")
        self.adopt_button.setToolTip("Le scénario devient l’organisation actuelle (l’ancienne est gardée comme scénario)")
        self.compare_button = QToolButton()
        self.compare_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        grid = QGridLayout()
        grid.addWidget(self.new_button, 0, 0)
        grid.addWidget(self.rename_button, 0, 1)
        grid.addWidget(self.duplicate_button, 1, 0)
        grid.addWidget(self.delete_button, 1, 1)
        grid.addWidget(self.adopt_button, 2, 0)
        grid.addWidget(self.compare_button, 2, 1)
        for column in (0, 1):
            grid.setColumnStretch(column, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Variante affichée :"))
        layout.addWidget(self.selector)
        # Buttons above the description: a long description must never move them under the
        # pointer (« Supprimer… » landing where « Comparer… » was).
        layout.addLayout(grid)
        self.details.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        details_area = QScrollArea()  # a long description scrolls; it never squeezes the buttons
        details_area.setObjectName("scenarioDetailsArea")
        details_area.setWidget(self.details)
        details_area.setWidgetResizable(True)
        details_area.setFrameShape(QScrollArea.Shape.NoFrame)
        details_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        details_area.setMinimumHeight(self.details.fontMetrics().lineSpacing() + 4)  # scrolls when short of room
        layout.addWidget(details_area, 1)
        self.selector.activated.connect(self._chosen)
        self.rename_button.clicked.connect(self.rename_scenario)
        self.duplicate_button.clicked.connect(self.duplicate_scenario)
        self.delete_button.clicked.connect(self.delete_scenario)
        self.adopt_button.clicked.connect(self.adopt_scenario)
        self._refreshing = False
        self.dock = make_dock("Scénarios", "scenariosDock", self, parent)
        editor.documentReplaced.connect(lambda _doc: self.refresh())
        editor.documentChanged.connect(lambda _op: self.follow_history())

    def set_compare(self, action: QAction, banner_extra: Callable[[], str]) -> None:
        """The comparison's on/off action gets a button here; its summary goes into the banner."""
        action.setIconText("Comparer")  # the button's text; menus keep the full « Comparer avec … »
        self.compare_button.setDefaultAction(action)
        self.compare_button.setToolTip(action.text().replace("&", ""))
        self.compare_button.setSizePolicy(self.adopt_button.sizePolicy())
        self.banner_extra = banner_extra

    # ------------------------------------------------------------------ state
    @property
    def doc(self) -> Document:
        return self.editor.doc

    def shown(self) -> "Scenario | None":
        active = self.doc.active_scenario
        return next((s for s in self.doc.scenarios if s.id == active), None)

    def refresh(self) -> None:
        """Follow the document: list, current entry, details, enabled buttons, banner."""
        doc = self.doc
        self._refreshing = True
        try:
            self.selector.clear()
            self.selector.addItem(CURRENT_LABEL, None)
            for scenario in doc.scenarios:
                self.selector.addItem(scenario.name, scenario.id)
            row = self.selector.findData(doc.active_scenario) if doc.active_scenario else 0
            self.selector.setCurrentIndex(max(row, 0))
        finally:
            self._refreshing = False
        shown = self.shown()
        if shown is None:
            count = len(doc.scenarios)
            self.details.setText(f"L’organisation en vigueur. {plural(count, 'scénario')} "
                                 "dans ce fichier." if count else "L’organisation en vigueur. Aucun scénario : "
                                 "« Nouveau scénario » en crée un à partir d’elle.")
        else:
            created = f"Créé le {short_date(shown.created)}. " if shown.created else ""
            self.details.setText(created + (shown.description or "Aucune description."))
        for button in (self.rename_button, self.duplicate_button, self.delete_button, self.adopt_button):
            button.setEnabled(shown is not None)
        self.act_new_from_shown.setEnabled(shown is not None)
        self.banner.set_variant(shown.name if shown else None, self.banner_extra())

    def follow_history(self) -> None:
        try:
            self.refresh()
        except RuntimeError:  # the window is being destroyed (its undo stack clears last)
            pass

    # ------------------------------------------------------------------ actions
    def _execute(self, operation: Operation) -> bool:
        try:
            return self.editor.execute(operation)
        except EditRefused as exc:  # pragma: no cover - execute already reports refusals
            self.editor.dialogs.error("Scénario", str(exc))
            return False

    def _chosen(self, row: int) -> None:
        if self._refreshing:
            return
        self.show_variant(self.selector.itemData(row))

    def show_variant(self, scenario_id: str | None) -> bool:
        """Show (and edit) ``scenario_id`` on the chart; None: the current organisation."""
        self.editor.commit_pending()
        if scenario_id == self.doc.active_scenario:
            return False
        # Not an undo step: showing a variant changes nothing in the file (each edit's command
        # shows its own variant again when it is undone, ui/commands.py).
        try:
            self.doc.apply(ActivateScenario(scenario_id))
        except (EditRefused, KeyError) as exc:
            self.editor.dialogs.error("Scénario", str(exc))
            self.refresh()
            return False
        self.refresh()
        return True

    def new_scenario(self, from_shown: bool = False) -> str | None:
        """Create a scenario (copy of the current organisation or of the shown scenario) and show it."""
        self.editor.commit_pending()
        source = self.doc.active_scenario if from_shown else None
        origin = f"du scénario « {self.shown().name} »" if source else "de l’organisation actuelle"
        answer = self.dialogs.ask_scenario(f"Nouveau scénario (copie {origin})")
        if answer is None:
            return None
        name, description = answer
        before = {s.id for s in self.doc.scenarios}
        if not self._execute(NewScenario(name, description, source=source)):
            return None
        new_id = next(s.id for s in self.doc.scenarios if s.id not in before)
        self.show_variant(new_id)
        self.editor.show_status(f"Scénario « {name} » créé et affiché : vos modifications "
                                            "ne touchent pas l’organisation actuelle.", 8000)
        return new_id

    def rename_scenario(self) -> bool:
        shown = self.shown()
        if shown is None:
            return False
        answer = self.dialogs.ask_scenario("Renommer le scénario", shown.name, shown.description)
        if answer is None or answer == (shown.name, shown.description):
            return False
        ok = self._execute(RenameScenario(shown.id, answer[0], answer[1]))
        self.refresh()
        return ok

    def duplicate_scenario(self) -> str | None:
        shown = self.shown()
        if shown is None:
            return None
        before = {s.id for s in self.doc.scenarios}
        if not self._execute(DuplicateScenario(shown.id)):
            return None
        new_id = next(s.id for s in self.doc.scenarios if s.id not in before)
        self.refresh()
        return new_id

    def delete_scenario(self) -> bool:
        shown = self.shown()
        if shown is None:
            return False
        if not self.editor.dialogs.ask_yes_no(
                "Supprimer le scénario",
                f"Supprimer le scénario « {shown.name} » ? L’organisation actuelle sera affichée.\n"
                "(Ctrl+Z le rétablit.)", yes="Supprimer", no="Annuler"):
            return False
        ok = self._execute(DeleteScenario(shown.id))
        self.refresh()
        return ok

    def adopt_scenario(self) -> bool:
        shown = self.shown()
        if shown is None:
            return False
        if not self.editor.dialogs.ask_yes_no(
                "Adopter le scénario",
                f"Adopter le scénario « {shown.name} » ? Il deviendra l’organisation actuelle ; "
                "l’organisation actuelle sera conservée comme scénario « … (avant adoption) ».\n"
                "(Ctrl+Z annule l’adoption.)", yes="Adopter", no="Annuler"):
            return False
        ok = self._execute(AdoptScenario(shown.id))
        self.refresh()
        if ok:
            self.editor.show_status(f"Scénario « {shown.name} » adopté : c’est maintenant "
                                                "l’organisation actuelle.", 8000)
        return ok
