"""The dossier's words for each change: table rows, summary labels and word-diff markup.

Plain strings in ReportLab's paragraph mini-markup (no page layout here): what the table of
changes says before → after for each kind of change, how the summary names a count of changes,
and how deleted and inserted words are marked in an attributions text. :mod:`.dossier` lays
them out on pages.
"""

from __future__ import annotations

import datetime as _dt
from xml.sax.saxutils import escape

from dicom_desktop.comparison.diff import (
    ENTITY_FIELD_LABELS,
    AttributionsChanged,
    Change,
    EntityAdded,
    EntityMerged,
    EntityMoved,
    EntityRemoved,
    EntityRenamed,
    EntityReordered,
    EntitySplit,
    FieldChanged,
    KindChanged,
    LinkAdded,
    LinkChanged,
    LinkRemoved,
    LinksReordered,
    VacancyChanged,
)
from dicom_desktop.graph import OrgGraph
from dicom_desktop.wording import NBSP, french_date, ordinal, plural
from dicom_desktop.wording import typographic as french

DELETE_COLOUR = "#b03a2e"
DELETE_BACK = "#fbe5e1"
INSERT_COLOUR = "#1e7a3e"
INSERT_BACK = "#e2f3e6"
DRAFT_COLOUR = "#b03a2e"
# Word diff markers, printed small: they put « retiré » / « ajouté » in the text layer itself.
DELETED_OPEN = f'<font size="6.5">[retiré{NBSP}:</font> '
INSERTED_OPEN = f'<font size="6.5">[ajouté{NBSP}:</font> '
MARK_CLOSE = '<font size="6.5">]</font>'


# Plural-aware labels of the summary, per kind of change.
SUMMARY_LABELS: dict[str, tuple[str, str]] = {
    "added": ("entité créée", "entités créées"),
    "split": ("entité créée par scission", "entités créées par scission"),
    "merged": ("entité absorbée par une fusion", "entités absorbées par une fusion"),
    "removed": ("entité supprimée", "entités supprimées"),
    "moved": ("rattachement modifié", "rattachements modifiés"),
    "renamed": ("entité renommée", "entités renommées"),
    "kind": ("type d’entité modifié", "types d’entité modifiés"),
    "vacancy": ("poste déclaré vacant ou pourvu", "postes déclarés vacants ou pourvus"),
    "attributions": ("texte d’attributions modifié", "textes d’attributions modifiés"),
    "field": ("autre modification (responsable, effectif…)", "autres modifications (responsable, effectif…)"),
    "reordered": ("changement d’ordre entre entités de même niveau", "changements d’ordre entre entités de même niveau"),
    "link-added": ("lien fonctionnel ajouté", "liens fonctionnels ajoutés"),
    "link-removed": ("lien fonctionnel supprimé", "liens fonctionnels supprimés"),
    "link-changed": ("lien fonctionnel modifié", "liens fonctionnels modifiés"),
}


def escaped(text: str) -> str:
    """Plain text (with French typography) made safe for ReportLab's paragraph mini-markup."""
    return escape(french(text))


def _q(text: str) -> str:
    return f"«{NBSP}{escaped(text)}{NBSP}»"


def cap_first(markup: str) -> str:
    """First letter in upper case, the rest untouched (``str.capitalize`` would lower « Délégation »)."""
    return markup[0].upper() + markup[1:] if markup and markup[0].islower() else markup


def _where(name: str) -> str:
    return f"rattachement{NBSP}: {_q(name)}" if name else "—"  # agrees with « le bureau » and « la mission »


def _value(value) -> str:
    if value is None or value == "" or value == [] or value == ():
        return "(vide)"
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, _dt.date):
        return french_date(value)
    if isinstance(value, (list, tuple)):
        value = " / ".join(str(v) for v in value)
    return escaped(str(value))


