"""Hypothesis strategies shared by the property tests: random valid organisation files.

Texts mix French typography with exotic but legal Unicode: every name must round-trip.
"""

from __future__ import annotations

import datetime as _dt

from hypothesis import strategies as st

from dicom_desktop.kinds import KIND_STYLES
from dicom_desktop.model import OrganisationFile, is_visible

TYPOGRAPHY = "éèêëàâäçîïôöûùüÿœæÉÈÊÀÂÇÎÔÛŒÆ’‘“”«»–—…\u00a0\u202f°€§²ß"
# Beyond French: line/paragraph separators, combining accent, zero-width joiner, soft hyphen, BOM,
# right-to-left, CJK, astral-plane letters and emoji — all legal in a name, all must round-trip.
EXOTIC = "\u2028\u2029\u0301\u200d\u00ad\ufeffعربى中文𝔄😀\U0010fffd"
POOL = TYPOGRAPHY + EXOTIC + "abcdefghijklmnopqrstuvwxyz ABCDEFXYZ0123456789-'.,;:!?()/&\"\\"
_printable = st.characters(blacklist_categories=("Cc", "Cs", "Cn", "Co", "Cf"))  # legal anywhere in a line (POOL has the legal Cf)


def _texts(pool: str, min_size: int, max_size: int) -> st.SearchStrategy[str]:
    # Mostly the (fast) French-heavy pool; sometimes any printable Unicode at all.
    return st.one_of(st.text(st.sampled_from(pool), min_size=min_size, max_size=max_size),
                     st.text(_printable, min_size=min_size, max_size=min(max_size, 12)))


LINE = _texts(POOL, 1, 40).filter(lambda s: s.strip() and is_visible(s))  # what the model accepts as a line
OPTIONAL_LINE = st.one_of(st.just(""), LINE)
PARAGRAPH = _texts(POOL + "\n\t", 0, 150)
IDS = st.text(st.sampled_from("abcdefghéèçà0123456789-_’"), min_size=1, max_size=10).filter(lambda s: s.strip())
KIND = st.one_of(st.sampled_from(list(KIND_STYLES)), LINE)
DATE = st.one_of(st.none(), st.dates(_dt.date(1945, 1, 1), _dt.date(2100, 12, 31)))


@st.composite
def entity_trees(draw, max_size: int = 25) -> list[dict]:
    """Entities of a random valid tree, in the canonical order (pre-order, ``order`` = rank)."""
    n = draw(st.integers(1, max_size))
    ids = [f"{draw(IDS)}-{i}" if i % 3 else draw(IDS) + "-" * (i + 1) for i in range(n)]  # unique by construction
    parent_index = [None] + [draw(st.integers(0, i - 1)) for i in range(1, n)]
    children: dict[int, list[int]] = {i: [] for i in range(n)}
    for i, p in enumerate(parent_index):
        if p is not None:
            children[p].append(i)
    entities = []
    stack = [(0, 0)]
    while stack:
        i, rank = stack.pop()
        p = parent_index[i]
        entities.append(
            {
                "id": ids[i],
                "name": draw(LINE),
                "kind": draw(KIND),
                "parent": ids[p] if p is not None else None,
                "attributions": draw(st.lists(PARAGRAPH, max_size=3)),
                "short_name": draw(OPTIONAL_LINE),
                "head_title": draw(OPTIONAL_LINE),
                "head_name": draw(OPTIONAL_LINE),
                "headcount": draw(st.one_of(st.none(), st.integers(0, 1_000_000))),
                "vacant": draw(st.booleans()),
                "legal_reference": draw(OPTIONAL_LINE),
                "effective_date": draw(DATE),
                "order": rank,
                "staff": p is not None and draw(st.booleans()),
            }
        )
        stack.extend(reversed([(c, r) for r, c in enumerate(children[i])]))
    return entities


@st.composite
def links_between(draw, ids: list[str]) -> list[dict]:
    if len(ids) < 2:
        return []
    kinds = st.sampled_from(["functional", "hiérarchie fonctionnelle"])
    pairs = draw(st.lists(st.tuples(st.sampled_from(ids), st.sampled_from(ids), kinds), max_size=6))
    links, seen = [], set()
    for source, target, kind in pairs:
        if source != target and (source, target, kind) not in seen:
            seen.add((source, target, kind))
            links.append({"source": source, "target": target, "kind": kind, "label": draw(OPTIONAL_LINE)})
    return links


@st.composite
def organisation_files(draw, max_size: int = 25) -> OrganisationFile:
    entities = draw(entity_trees(max_size))
    ids = [e["id"] for e in entities]
    scenarios = []
    for n in range(draw(st.integers(0, 1))):
        scenario_entities = draw(entity_trees(6))
        scenarios.append(
            {
                "id": f"scénario-{n}",
                "name": draw(LINE),
                "description": draw(PARAGRAPH),
                "created": draw(DATE),
                "entities": scenario_entities,
                "links": draw(links_between([e["id"] for e in scenario_entities])),
            }
        )
    return OrganisationFile.model_validate(
        {
            "schema_version": 1,
            "organisation": {
                "name": draw(LINE),
                "acronym": draw(OPTIONAL_LINE),
                "missions": draw(st.lists(PARAGRAPH, max_size=3)),
                "legal_basis": draw(PARAGRAPH),
                "updated": draw(DATE),
                "source": draw(PARAGRAPH),
                "notes": draw(PARAGRAPH),
            },
            "entities": entities,
            "links": draw(links_between(ids)),
            "scenarios": scenarios,
        }
    )
