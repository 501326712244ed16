"""The vocabulary of entity kinds of French administration, their chart style, and where each is expected.

One table drives the colours of the editor, the PDF and the legend, and the attachment warnings
of reorganisation simulations (« un bureau sous un bureau ? »). A kind outside the vocabulary is
accepted (files written by other tools must open) and drawn in a neutral style.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class KindStyle:
    """Colours of a box, as #rrggbb strings usable by Qt and ReportLab alike."""

    label: str
    fill: str
    border: str
    text: str = "#1a1a1a"
    legend: str = ""


# Order matters: it is the order of the legend.
KIND_STYLES: dict[str, KindStyle] = {
    s.label: s
    for s in (
        KindStyle("direction", "#dbe7f5", "#1f4e8c", legend="Direction"),
        KindStyle("délégation", "#1f4e8c", "#12325c", text="#ffffff", legend="Délégation"),
        KindStyle("cabinet", "#efe3f7", "#6b3a8c", legend="Cabinet"),
        KindStyle("adjoint", "#fde9d2", "#b8640f", legend="Adjoint"),
        KindStyle("secrétariat général", "#fbe0e0", "#a83232", legend="Secrétariat général"),
        KindStyle("service", "#d9eef0", "#1f7580", legend="Service"),
        KindStyle("sous-direction", "#e0eedc", "#3f7a2e", legend="Sous-direction"),
        KindStyle("département", "#e6e9f7", "#3c4a99", legend="Département"),
        KindStyle("mission", "#fff5cc", "#9a7b00", legend="Mission"),
        KindStyle("bureau", "#eef3fa", "#4a6f9f", legend="Bureau"),
        KindStyle("pôle", "#e9f5ee", "#2e7d53", legend="Pôle"),
        KindStyle("cellule", "#f4f4f4", "#6d6d6d", legend="Cellule"),
    )
}

NEUTRAL_STYLE = KindStyle("autre", "#ffffff", "#808080", legend="Autre")

KNOWN_KINDS: tuple[str, ...] = tuple(KIND_STYLES)


def style_for(kind: str) -> KindStyle:
    """The style of ``kind``, or the neutral style for a kind outside the vocabulary."""
    return KIND_STYLES.get(kind, NEUTRAL_STYLE)


def is_known_kind(kind: str) -> bool:
    return kind in KIND_STYLES


# Rank of each kind in the usual French hierarchy (smaller = higher). Attaching an entity under
# a parent whose rank is not strictly smaller is unusual (a bureau under a bureau, a délégation
# under a pôle): the editor warns but does not refuse. Staff kinds (adjoint, secrétariat général,
# cabinet, mission) may sit beside any head, so they are not ranked against their parent.
KIND_RANK: dict[str, int] = {
    "direction": 0,
    "délégation": 0,
    "service": 1,
    "sous-direction": 2,
    "département": 2,
    "mission": 3,
    "bureau": 4,
    "pôle": 5,
    "cellule": 6,
}
STAFF_KINDS = frozenset({"adjoint", "secrétariat général", "cabinet"})

# The indefinite article of each kind (grammatical gender), so warnings read « une délégation ».
FEMININE_KINDS = frozenset({"direction", "délégation", "sous-direction", "mission", "cellule"})


def with_article(kind: str) -> str:
    """« un bureau », « une délégation »; « un(e) » only for a kind outside the vocabulary."""
    if kind in FEMININE_KINDS:
        return f"une {kind}"
    return f"un {kind}" if kind in KIND_STYLES else f"un(e) {kind}"


def attachment_warning(child_kind: str, parent_kind: str) -> str | None:
    """A French warning when ``child_kind`` is not expected under ``parent_kind``, else None."""
    if child_kind in STAFF_KINDS:
        return None
    if parent_kind in STAFF_KINDS:
        # A staff position may have subordinates, but not a whole direction.
        if KIND_RANK.get(child_kind, 99) <= 1:
            return f"Rattacher {with_article(child_kind)} à {with_article(parent_kind)} est inhabituel."
        return None
    child_rank = KIND_RANK.get(child_kind)
    parent_rank = KIND_RANK.get(parent_kind)
    if child_rank is None or parent_rank is None:
        return None
    if child_rank <= parent_rank:
        return (
            f"Rattacher {with_article(child_kind)} à {with_article(parent_kind)} est inhabituel "
            "dans l’administration française."
        )
    return None


# What a new subdivision usually is, below each kind, and the title of its head.
CHILD_KIND = {
    "direction": "service", "délégation": "bureau", "cabinet": "pôle", "adjoint": "bureau",
    "secrétariat général": "bureau", "service": "sous-direction", "sous-direction": "bureau",
    "département": "bureau", "mission": "pôle", "bureau": "pôle", "pôle": "cellule", "cellule": "cellule",
}
HEAD_TITLE = {
    "service": "Chef de service", "sous-direction": "Sous-directeur", "département": "Chef de département",
    "bureau": "Chef de bureau", "pôle": "Responsable de pôle", "cellule": "Responsable de cellule",
    "mission": "Chef de mission",
}
DEFAULT_CHILD_KIND = "bureau"


def child_kind(parent_kind: str) -> str:
    """The kind a new subdivision of a ``parent_kind`` gets (« bureau » below an unknown kind)."""
    return CHILD_KIND.get(parent_kind, DEFAULT_CHILD_KIND)


def head_title(kind: str) -> str:
    """The usual title of the head of a ``kind`` (empty when there is no usual one)."""
    return HEAD_TITLE.get(kind, "")
