"""Fast wrapped text for the notice: a splittable platypus flowable drawn line by line.

ReportLab's ``Paragraph`` parses markup for every paragraph, too slow for a 10,000-entity
notice; our texts are plain, so words are measured with the TTF widths (C-accelerated) and
broken greedily on ordinary spaces only — the no-break spaces of French typography hold.
Nothing is ever cut: a word wider than the column is broken between characters.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.colors import HexColor
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from .pageref import mark_page


def _split_plain_spaces(text: str) -> list[str]:
    return [w for w in text.replace("\t", " ").replace("\n", " ").split(" ") if w]


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Greedy wrap of ``text`` to ``width`` points, breaking only on ordinary spaces.

    No-break spaces (U+00A0, U+202F) hold; a unit wider than the column is broken between
    characters, so nothing is ever lost.
    """
    return wrap_words_list(_split_plain_spaces(text), font, size, width)


_WORD_WIDTHS: dict[str, dict[str, float]] = {}


def _word_width(font: str):
    """Memoised width at 1 pt per word: the notice repeats the same words thousands of times."""
    table = _WORD_WIDTHS.setdefault(font, {})
    get = table.get

    def width(word: str) -> float:
        w = get(word)
        if w is None:
            if len(table) > 200_000:
                table.clear()
            w = table[word] = stringWidth(word, font, 1.0)
        return w

    return width


def wrap_words_list(words: list[str], font: str, size: float, width: float) -> list[str]:
    unit = _word_width(font)
    width = width / size  # work at 1 pt
    space = unit(" ")
    lines: list[str] = []
    cur: list[str] = []
    cur_w = 0.0
    for word in words:
        w = unit(word)
        if cur and cur_w + space + w <= width:
            cur.append(word)
            cur_w += space + w
            continue
        if cur:
            lines.append(" ".join(cur))
        if w <= width:
            cur, cur_w = [word], w
            continue
        chunk = ""
        for ch in word:  # an over-long word (URL, identifier): break between characters
            if chunk and stringWidth(chunk + ch, font, 1.0) > width:
                lines.append(chunk)
                chunk = ""
            chunk += ch
        cur, cur_w = [chunk], stringWidth(chunk, font, 1.0)
    if cur:
        lines.append(" ".join(cur))
    return lines


@dataclass(frozen=True)
class Block:
    """One paragraph of a section, with its typography."""

    text: str
    font: str
    size: float
    leading: float
    colour: str = "#1a1a1a"
    space_before: float = 0.0
    keep_with_next: bool = False  # never end a page right after this block (headings)
    indent: float = 0.0


@dataclass(frozen=True)
class Outline:
    """PDF destination + outline entry set where the section starts."""

    key: str
    title: str
    level: int
    closed: bool = False


_COLOURS: dict[str, object] = {}


def _colour(value: str):
    c = _COLOURS.get(value)
    if c is None:
        c = _COLOURS[value] = HexColor(value)
    return c


class TextSection(Flowable):
    """Blocks of wrapped text that split across frames between lines.

    A split never leaves a heading alone at the bottom of a frame, nor a single line of a
    paragraph (orphan/widow). The first part carries the bookmark, the outline entry and the
    optional coloured bar drawn beside the heading.
    """

    def __init__(self, blocks, *, outline: Outline | None = None, bar: str | None = None,
                 space_before: float = 0.0, _lines=None, _width=None):
        super().__init__()
        self.blocks = blocks
        self.outline = outline
        self.bar = bar
        self.space_before = space_before
        self._lines = _lines  # [(text, block_index, y_advance_before, is_last_of_block)]
        self._laid_width = _width

    def getSpaceBefore(self):
        return self.space_before

    def _layout(self, width: float):
        if self._lines is not None and self._laid_width == width:
            return
        lines = []
        for bi, b in enumerate(self.blocks):
            texts = wrap(b.text, b.font, b.size, width - b.indent) or [""]
            for li, t in enumerate(texts):
                gap = (b.space_before if li == 0 else 0.0) + b.leading
                lines.append((t, bi, gap, li == len(texts) - 1))
        self._lines = lines
        self._laid_width = width

    def wrap(self, availWidth, availHeight):
        self._layout(availWidth)
        self.width = availWidth
        self.height = sum(l[2] for l in self._lines) + self._descent()
        return self.width, self.height

    def _descent(self) -> float:
        if not self._lines:
            return 0.0
        return self.blocks[self._lines[-1][1]].size * 0.25

    def split(self, availWidth, availHeight):
        self._layout(availWidth)
        lines = self._lines
        n = len(lines)
        used = 0.0
        fit = 0
        for i, line in enumerate(lines):
            used += line[2]
            if used + self.blocks[line[1]].size * 0.25 > availHeight:
                break
            fit = i + 1
        # Walk back to a legal break: not after a keep-with-next block, no orphan, no widow.
        k = fit
        while k > 0:
            text, bi, _, last = lines[k - 1]
            block = self.blocks[bi]
            nxt = lines[k] if k < n else None
            ok = not (last and block.keep_with_next)
            if ok and not last:
                first_of_block = k - 1 == 0 or lines[k - 2][1] != bi
                next_is_last = nxt is not None and nxt[1] == bi and nxt[3]
                ok = not first_of_block and not next_is_last
            if ok:
                break
            k -= 1
        if k <= 0 or k >= n:
            return []
        first = TextSection(self.blocks, outline=self.outline, bar=self.bar,
                            space_before=self.space_before, _lines=lines[:k], _width=availWidth)
        rest_lines = list(lines[k:])
        t, bi, _, last = rest_lines[0]
        rest_lines[0] = (t, bi, self.blocks[bi].leading, last)  # no space before at the top
        rest = TextSection(self.blocks, outline=None, bar=None, space_before=0.0,
                           _lines=rest_lines, _width=availWidth)
        return [first, rest]

    def draw(self):
        canv = self.canv
        top = self.height
        if self.outline is not None:
            o = self.outline
            canv.bookmarkHorizontal(o.key, 0, top + 4)
            canv.addOutlineEntry(o.title, o.key, level=o.level, closed=o.closed)
            mark_page(canv, o.key)  # its page number, for a table of contents
        y = top
        font = None
        colour = None
        bar_top = bar_bottom = None
        text = canv.beginText()
        for line, bi, gap, _ in self._lines:
            b = self.blocks[bi]
            y -= gap
            if (b.font, b.size) != font:
                text.setFont(b.font, b.size)
                font = (b.font, b.size)
            if b.colour != colour:
                text.setFillColor(_colour(b.colour))
                colour = b.colour
            if line:
                text.setTextOrigin(b.indent, y)
                text.textOut(line)
            if self.bar and b.keep_with_next:
                if bar_top is None:
                    bar_top = y + b.size * 0.95
                bar_bottom = y - b.size * 0.25
        canv.drawText(text)
        if self.bar and bar_top is not None:
            canv.setFillColor(_colour(self.bar))
            canv.rect(-9, bar_bottom, 3.5, bar_top - bar_bottom, stroke=0, fill=1)
