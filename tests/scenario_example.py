"""Builds dicom_desktop/resources/examples/dicom-scenarios.json: the DICOM chart with two
reorganisation scenarios,
made only through the editor's operations (so the example is what a secretary would get).

Regenerate with ``python -m tests.scenario_example``; tests/test_scenarios.py checks that the
committed file is exactly what this code produces.
"""

from __future__ import annotations

import datetime as _dt

from dicom_desktop.document import Document
from dicom_desktop.operations import MoveEntity, UpdateEntity
from dicom_desktop.files.paths import DEFAULT_ORGANISATION, EXAMPLES_DIR
from dicom_desktop.reorg import declare_vacant, merge_entities, split_entity
from dicom_desktop.scenarios import ActivateScenario, NewScenario

SOURCE = DEFAULT_ORGANISATION
EXAMPLE = EXAMPLES_DIR / "dicom-scenarios.json"
CREATED = _dt.date(2025, 1, 15)

FUSION_ID = "campagnes-adjoints-fusion-veille-influence"
EVENEMENTIEL_ID = "bureau-evenementiel"


def build_example() -> Document:
    doc = Document.open(SOURCE)

    # Scenario 1 — the example.
    doc.apply(NewScenario(
        "Campagnes auprès des adjoints, veille et influence fusionnées",
        "Le bureau des campagnes est rattaché aux délégués adjoints ; le bureau de la veille et de "
        "l’opinion fusionne avec le bureau de l’influence et du digital.",
        scenario_id=FUSION_ID,
        created=CREATED,
    ))
    doc.apply(ActivateScenario(FUSION_ID))
    doc.apply(MoveEntity("bureau-campagnes", "delegues-adjoints"))
    doc.apply(merge_entities(doc, "bureau-influence-digital", "bureau-veille-opinion"))

    # Scenario 2 — the events activity becomes a bureau of its own, post to be filled.
    doc.apply(ActivateScenario(None))
    doc.apply(NewScenario(
        "Bureau de l’événementiel distinct",
        "L’organisation d’évènements quitte le bureau de la production multimédia et événementielle "
        "pour un nouveau bureau, dont le poste de chef est à pourvoir.",
        scenario_id=EVENEMENTIEL_ID,
        created=CREATED,
    ))
    doc.apply(ActivateScenario(EVENEMENTIEL_ID))
    (text,) = doc.graph.entity("bureau-production").attributions
    kept, _, events = text.rpartition(". Il définit")
    doc.apply(UpdateEntity("bureau-production", {"attributions": [kept + ".", "Il définit" + events]}))
    split = split_entity(doc, "bureau-production", name="Bureau de l’événementiel", paragraphs_to_move=[1])
    doc.apply(split)
    doc.apply(UpdateEntity("bureau-production", {"name": "Bureau de la production multimédia"}))
    doc.apply(declare_vacant(doc, split.entity_id))
    doc.apply(ActivateScenario(None))
    return doc


def main() -> None:
    EXAMPLE.parent.mkdir(parents=True, exist_ok=True)
    build_example().save(EXAMPLE)
    print(f"Exemple écrit : {EXAMPLE}")


if __name__ == "__main__":
    main()
