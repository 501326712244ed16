"""Named scenarios of a reorganisation: create, rename, duplicate, delete, adopt, show — all undoable.

The file holds the current organisation and any number of scenarios, each a full variant of the
organisation (entities and links). Each action here is an operation (``apply(doc)`` returns its
inverse), so the editor puts it on the same undo stack as the chart edits.

Editing a scenario: :class:`ActivateScenario` swaps ``doc.graph`` (what the chart shows and every
operation edits) with the scenario's graph; the current organisation waits in the document until
the scenario is left. ``Document.to_file_model()`` writes the graph being edited back into its
scenario, so saving never loses a scenario's edits, and the saved bytes do not depend on which
variant is on screen. Because switching is itself an undo step, undoing past a switch switches
back first, and every inverse applies to the graph it was made on.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pydantic import ValidationError

from .errors import DicomError, EditRefused
from .graph import OrgGraph
from .model import Entity, Link, Scenario
from .wording import id_slug, short_date

if TYPE_CHECKING:
    from .document import Document


class ScenarioNotFound(DicomError):
    """A scenario named on the command line or in a call that the file does not hold."""


# ---------------------------------------------------------------------------- lookup
def find_scenario(scenarios: list[Scenario], key: str, *, where: str = "") -> Scenario:
    """The scenario whose id or name is ``key`` (exact id, exact name, then case-insensitive name)."""
    for scenario in scenarios:
        if scenario.id == key:
            return scenario
    for scenario in scenarios:
        if scenario.name == key:
            return scenario
    folded = key.casefold().strip()
    matches = [s for s in scenarios if s.name.casefold().strip() == folded]
    if len(matches) == 1:
        return matches[0]
    place = f" dans {where}" if where else ""
    if scenarios:
        known = ", ".join(f"« {s.name} » ({s.id})" for s in scenarios[:20])
        raise ScenarioNotFound(f"Scénario « {key} » introuvable{place}. Scénarios disponibles : {known}.")
    raise ScenarioNotFound(f"Scénario « {key} » introuvable{place} : ce fichier ne contient aucun scénario.")


def _index_of(doc: "Document", scenario_id: str) -> int:
    for index, scenario in enumerate(doc.scenarios):
        if scenario.id == scenario_id:
            return index
    raise EditRefused(f"Le scénario « {scenario_id} » n’existe pas.")


def scenario_id_for(doc: "Document", name: str) -> str:
    """A fresh scenario id derived from ``name`` (ASCII slug, unique in the document)."""
    base = id_slug(name, default="scenario")
    taken = {s.id for s in doc.scenarios}
    candidate, n = base, 2
    while candidate in taken:
        candidate = f"{base}-{n}"
        n += 1
    return candidate


# ---------------------------------------------------------------------------- graphs of scenarios
def current_graph(doc: "Document") -> OrgGraph:
    """The current organisation's graph, whichever variant is on screen."""
    return doc.organisation_graph


def scenario_graph(doc: "Document", scenario_id: str) -> OrgGraph:
    """The graph of a scenario with its latest edits (the live graph when it is on screen).

    Do not edit the result directly: edit through operations on an activated scenario.
    """
    if doc.active_scenario == scenario_id:
        return doc.graph
    scenario = doc.scenarios[_index_of(doc, scenario_id)]
    return OrgGraph.from_entities(scenario.entities, scenario.links)


def scenario_document(doc: "Document", scenario_id: str | None) -> "Document":
    """A standalone document holding one variant (None: the current organisation), for export or
    comparison: same organisation record, a copy of the variant's graph, no scenarios, no path."""
    from .document import Document

    graph = current_graph(doc) if scenario_id is None else scenario_graph(doc, scenario_id)
    return Document(doc.organisation, graph.copy())


