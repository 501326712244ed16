"""Undo steps name their result (issue 12 §10): « Renommer « X » en « Y » », « Effectif de « X » : 12 »."""

from __future__ import annotations

import datetime as dt

from dicom_desktop.operations import UpdateEntity


def label_of(doc, changes):
    return doc.apply(UpdateEntity("bureau-campagnes", changes)).label


def test_rename_names_the_new_name(dicom_doc):
    assert label_of(dicom_doc, {"name": "Bureau des grandes campagnes"}) == (
        "Renommer « Bureau des campagnes » en « Bureau des grandes campagnes »")


def test_single_field_edits_name_the_field_and_its_value(dicom_doc):
    assert label_of(dicom_doc, {"headcount": 12}) == "Effectif de « Bureau des campagnes » : 12"
    assert label_of(dicom_doc, {"kind": "pôle"}) == "Type de « Bureau des campagnes » : « pôle »"
    assert label_of(dicom_doc, {"effective_date": dt.date(2025, 1, 1)}) == (
        "Date d’effet de « Bureau des campagnes » : 01/01/2025")
    assert label_of(dicom_doc, {"staff": True}) == "Position d’état-major de « Bureau des campagnes » : oui"
    assert label_of(dicom_doc, {"head_title": ""}) == "Intitulé du responsable de « Bureau des campagnes » : (vide)"
