"""Qt-free text measurement with the bundled DejaVu fonts.

The editor and the PDF must wrap box texts identically, so widths come from
the TTF advance widths (as ReportLab uses them, no kerning), never from Qt. They are read from
the table shipped beside the fonts (:mod:`dicom_desktop.chart.fontwidths`), not by parsing the TTF.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import lru_cache

from dicom_desktop.chart.fontwidths import load_widths
from dicom_desktop.files.paths import FONT_FILES

ELLIPSIS = "\u2026"
_SPACE = " "


@lru_cache(maxsize=None)
def _widths(font: str) -> tuple[dict[str, float], float]:
    """Advance widths per character, in 1/1000 em, read once per font."""
    if font not in FONT_FILES:
        raise ValueError(f"unknown font {font!r}; expected one of {sorted(FONT_FILES)}")
    return load_widths(font)


def font_metrics(font: str = "regular") -> tuple[float, float]:
    """(ascent, descent) in em units; descent is positive (DejaVu Sans values)."""
    _widths(font)  # validates the name
    return 0.928, 0.236


@lru_cache(maxsize=200_000)
def _units(text: str, font: str) -> float:
    table, default = _widths(font)
    get = table.get
    return sum([get(ch, default) for ch in text])


def text_width(text: str, font: str = "regular", size: float = 10.0) -> float:
    """Width of ``text`` in points at ``size`` (sum of advance widths)."""
    return _units(text, font) * size / 1000.0


def _break_word(word: str, limit: float, font: str) -> list[str]:
    """Split a word wider than ``limit`` (units) into character chunks."""
    table, default = _widths(font)
    chunks: list[str] = []
    start, acc = 0, 0.0
    for i, ch in enumerate(word):
        w = table.get(ch, default)
        if acc + w > limit and i > start:
            chunks.append(word[start:i])
            start, acc = i, 0.0
        acc += w
    chunks.append(word[start:])
    return chunks


def _truncate(line: str, limit: float, font: str) -> str:
    """Shorten ``line`` so that ``line + …`` fits in ``limit`` units."""
    ell = _units(ELLIPSIS, font)
    while line and _units(line, font) + ell > limit:
        line = line[:-1]
    return line.rstrip() + ELLIPSIS


@lru_cache(maxsize=200_000)
def _wrap(text: str, max_width: float, font: str, size: float, max_lines: int | None) -> tuple[str, ...]:
    limit = max_width * 1000.0 / size if size > 0 else float("inf")
    space = _units(_SPACE, font)
    lines: list[str] = []
    cur: list[str] = []
    cur_w = 0.0
    # Split on plain spaces only: non-breaking spaces (e.g. before ":") must hold.
    for word in text.split(_SPACE):
        if not word:
            continue
        w = _units(word, font)
        if cur and cur_w + space + w <= limit:
            cur.append(word)
            cur_w += space + w
            continue
        if cur:
            lines.append(_SPACE.join(cur))
        if w <= limit:
            cur, cur_w = [word], w
        else:
            *full, last = _break_word(word, limit, font)
            lines.extend(full)
            cur, cur_w = [last], _units(last, font)
    if cur:
        lines.append(_SPACE.join(cur))
    if max_lines is not None and len(lines) > max_lines:
        kept = lines[: max(max_lines, 1)]
        kept[-1] = _truncate(kept[-1], limit, font)
        lines = kept
    return tuple(lines)


# The greedy wrapper's state after some words: (finished lines, current line or "", its width).
_WrapState = tuple[tuple[str, ...], str, float]
_START: _WrapState = ((), "", 0.0)
PREFIX_MEMO_MAX = 20_000  # prefixes kept by one bulk wrapper (a few MB at most)


def _advance(state: _WrapState, words: Iterable[str], limit: float, font: str, space: float) -> _WrapState:
    """``state`` after wrapping ``words`` too: :func:`_wrap`'s loop, word for word (same sums)."""
    done, cur, cur_w = state
    lines = list(done)
    for word in words:
        if not word:
            continue
        w = _units(word, font)
        if cur and cur_w + space + w <= limit:
            cur += _SPACE + word
            cur_w += space + w
            continue
        if cur:
            lines.append(cur)
        if w <= limit:
            cur, cur_w = word, w
        else:
            *full, cur = _break_word(word, limit, font)
            lines.extend(full)
            cur_w = _units(cur, font)
    return tuple(lines), cur, cur_w


def bulk_wrapper(max_width: float, font: str = "regular", size: float = 10.0) -> Callable[[str], tuple[str, ...]]:
    """A function wrapping many texts like :func:`wrap_lines` (no ``max_lines``), for one bulk job.

    The greedy wrap is a left-to-right state machine, so a text's lines follow from the state
    after its last space plus its last word. Names of a large organisation share that prefix
    (« Bureau de la veille n° » + a number, « Cellule de l’emploi »…): each prefix is wrapped
    once per job (memo dropped with the function, so no name outlives it), then each text costs
    one lookup and one word."""
    limit = max_width * 1000.0 / size if size > 0 else float("inf")
    space = _units(_SPACE, font)
    states: dict[str, _WrapState] = {}
    get = states.get
    widths: dict[str, float] = {}  # last words (numbers, mostly distinct): not in _units' memo
    width_of = widths.get
    table, default = _widths(font)
    char_width = table.get

    def wrap(text: str) -> tuple[str, ...]:
        cut = text.rfind(_SPACE)
        state: _WrapState | None
        if cut < 0:
            state, last = _START, text
        else:
            prefix = text[:cut]
            state = get(prefix)
            if state is None:
                if len(states) >= PREFIX_MEMO_MAX:
                    states.clear()
                    widths.clear()
                state = states[prefix] = _advance(_START, prefix.split(_SPACE), limit, font, space)
            last = text[cut + 1:]
        lines, cur, cur_w = state
        if last:
            w = width_of(last)
            if w is None:  # the same sum as _units
                w = widths[last] = sum([char_width(ch, default) for ch in last])
            if cur and cur_w + space + w <= limit:
                return (*lines, cur + _SPACE + last)
            if w > limit:
                lines, cur, _ = _advance(state, (last,), limit, font, space)
            elif cur:
                return (*lines, cur, last)
            else:
                return (*lines, last)
        return (*lines, cur) if cur else lines

    return wrap


def wrap_text(
    text: str,
    max_width: float,
    font: str = "regular",
    size: float = 10.0,
    max_lines: int | None = None,
) -> list[str]:
    """Greedy word wrap to ``max_width`` points; over-long words break by character.

    With ``max_lines``, extra lines are dropped and the last kept one ends with "…".
    """
    return list(_wrap(text, float(max_width), font, float(size), max_lines))


def wrap_lines(
    text: str,
    max_width: float,
    font: str = "regular",
    size: float = 10.0,
    max_lines: int | None = None,
) -> tuple[str, ...]:
    """:func:`wrap_text` as an immutable tuple, shared with the memo (no copy)."""
    return _wrap(text, float(max_width), font, float(size), max_lines)
