"""An open organisation: file metadata + graph + path + modified flag + observers.

Observers are plain callables ``listener(operation)`` called after every applied change: the Qt
layer redraws from there, never the other way round. The core stays Qt-free.
"""

from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Callable
from pathlib import Path

from .graph import OrgGraph
from .model import SCHEMA_VERSION, Entity, Organisation, OrganisationFile, Scenario
from .operations import Operation
from dicom_desktop.files.storage import LoadedFile, dump_records, load_organisation, save_organisation

Listener = Callable[[object], None]
OPEN_READING = "reading"  # Document.open's phases, told to its progress callback
OPEN_CHECKING = "checking"


class Document:
    """The organisation being edited; change it only through :meth:`apply`."""

    def __init__(
        self,
        organisation: Organisation,
        graph: OrgGraph,
        *,
        scenarios: list[Scenario] | None = None,
        path: Path | None = None,
        warnings: list[str] | None = None,
    ) -> None:
        self.organisation = organisation
        self.graph = graph
        self.scenarios: list[Scenario] = list(scenarios or [])
        self.path = path
        self.warnings = list(warnings or [])
        self.modified = False
        self._listeners: list[Listener] = []
        # Scenario on screen (None: the current organisation). While a scenario is shown,
        # ``graph`` is its graph (every operation edits it) and the current organisation's
        # graph waits in ``_parked_graph``; see dicom_desktop.scenarios.ActivateScenario.
        self.active_scenario: str | None = None
        self._parked_graph: OrgGraph | None = None

    # ------------------------------------------------------------------ construction
    @classmethod
    def from_file_model(cls, data: OrganisationFile, path: Path | None = None, warnings=None) -> "Document":
        return cls(
            data.organisation,
            OrgGraph.from_entities(data.entities, data.links),
            scenarios=data.scenarios,
            path=path,
            warnings=warnings,
        )

    @classmethod
    def open(cls, path: str | os.PathLike, progress: Callable[[str], None] | None = None) -> "Document":
        """Load and check a file (raises OrganisationFileError in French).

        ``progress(phase)`` is told :data:`OPEN_READING` (reading and validating the JSON), then
        :data:`OPEN_CHECKING` (building and checking the graph): the editor shows them for large files."""
        step = progress if progress is not None else (lambda _phase: None)
        step(OPEN_READING)
        loaded: LoadedFile = load_organisation(path)
        step(OPEN_CHECKING)
        return cls.from_file_model(loaded.data, Path(path), loaded.warnings)

    @classmethod
    def new(cls, name: str = "Nouvelle organisation") -> "Document":
        """A fresh organisation with one root entity, ready to be filled in."""
        organisation = Organisation(name=name, updated=_dt.date.today())
        root = Entity(id="direction", name=name, kind="direction", head_title="Directeur ou directrice")
        return cls(organisation, OrgGraph.from_entities([root]))

    # ------------------------------------------------------------------ model ↔ file
    def to_file_model(self) -> OrganisationFile:
        """The file as saved: the same bytes whichever variant is on screen (a shown scenario's
        edits are written into that scenario, the current organisation stays the current one)."""
        graph = self.organisation_graph
        return OrganisationFile.model_construct(
            schema_version=SCHEMA_VERSION,
            organisation=self.organisation,
            entities=graph.to_entities(),
            links=list(graph.links),
            scenarios=self._scenarios_with_live_edits(),
        )

    def file_bytes(self) -> bytes:
        """The canonical bytes of :meth:`to_file_model`, written straight from the graph's records
        (what « Enregistrer » and the autosave write; see storage.dump_records)."""
        graph = self.organisation_graph
        records = graph.entities_map()
        return dump_records(self.organisation, [records[node] for node in graph.preorder()], graph.links,
                            self._scenarios_with_live_edits())

    # ------------------------------------------------------------------ scenario on screen
    @property
    def organisation_graph(self) -> OrgGraph:
        """The current organisation's graph, even while a scenario is shown."""
        if self.active_scenario is None or self._parked_graph is None:
            return self.graph
        return self._parked_graph

    def _scenarios_with_live_edits(self) -> list[Scenario]:
        scenarios = list(self.scenarios)
        if self.active_scenario is not None:
            for index, scenario in enumerate(scenarios):
                if scenario.id == self.active_scenario:
                    scenarios[index] = scenario.model_copy(
                        update={"entities": self.graph.to_entities(), "links": list(self.graph.links)}
                    )
        return scenarios

    def activate_scenario(self, scenario_id: str) -> None:
        """Low level (use scenarios.ActivateScenario, an undoable operation): show a scenario."""
        if self.active_scenario is not None:
            self.deactivate_scenario()
        scenario = next((s for s in self.scenarios if s.id == scenario_id), None)
        if scenario is None:
            raise KeyError(scenario_id)
        self._parked_graph = self.graph
        self.graph = OrgGraph.from_entities(scenario.entities, scenario.links)
        self.active_scenario = scenario_id

    def deactivate_scenario(self) -> None:
        """Low level: write the shown scenario's edits back into it and show the current organisation."""
        if self.active_scenario is None:
            return
        self.scenarios = self._scenarios_with_live_edits()
        self.graph = self._parked_graph if self._parked_graph is not None else self.graph
        self._parked_graph = None
        self.active_scenario = None

    def save(self, path: str | os.PathLike | None = None) -> Path:
        """Atomic save to ``path`` (or the current path); raises SaveError, keeping the old file."""
        target = Path(path) if path is not None else self.path
        if target is None:
            raise ValueError("no path to save to")
        save_organisation(self.file_bytes(), target)
        self.path = target
        self.modified = False
        return target

    # ------------------------------------------------------------------ changes
    def apply(self, operation: Operation) -> Operation:
        """Apply an operation, mark the document modified, notify observers; return the inverse."""
        inverse = operation.apply(self)
        if getattr(operation, "changes_content", True):  # showing a scenario changes nothing saved
            self.modified = True
        for listener in list(self._listeners):
            listener(operation)
        return inverse

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener(operation)`` after each change; returns a function that unsubscribes."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def notify(self, what: object = None) -> None:
        """Tell observers that something changed outside apply() (a scenario switch, say)."""
        for listener in list(self._listeners):
            listener(what)