def compare_with_current(doc: "Document", scenario_id: str | None = None):
    """The diff from the current organisation to a scenario (default: the one on screen)."""
    from dicom_desktop.comparison.diff import diff_organisations

    scenario_id = scenario_id or doc.active_scenario
    if scenario_id is None:
        raise EditRefused("Aucun scénario n’est affiché : choisissez le scénario à comparer.")
    return diff_organisations(current_graph(doc), scenario_graph(doc, scenario_id))


def _snapshot(graph: OrgGraph) -> tuple[list[Entity], list[Link]]:
    return graph.to_entities(), list(graph.links)


def _validated(data: dict) -> Scenario:
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        msg = err.get("ctx", {}).get("error") or err["msg"]
        raise EditRefused(f"Scénario, champ « {'.'.join(map(str, err['loc']))} » : {msg}") from None


# ---------------------------------------------------------------------------- operations
@dataclass
class ActivateScenario:
    """Show and edit a scenario on the chart (``scenario_id=None``: back to the current organisation).

    Switching changes nothing in the file (``changes_content`` is False), but it is an undo step
    so that undo across switches always edits the right variant.
    """

    scenario_id: str | None
    label: str = ""
    changes_content = False

    def apply(self, doc: "Document") -> "ActivateScenario":
        previous = doc.active_scenario
        if self.scenario_id is not None:
            _index_of(doc, self.scenario_id)  # refuse an unknown id before changing anything
        label = self.label or _switch_label(doc, self.scenario_id)
        if previous == self.scenario_id:
            return ActivateScenario(previous, label=label)
        doc.deactivate_scenario()
        if self.scenario_id is not None:
            doc.activate_scenario(self.scenario_id)
        return ActivateScenario(previous, label=label)


def _switch_label(doc: "Document", scenario_id: str | None) -> str:
    if scenario_id is None:
        return "Afficher l’organisation actuelle"
    return f"Afficher le scénario « {doc.scenarios[_index_of(doc, scenario_id)].name} »"


@dataclass
class InsertScenario:
    """Put a whole scenario in the list (at ``index``; the end by default). Inverse of a deletion."""

    scenario: Scenario
    index: int | None = None
    label: str = ""

    def apply(self, doc: "Document") -> "DeleteScenario":
        if any(s.id == self.scenario.id for s in doc.scenarios):
            raise EditRefused(f"L’identifiant de scénario « {self.scenario.id} » est déjà utilisé.")
        index = len(doc.scenarios) if self.index is None else max(0, min(self.index, len(doc.scenarios)))
        doc.scenarios.insert(index, self.scenario)
        return DeleteScenario(self.scenario.id, label=self.label or f"Créer le scénario « {self.scenario.name} »")


@dataclass
class NewScenario:
    """A new scenario, copy of the current organisation (``source=None``) or of another scenario."""

    name: str
    description: str = ""
    source: str | None = None
    scenario_id: str | None = None
    created: _dt.date | None = None
    label: str = ""

    def build(self, doc: "Document") -> Scenario:
        graph = current_graph(doc) if self.source is None else scenario_graph(doc, self.source)
        entities, links = _snapshot(graph)
        return _validated(dict(
            id=self.scenario_id or scenario_id_for(doc, self.name),
            name=self.name,
            description=self.description,
            created=self.created or _dt.date.today(),
            entities=entities,
            links=links,
        ))

    def apply(self, doc: "Document") -> "DeleteScenario":
        scenario = self.build(doc)
        return InsertScenario(scenario, label=self.label or f"Nouveau scénario « {scenario.name} »").apply(doc)


@dataclass
class DuplicateScenario:
    """A copy of a scenario, named « NOM (copie) » unless told otherwise."""

    scenario_id: str
    name: str | None = None
    new_id: str | None = None
    created: _dt.date | None = None
    label: str = ""

    def apply(self, doc: "Document") -> "DeleteScenario":
        original = doc.scenarios[_index_of(doc, self.scenario_id)]
        return NewScenario(
            self.name or f"{original.name} (copie)",
            original.description,
            source=self.scenario_id,
            scenario_id=self.new_id,
            created=self.created,
            label=self.label or f"Dupliquer le scénario « {original.name} »",
        ).apply(doc)


