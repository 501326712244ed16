"""The text rules of the file model come from the fields' types, not from how they are spelled."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError

import dicom_desktop.model as model

EXPECTED = {
    "Organisation": (["name", "acronym"], ["legal_basis", "source", "notes"], ["missions"]),
    "Entity": (["id", "name", "kind", "parent", "short_name", "head_title", "head_name", "legal_reference"], [],
               ["attributions"]),
    "Link": (["source", "target", "kind", "label"], [], []),
    "Scenario": (["id", "name"], ["description"], []),
}


def _rules(module) -> dict:
    return {name: (r.lines, r.paragraphs, r.paragraph_lists)
            for name in EXPECTED for r in [getattr(module, name)._text_rules]}


def test_every_text_field_has_its_rule():
    assert _rules(model) == EXPECTED


def test_rules_survive_without_postponed_annotations(monkeypatch):
    """model.py without ``from __future__ import annotations``: same rules, same refusals."""
    source = Path(model.__file__).read_text(encoding="utf-8")
    assert "from __future__ import annotations\n" in source
    spec = importlib.util.spec_from_loader("model_without_future", loader=None)
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "model_without_future", module)
    exec(compile(source.replace("from __future__ import annotations\n", ""), model.__file__, "exec"), module.__dict__)
    assert _rules(module) == EXPECTED
    with pytest.raises(ValidationError, match="le nom contient, à la position 7, un caractère de contrôle"):
        module.Entity(id="a", name="Bureau\x07")
    with pytest.raises(ValidationError, match="le paragraphe"):
        module.Entity(id="a", name="Bureau", attributions=["ok", "bip\x07"])


@pytest.mark.parametrize("char", ["\u3164", "\u034f", "\u115f", "\u17b4", "\uffa0"])
def test_printable_invisible_characters_are_refused_in_ids(char):
    """Invisible characters that ``str.isprintable`` lets through (Hangul fillers, combining
    grapheme joiner…) are refused in ids and link ends like the zero-width space, kept in names."""
    message = f"un caractère invisible \\(U\\+{ord(char):04X}\\), interdit dans un identifiant"
    with pytest.raises(ValidationError, match=message):
        model.Entity(id="bureau" + char, name="Bureau")
    with pytest.raises(ValidationError, match=message):
        model.Entity(id="bureau", name="Bureau", parent="direction" + char)
    with pytest.raises(ValidationError, match=message):
        model.Link(source="a" + char, target="b")
    assert model.Entity(id="bureau", name="Bureau" + char).name == "Bureau" + char
