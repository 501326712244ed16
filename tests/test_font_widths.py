"""The shipped font width table is exactly what the TTFs say (regenerate it with tools/make_font_widths.py)."""

from __future__ import annotations

import json

import pytest

from dicom_desktop.chart import fontwidths
from dicom_desktop.files.paths import FONT_FILES


@pytest.mark.parametrize("font", sorted(FONT_FILES))
def test_shipped_table_equals_the_ttf(font):
    table, default = fontwidths.load_widths(font)
    ttf_table, ttf_default = fontwidths.read_ttf_widths(FONT_FILES[font])
    assert table == ttf_table, "resources/fonts/font-widths.json is stale: run tools/make_font_widths.py"
    assert default == ttf_default


def test_table_is_read_without_parsing_a_ttf(monkeypatch):
    def refuse(path):
        raise AssertionError("the TTF was parsed although the table is there")

    monkeypatch.setattr(fontwidths, "read_ttf_widths", refuse)
    widths, _ = fontwidths.load_widths("regular")
    assert widths["’"] > 0 and widths["œ"] > widths["o"]


def test_a_stale_or_missing_table_falls_back_to_the_ttf(tmp_path, monkeypatch):
    stale = json.loads(fontwidths.WIDTH_TABLE.read_bytes())
    stale["regular"]["file_bytes"] += 1  # made from another version of the font
    stale["regular"]["runs"] = [[32, [1]]]
    path = tmp_path / "font-widths.json"
    path.write_text(json.dumps(stale), encoding="utf-8")
    monkeypatch.setattr(fontwidths, "WIDTH_TABLE", path)
    assert fontwidths.load_widths("regular") == fontwidths.read_ttf_widths(FONT_FILES["regular"])
    monkeypatch.setattr(fontwidths, "WIDTH_TABLE", tmp_path / "absent.json")
    assert fontwidths.load_widths("bold") == fontwidths.read_ttf_widths(FONT_FILES["bold"])