def change_row(change: Change, base: OrgGraph) -> tuple[str, str, str] | None:
    """(entity, before, after) cells in paragraph markup for one change (None: not listed)."""
    if isinstance(change, LinksReordered):
        return None
    if isinstance(change, EntitySplit):
        kind = escaped(change.entity.kind)
        return (f"<b>{escaped(change.name)}</b> ({kind})", f"partie de {_q(change.source_name)}",
                f"entité créée, {_where(change.parent_name)}" + (", poste de responsable à pourvoir"
                                                                  if change.entity.vacant else ""))
    if isinstance(change, EntityAdded):
        return (f"<b>{escaped(change.name)}</b> ({escaped(change.entity.kind)})", "—",
                f"entité créée, {_where(change.parent_name)}" + (", poste de responsable à pourvoir"
                                                                  if change.entity.vacant else ""))
    if isinstance(change, EntityMerged):
        return (f"<b>{escaped(change.name)}</b> ({escaped(change.entity.kind)})", _where(change.parent_name),
                f"fusion dans {_q(change.survivor_name)}")
    if isinstance(change, EntityRemoved):
        return (f"<b>{escaped(change.name)}</b> ({escaped(change.entity.kind)})", _where(change.parent_name),
                "suppression")
    if isinstance(change, EntityMoved):
        return (f"<b>{escaped(change.name)}</b>", _where(change.old_parent_name), _where(change.new_parent_name))
    if isinstance(change, EntityReordered):
        return (f"<b>{escaped(change.name)}</b>", f"{ordinal(change.old_index)} place sous {_q(change.parent_name)}",
                f"{ordinal(change.new_index)} place")
    if isinstance(change, EntityRenamed):
        return (f"<b>{escaped(change.new_name)}</b>", _q(change.old_name), _q(change.new_name))
    if isinstance(change, KindChanged):
        return (f"<b>{escaped(change.name)}</b>", escaped(change.old_kind), escaped(change.new_kind))
    if isinstance(change, VacancyChanged):
        return (f"<b>{escaped(change.name)}</b>", "poste pourvu" if change.vacant else "poste vacant",
                "poste déclaré vacant" if change.vacant else "poste pourvu")
    if isinstance(change, FieldChanged):
        label = ENTITY_FIELD_LABELS.get(change.field, change.field)
        return (f"<b>{escaped(change.name)}</b><br/>{escaped(label)}", _value(change.old), _value(change.new))
    if isinstance(change, AttributionsChanged):
        details = []
        if change.words_added:
            details.append(plural(change.words_added, "mot ajouté", "mots ajoutés"))
        if change.words_removed:
            details.append(plural(change.words_removed, "mot retiré", "mots retirés"))
        if len(change.old) != len(change.new):
            details.append(f"{len(change.old)} → {plural(len(change.new), 'paragraphe')}")
        return (f"<b>{escaped(change.name)}</b><br/>attributions", plural(len(change.old), "paragraphe"),
                (", ".join(details) or "mise en forme")
                + " — détail mot à mot plus loin")
    if isinstance(change, (LinkAdded, LinkRemoved)):
        link = change.link
        label = f" ({escaped(link.label)})" if link.label else ""
        ends = f"<b>{escaped(change.source_name)}</b> → <b>{escaped(change.target_name)}</b>"
        if isinstance(change, LinkAdded):
            return (f"lien fonctionnel{label}<br/>{ends}", "—", "lien créé")
        return (f"lien fonctionnel{label}<br/>{ends}", "lien existant", "lien supprimé")
    if isinstance(change, LinkChanged):
        ends = f"<b>{escaped(change.source_name)}</b> → <b>{escaped(change.target_name)}</b>"
        return (f"lien fonctionnel<br/>{ends}", _value(change.old.label), _value(change.new.label))
    return (escaped(change.describe()), "", "")


def diff_paragraphs(segments) -> list[str]:
    """Word-level segments as paragraph markup, one string per paragraph of the new text.

    Deleted words: struck through, red; inserted words: underlined, green (both on a light tint,
    so the difference survives a black-and-white copy), each inside « [retiré : …] » or
    « [ajouté : …] » so that the text layer (copy-paste, screen readers) tells them apart too
    instead of reading a merged text that never existed. A paragraph break that disappears is
    shown as a struck « ¶ ».
    """
    paragraphs: list[list[str]] = [[]]
    for op, text in segments:
        if op == "delete":
            text = text.replace("\n", " ¶ ")
        parts = text.split("\n")
        for i, part in enumerate(parts):
            if i:
                paragraphs.append([])
            if not part:
                continue
            body = escaped(part)
            if op == "delete":
                body = (f'<font color="{DELETE_COLOUR}" backColor="{DELETE_BACK}">{DELETED_OPEN}<strike>{body}</strike>'
                        f'{MARK_CLOSE}</font>')
            elif op == "insert":
                body = (f'<font color="{INSERT_COLOUR}" backColor="{INSERT_BACK}">{INSERTED_OPEN}<u>{body}</u>'
                        f'{MARK_CLOSE}</font>')
            paragraphs[-1].append(body)
    return ["".join(p) for p in paragraphs if "".join(p).strip()]


# The reading key printed above the word-level changes.
DIFF_LEGEND = (
    f"Lecture{NBSP}: <font color=\"{DELETE_COLOUR}\" backColor=\"{DELETE_BACK}\">{DELETED_OPEN}<strike>mots retirés"
    f"</strike>{MARK_CLOSE}</font> (barrés, en rouge), <font color=\"{INSERT_COLOUR}\" backColor=\"{INSERT_BACK}\">"
    f"{INSERTED_OPEN}<u>mots ajoutés</u>{MARK_CLOSE}</font> (soulignés, en vert)&nbsp;; le reste du texte est inchangé."
)
