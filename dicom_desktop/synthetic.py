"""Synthetic organisations for tests and benchmarks: deterministic, French, realistic in shape.

Each unit has 2–8 children until the requested size is reached (breadth-first, so the tree is
bushy like a ministry rather than a chain), names with accents and typographic apostrophes,
two attribution paragraphs each, a few staff positions and functional links.
"""

from __future__ import annotations

import datetime as _dt
import random
from collections import deque

from .model import SCHEMA_VERSION, Entity, Link, Organisation, OrganisationFile

_LEVEL_KINDS = ["direction", "service", "sous-direction", "bureau", "pôle", "cellule"]
_TITLES = {
    "direction": "Directeur général",
    "service": "Cheffe de service",
    "sous-direction": "Sous-directeur",
    "bureau": "Chef de bureau",
    "pôle": "Responsable de pôle",
    "cellule": "Responsable de cellule",
    "adjoint": "Adjointe",
}
_TOPICS = [
    "l’action sociale", "la sécurité sociale", "la santé publique", "l’emploi", "la formation professionnelle",
    "l’égalité des chances", "la prévention des crises", "l’accès aux soins", "la qualité de vie au travail",
    "la communication numérique", "l’événementiel", "les études d’opinion", "la veille médiatique",
    "les relations presse", "le budget et la dépense", "les ressources humaines", "la commande publique",
    "les systèmes d’information", "l’animation des réseaux", "la solidarité", "l’enfance et la famille",
    "l’autonomie", "le handicap", "la cohésion des territoires", "l’économie sociale et solidaire",
]
_VERBS = ["conçoit", "pilote", "coordonne", "met en œuvre", "évalue", "anime", "prépare", "élabore"]


def _de(topic: str) -> str:
    """French contraction: « de les » → « des », « de le » → « du »."""
    if topic.startswith("les "):
        return "des " + topic[4:]
    if topic.startswith("le "):
        return "du " + topic[3:]
    return "de " + topic


def _a(topic: str) -> str:
    """French contraction: « à les » → « aux », « à le » → « au »."""
    if topic.startswith("les "):
        return "aux " + topic[4:]
    if topic.startswith("le "):
        return "au " + topic[3:]
    return "à " + topic


def _name(kind: str, rng: random.Random, serial: int) -> str:
    topic = rng.choice(_TOPICS)
    label = {"sous-direction": "Sous-direction", "pôle": "Pôle", "cellule": "Cellule"}.get(kind, kind.capitalize())
    return f"{label} {_de(topic)} n° {serial}"


def _paragraphs(rng: random.Random, name: str) -> list[str]:
    a, b = rng.sample(_TOPICS, 2)
    return [
        f"{name} {rng.choice(_VERBS)} les actions relatives {_a(a)}, en lien avec les directions "
        "d’administration centrale et les services déconcentrés.",
        f"Il {rng.choice(_VERBS)} les dispositifs d’information consacrés {_a(b)} ; il rend compte au délégué "
        "de l’état d’avancement des dossiers « prioritaires ».",
    ]


def generate_organisation(size: int, seed: int = 1, *, staff_ratio: float = 0.03, link_ratio: float = 0.02) -> OrganisationFile:
    """A valid organisation of exactly ``size`` entities (size ≥ 1)."""
    if size < 1:
        raise ValueError("size must be at least 1")
    rng = random.Random(seed)
    root = Entity(
        id="e0",
        name="Direction générale de l’organisation synthétique",
        kind="direction",
        head_title=_TITLES["direction"],
        attributions=_paragraphs(rng, "La direction générale"),
    )
    entities = [root]
    depth = {"e0": 0}
    queue = deque(["e0"])
    serial = 1
    while len(entities) < size and queue:
        parent = queue.popleft()
        wanted = rng.randint(2, 8)
        for position in range(wanted):
            if len(entities) >= size:
                break
            level = min(depth[parent] + 1, len(_LEVEL_KINDS) - 1)
            staff = position == 0 and depth[parent] < 2 and rng.random() < staff_ratio * 10
            kind = "adjoint" if staff else _LEVEL_KINDS[level]
            entity_id = f"e{serial}"
            name = _name(kind, rng, serial)
            entities.append(
                Entity(
                    id=entity_id,
                    name=name,
                    kind=kind,
                    parent=parent,
                    order=position,
                    staff=staff,
                    head_title=_TITLES[kind],
                    vacant=rng.random() < 0.03,
                    headcount=rng.randint(2, 40),
                    attributions=_paragraphs(rng, name),
                )
            )
            depth[entity_id] = depth[parent] + 1
            if not staff:
                queue.append(entity_id)
            serial += 1
        if not queue and len(entities) < size:
            queue.append(entities[-1].id)
    links = []
    seen = set()
    for _ in range(int(size * link_ratio)):
        a, b = rng.sample(range(size), 2)
        key = (f"e{a}", f"e{b}")
        if key not in seen:
            seen.add(key)
            links.append(Link(source=key[0], target=key[1], kind="functional"))
    organisation = Organisation(
        name=f"Organisation synthétique de {size} entités",
        acronym="SYNTH",
        missions=["Organisation générée pour les essais et les mesures de performance de dicom-desktop."],
        updated=_dt.date(2026, 1, 15),
        legal_basis="Aucune : données fictives.",
    )
    return OrganisationFile(schema_version=SCHEMA_VERSION, organisation=organisation, entities=entities, links=links)
