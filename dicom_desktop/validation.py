"""Rules that need the whole organisation: unique ids, known parents, one root, no cycle, known links.

All problems are collected at once (a secretary fixes a file in one go, not one error per run).
Every walk is iterative, so a chain 100,000 deep is checked like any other tree.
"""

from __future__ import annotations

from collections.abc import Sequence

from .errors import Problem
from .kinds import is_known_kind
from .model import Entity, Link
from dicom_desktop.wording import plural, plural_word


def check_structure(entities: Sequence[Entity], links: Sequence[Link], *, where: str = "") -> list[Problem]:
    """Return every structural problem of an organisation (empty list when it is sound)."""
    prefix = f"{where} : " if where else ""
    problems: list[Problem] = []
    parent_of: dict[str, str | None] = {}
    for entity in entities:
        if entity.id in parent_of:
            problems.append(Problem(f"{prefix}identifiant en double (déjà utilisé par une autre entité)", entity.id, "id"))
            continue
        parent_of[entity.id] = entity.parent

    roots = []
    for entity_id, parent in parent_of.items():
        if parent is None:
            roots.append(entity_id)
        elif parent == entity_id:
            problems.append(Problem(f"{prefix}l’entité est rattachée à elle-même", entity_id, "parent"))
        elif parent not in parent_of:
            problems.append(Problem(f"{prefix}le rattachement « {parent} » ne correspond à aucune entité", entity_id, "parent"))

    if not parent_of:
        problems.append(Problem(f"{prefix}l’organisation ne contient aucune entité", None, "entities"))
    elif not roots:
        problems.append(
            Problem(f"{prefix}aucune entité de tête (toutes ont un rattachement « parent » ; "
                    "il en faut exactement une sans rattachement)", None, "parent")
        )
    elif len(roots) > 1:
        shown = ", ".join(f"« {r} »" for r in roots[:10]) + (" …" if len(roots) > 10 else "")
        problems.append(
            Problem(f"{prefix}plusieurs entités de tête sans rattachement ({len(roots)} : {shown}) ; il en faut exactement une", None, "parent")
        )

    problems.extend(_cycles(parent_of, prefix))

    for entity in entities:
        if entity.staff and entity.parent is None:
            problems.append(Problem(f"{prefix}l’entité de tête ne peut pas être une position d’état-major (« staff »)", entity.id, "staff"))

    seen_links: set[tuple[str, str, str]] = set()
    for index, link in enumerate(links):
        place = f"{prefix}lien n° {index + 1} ({link.source} → {link.target})"
        for end, field in ((link.source, "source"), (link.target, "target")):
            if end not in parent_of:
                problems.append(Problem(f"{place} : l’entité « {end} » n’existe pas", None, f"links[{index}].{field}"))
        if link.source == link.target:
            problems.append(Problem(f"{place} : un lien ne peut pas relier une entité à elle-même", None, f"links[{index}]"))
        key = (link.source, link.target, link.kind)
        if key in seen_links:
            problems.append(Problem(f"{place} : lien en double", None, f"links[{index}]"))
        seen_links.add(key)
    return problems


def _cycles(parent_of: dict[str, str | None], prefix: str) -> list[Problem]:
    """Find rattachement cycles by walking up from each entity, colouring as we go (linear time)."""
    if _all_reach_a_root(parent_of):  # a sound file: nothing to find, found at half the cost
        return []
    return _cycle_walk(parent_of, prefix)


def _cycle_walk(parent_of: dict[str, str | None], prefix: str) -> list[Problem]:
    state: dict[str, int] = {}  # 1 = on the current walk, 2 = known to reach a root or a dead end
    problems = []
    for start in parent_of:
        if state.get(start):
            continue
        walk = []
        node: str | None = start
        while node is not None and node in parent_of and not state.get(node):
            state[node] = 1
            walk.append(node)
            node = parent_of[node]
            if node is not None and node == walk[-1]:
                break  # self-parent, reported already
        if node is not None and state.get(node) == 1 and node != walk[-1]:
            cycle = walk[walk.index(node):]
            shown = " → ".join(cycle[:8]) + (" → …" if len(cycle) > 8 else "") + f" → {node}"
            problems.append(Problem(f"{prefix}les rattachements forment une boucle : {shown}", node, "parent"))
        for visited in walk:
            state[visited] = 2
    return problems


def kind_warnings(entities: Sequence[Entity]) -> list[str]:
    """Warnings (not errors) for kinds outside the vocabulary: such files still open."""
    unknown: dict[str, list[str]] = {}
    for entity in entities:
        if not is_known_kind(entity.kind):
            unknown.setdefault(entity.kind, []).append(entity.id)
    return [
        f"Type « {kind} » inconnu (entités : {', '.join(ids[:5])}{' …' if len(ids) > 5 else ''}) : affiché avec un style neutre."
        for kind, ids in unknown.items()
    ]


def vacancy_warnings(entities: Sequence[Entity], *, where: str = "") -> list[str]:
    """Warnings for vacant posts that still name a holder: shown and exported as vacant, name left out."""
    named = [e.id for e in entities if e.vacant and e.head_name.strip()]
    if not named:
        return []
    prefix = f"{where} : " if where else ""
    shown = ", ".join(named[:5]) + (" …" if len(named) > 5 else "")
    return [
        f"{prefix}{plural(len(named), 'poste vacant', 'postes vacants')} "
        f"portant encore le nom d’un responsable ({plural_word(len(named), 'entité')} : {shown}) : "
        "le nom n’est ni affiché ni exporté ; videz le champ « Responsable » ou décochez « Poste vacant »."
    ]


def _all_reach_a_root(parent_of: dict[str, str | None]) -> bool:
    """True when walking down from the entities without a parent reaches every entity: then no
    rattachement forms a loop (an entity in a loop, or below one, is never reached)."""
    children: dict[str, list[str]] = {}
    stack = []
    for node, parent in parent_of.items():
        if parent is None:
            stack.append(node)
        else:
            children.setdefault(parent, []).append(node)
    reached = 0
    while stack:
        node = stack.pop()
        reached += 1
        below = children.get(node)
        if below:
            stack.extend(below)
    return reached == len(parent_of)
