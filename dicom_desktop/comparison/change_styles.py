"""One colour and one short badge per kind of change, shared by every view of a comparison.

The editor's comparison view and the PDF dossier mark changed boxes the same way, so a printed
dossier reads like the screen. Qt-free (plain « #rrggbb » strings): the core, the PDF and the UI
all import it from here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the editor imports the selection colour at start-up, not the diff engine
    from dicom_desktop.comparison.diff import Change, OrgDiff


@dataclass(frozen=True)
class ChangeStyle:
    badge: str
    color: str
    legend: str


# Order = priority when a box has several changes (its main badge and colour).
CHANGE_STYLES: dict[str, ChangeStyle] = {
    "added": ChangeStyle("Créé", "#1e8449", "entité créée"),
    "split": ChangeStyle("Scindé", "#0b7575", "entité issue d’une scission (et son origine)"),
    "merged": ChangeStyle("Fusionné", "#8e44ad", "fusion (entité absorbée, fantôme, et entité fusionnée)"),
    "removed": ChangeStyle("Supprimé", "#666969", "entité supprimée (fantôme à son ancienne place)"),
    "moved": ChangeStyle("Déplacé", "#b04600", "rattachement changé"),
    "renamed": ChangeStyle("Renommé", "#1f6fd1", "nom changé"),
    "kind": ChangeStyle("Type", "#7d6608", "type changé"),
    "vacancy": ChangeStyle("Vacant", "#c0392b", "poste déclaré vacant (ou pourvu)"),
    "attributions": ChangeStyle("Attributions", "#117a65", "attributions modifiées"),
    "field": ChangeStyle("Modifié", "#5d6d7e", "autre champ modifié (responsable, effectif…)"),
    "reordered": ChangeStyle("Ordre", "#a04000", "place changée parmi les entités de même niveau"),
    "link-added": ChangeStyle("Liens", "#7a4d9c", "lien fonctionnel ajouté, supprimé ou modifié"),
    "link-removed": ChangeStyle("Liens", "#7a4d9c", ""),
    "link-changed": ChangeStyle("Liens", "#7a4d9c", ""),
}
OTHER_STYLE = ChangeStyle("", "#5d6d7e", "")
# The editor's selection halo: magenta, far from every change colour above (orange was « Déplacé »).
SELECTION_HEX = "#e6007e"
CHANGE_PRIORITY: dict[str, int] = {kind: n for n, kind in enumerate(CHANGE_STYLES)}


def style_of(change: Change) -> ChangeStyle:
    """The style of one change (« Pourvu » instead of « Vacant » when a post is filled again)."""
    style = CHANGE_STYLES.get(change.kind, OTHER_STYLE)
    if change.kind == "vacancy" and not change.vacant:  # type: ignore[attr-defined]  # a VacancyChanged
        return ChangeStyle("Pourvu", style.color, style.legend)
    return style


def box_marks(diff: OrgDiff, present: Callable[[str], bool]) -> dict[str, tuple[str, str]]:
    """Entity id → (badge text, colour) for the boxes ``present(id)`` of the shown chart.

    The badge is the main change's (by priority), followed by « +N » when the box has N other
    kinds of change.
    """
    marks = {}
    for entity_id, changes in diff.by_entity().items():
        if not present(entity_id):
            continue
        changes = sorted(changes, key=lambda c: CHANGE_PRIORITY.get(c.kind, 99))
        main = style_of(changes[0])
        if not main.badge:
            continue
        labels = list(dict.fromkeys(style_of(c).badge for c in changes if style_of(c).badge))
        text = main.badge + (f" +{len(labels) - 1}" if len(labels) > 1 else "")
        marks[entity_id] = (text, main.color)
    return marks


def legend_items() -> list[ChangeStyle]:
    """The styles to explain in a legend: one per badge, in priority order."""
    items, seen = [], set()
    for style in CHANGE_STYLES.values():
        if style.legend and style.badge not in seen:
            seen.add(style.badge)
            items.append(style)
    return items