@dataclass
class RenameScenario:
    """Change a scenario's name and/or description (None leaves a field as it is)."""

    scenario_id: str
    name: str | None = None
    description: str | None = None
    label: str = ""

    def apply(self, doc: "Document") -> "RenameScenario":
        index = _index_of(doc, self.scenario_id)
        old = doc.scenarios[index]
        changes = {}
        if self.name is not None:
            changes["name"] = self.name
        if self.description is not None:
            changes["description"] = self.description
        new = _validated({**old.model_dump(), **changes, "entities": old.entities, "links": old.links})
        doc.scenarios[index] = new
        return RenameScenario(
            self.scenario_id,
            old.name if self.name is not None else None,
            old.description if self.description is not None else None,
            label=self.label or f"Renommer le scénario « {old.name} »",
        )


@dataclass
class DeleteScenario:
    """Remove a scenario (leaving it first if it is on screen); undo puts it back, edits included."""

    scenario_id: str
    label: str = ""

    def apply(self, doc: "Document"):
        from .operations import Batch

        index = _index_of(doc, self.scenario_id)
        label = self.label or f"Supprimer le scénario « {doc.scenarios[index].name} »"
        was_active = doc.active_scenario == self.scenario_id
        if was_active:
            ActivateScenario(None).apply(doc)
        scenario = doc.scenarios.pop(index)
        restore = InsertScenario(scenario, index, label=label)
        if was_active:
            return Batch([restore, ActivateScenario(self.scenario_id)], label=label)
        return restore


@dataclass
class _DocumentState:
    """Everything adoption changes: the current graph, the scenarios, the variant on screen."""

    entities: list[Entity]
    links: list[Link]
    scenarios: list[Scenario]
    active: str | None

    @classmethod
    def capture(cls, doc: "Document") -> "_DocumentState":
        model = doc.to_file_model()  # writes the on-screen scenario's edits into its copy
        return cls(list(model.entities), list(model.links), list(model.scenarios), doc.active_scenario)


@dataclass
class _RestoreState:
    state: _DocumentState
    label: str = ""

    def apply(self, doc: "Document") -> "_RestoreState":
        now = _DocumentState.capture(doc)
        doc.deactivate_scenario()
        doc.graph = OrgGraph.from_entities(self.state.entities, self.state.links)
        doc.scenarios = list(self.state.scenarios)
        if self.state.active is not None:
            doc.activate_scenario(self.state.active)
        return _RestoreState(now, label=self.label)


@dataclass
class AdoptScenario:
    """The scenario becomes the current organisation; the former one is kept as a scenario
    named « Organisation au JJ/MM/AAAA (avant adoption) », in the adopted scenario's place."""

    scenario_id: str
    today: _dt.date | None = None
    label: str = ""

    def apply(self, doc: "Document") -> _RestoreState:
        index = _index_of(doc, self.scenario_id)
        before = _DocumentState.capture(doc)
        adopted = before.scenarios[index]
        label = self.label or f"Adopter le scénario « {adopted.name} »"
        today = self.today or _dt.date.today()
        doc.deactivate_scenario()
        former_entities, former_links = _snapshot(doc.graph)
        doc.graph = OrgGraph.from_entities(adopted.entities, adopted.links)
        del doc.scenarios[index]
        former = _validated(dict(
            id=scenario_id_for(doc, f"organisation-avant-adoption-{today.isoformat()}"),
            name=f"Organisation au {short_date(today)} (avant adoption)",
            description=f"Organisation en vigueur avant l’adoption du scénario « {adopted.name} ».",
            created=today,
            entities=former_entities,
            links=former_links,
        ))
        doc.scenarios.insert(index, former)
        return _RestoreState(before, label=label)
