"""Word-level difference between two attributions texts (lists of paragraphs).

Used by the diff (which words a reorganisation changes in an entity's attributions) and shown by
the comparison panel and the PDF dossier: segments ("equal" | "insert" | "delete", text) that
rebuild both texts exactly, paragraph breaks included.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence

Segment = tuple[str, str]  # ("equal" | "insert" | "delete", text)

_TOKEN = re.compile(r"\s+|\w+|[^\w\s]")
PARAGRAPH_BREAK = "\n"


def _tokens(paragraphs: Sequence[str]) -> list[str]:
    tokens: list[str] = []
    for i, paragraph in enumerate(paragraphs):
        if i:
            tokens.append(PARAGRAPH_BREAK)
        tokens.extend(_TOKEN.findall(paragraph))
    return tokens


def word_diff(old: Sequence[str], new: Sequence[str]) -> list[Segment]:
    """Word-level difference of two attributions texts (lists of paragraphs).

    Returns ``(op, text)`` segments, op in "equal", "delete", "insert"; paragraphs are joined
    by ``PARAGRAPH_BREAK``. Joining the "equal" and "delete" texts gives the old text back, the
    "equal" and "insert" texts the new one.
    """
    a, b = _tokens(old), _tokens(new)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    segments: list[Segment] = []

    def push(op: str, text: str) -> None:
        if not text:
            return
        if segments and segments[-1][0] == op:
            segments[-1] = (op, segments[-1][1] + text)
        else:
            segments.append((op, text))

    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            push("equal", "".join(a[i1:i2]))
        else:
            # Deletion first, then insertion: reads like a correction.
            push("delete", "".join(a[i1:i2]))
            push("insert", "".join(b[j1:j2]))
    return _shift_spaces_right(segments)


def _shift_spaces_right(segments: list[Segment]) -> list[Segment]:
    """« conçoit[ et évalue] les » → « conçoit [et évalue ]les »: a lone insertion or deletion
    that starts with the space the following text starts with reads better ending with it."""
    result = list(segments)
    for i in range(1, len(result) - 1):
        before, (op, text), after = result[i - 1], result[i], result[i + 1]
        if op == "equal" or before[0] != "equal" or after[0] != "equal":
            continue
        while text and after[1] and text[0] == after[1][0] and text[0].isspace():
            before = ("equal", before[1] + text[0])
            text = text[1:] + after[1][0]
            after = ("equal", after[1][1:])
        result[i - 1], result[i], result[i + 1] = before, (op, text), after
    merged: list[Segment] = []
    for op, text in result:
        if not text:
            continue
        if merged and merged[-1][0] == op:
            merged[-1] = (op, merged[-1][1] + text)
        else:
            merged.append((op, text))
    return merged


def _count_words(text: str) -> int:
    return len(re.findall(r"\w+", text))


