"""Box contents and sizes, computed once so the Qt chart and the PDF match.

Renderers must draw ``BoxContent`` lines as given (see ``text_lines``) rather
than re-wrapping with their own font metrics.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Hashable, Iterable, NamedTuple, TypeVar

from dicom_desktop.gcpause import without_gc
from dicom_desktop.chart.textmetrics import _wrap, bulk_wrapper, font_metrics, wrap_lines

VACANT_LABEL = "poste vacant"


@dataclass(frozen=True)
class BoxStyle:
    """Geometry and typography of an organisation box (points)."""

    width: float = 170.0
    padding: float = 6.0
    name_font: str = "bold"
    name_size: float = 8.5
    title_font: str = "regular"
    title_size: float = 7.5
    line_factor: float = 1.2
    section_gap: float = 4.0  # between the name block and the head block
    min_height: float = 34.0

    @property
    def inner_width(self) -> float:
        return self.width - 2 * self.padding

    @property
    def name_line_height(self) -> float:
        return self.name_size * self.line_factor

    @property
    def title_line_height(self) -> float:
        return self.title_size * self.line_factor


DEFAULT_STYLE = BoxStyle()
DEFAULT_BOX_WIDTH = DEFAULT_STYLE.width


class BoxContent(NamedTuple):
    """Wrapped lines of one box and its resulting size.

    A named tuple of tuples (about 100 bytes per box, not the 500 of a dataclass holding two
    lists): the editor keeps one per entity, and boxes with the same head line share its lines."""

    name_lines: tuple[str, ...]
    subtitle_lines: tuple[str, ...]
    width: float
    height: float

    @property
    def size(self) -> tuple[float, float]:
        return (self.width, self.height)


class TextLine(NamedTuple):
    """One line to draw, centred horizontally; ``baseline`` is from the box top."""

    text: str
    font: str
    size: float
    baseline: float


def head_label(head_title: str, head_name: str = "", vacant: bool = False) -> str:
    """Second part of a box: "Chef de bureau : Mme X" (French spacing)."""
    who = VACANT_LABEL if vacant else head_name.strip()
    title = head_title.strip()
    if title and who:
        return f"{title}\u00a0: {who}"
    if who == VACANT_LABEL and not title:
        return "Poste vacant"
    return title or who


def box_content(
    name: str,
    head_title: str = "",
    head_name: str = "",
    vacant: bool = False,
    width: float = DEFAULT_BOX_WIDTH,
    style: BoxStyle = DEFAULT_STYLE,
) -> BoxContent:
    """Wrap the name (bold, never truncated) and the head line; height follows."""
    inner = width - 2 * style.padding
    name_lines = wrap_lines(name.strip(), inner, style.name_font, style.name_size)
    label = head_label(head_title, head_name, vacant)
    sub_lines = wrap_lines(label, inner, style.title_font, style.title_size) if label else ()
    height = 2 * style.padding + len(name_lines) * style.name_line_height
    if sub_lines:
        height += style.section_gap + len(sub_lines) * style.title_line_height
    return BoxContent(name_lines, sub_lines, float(width), max(height, style.min_height))


def text_lines(content: BoxContent, style: BoxStyle = DEFAULT_STYLE) -> list[TextLine]:
    """Lines with their baselines, vertically centred in the box, for both renderers."""
    block = len(content.name_lines) * style.name_line_height
    if content.subtitle_lines:
        block += style.section_gap + len(content.subtitle_lines) * style.title_line_height
    top = (content.height - block) / 2
    out: list[TextLine] = []
    for lines, font, size, lh in (
        (content.name_lines, style.name_font, style.name_size, style.name_line_height),
        (content.subtitle_lines, style.title_font, style.title_size, style.title_line_height),
    ):
        if not lines:
            continue
        asc, desc = font_metrics(font)
        offset = (lh - (asc + desc) * size) / 2 + asc * size
        for text in lines:
            out.append(TextLine(text, font, size, top + offset))
            top += lh
        top += style.section_gap
    return out


Key = TypeVar("Key", bound=Hashable)  # what the caller identifies its boxes by (entity ids)


@without_gc  # 100,000 boxes: many small objects, no cycles; the collector only costs time
def measure_boxes(
    entities: Iterable[tuple[Key, str, str, str, bool]],
    width: float = DEFAULT_BOX_WIDTH,
    style: BoxStyle = DEFAULT_STYLE,
) -> dict[Key, BoxContent]:
    """``{id: BoxContent}`` for ``(id, name, head_title, head_name, vacant)`` rows.

    Same result as ``box_content`` row by row; head lines repeat (« Chef de bureau »…), so each
    distinct one is wrapped once and its lines are shared; names are nearly all distinct, so
    they are wrapped by a :func:`bulk_wrapper` of this call (names share their beginnings, and its
    memo is dropped on return, where the text wrapper's memo would keep every name alive)."""
    width = float(width)
    inner = width - 2 * style.padding
    name_font, name_size = style.name_font, float(style.name_size)
    title_font, title_size = style.title_font, float(style.title_size)
    top = 2 * style.padding
    name_lh, title_lh = style.name_line_height, style.title_line_height
    gap, min_height = style.section_gap, style.min_height
    heads: dict[tuple[str, str, bool], tuple[tuple[str, ...], float]] = {}
    new = tuple.__new__
    wrap_name = bulk_wrapper(inner, name_font, name_size)
    out: dict[Key, BoxContent] = {}
    for eid, name, title, head, vacant in entities:
        name_lines = wrap_name(name.strip())
        sub = heads.get((title, head, vacant))
        if sub is None:
            label = head_label(title, head, vacant)
            lines = _wrap(label, inner, title_font, title_size, None) if label else ()
            sub = heads[(title, head, vacant)] = (lines, gap + len(lines) * title_lh if lines else 0.0)
        height = top + len(name_lines) * name_lh
        if sub[0]:
            height += sub[1]
        out[eid] = new(BoxContent, (name_lines, sub[0], width, max(height, min_height)))
    return out


def box_sizes(contents: dict[Key, BoxContent]) -> dict[Key, tuple[float, float]]:
    """``{id: (w, h)}`` ready for ``layout.compute_layout``."""
    return {eid: (c.width, c.height) for eid, c in contents.items()}
