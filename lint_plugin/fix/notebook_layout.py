"""New cell sources written into a notebook's own JSON text, every other byte kept.

Jupyter, VS Code, nbformat and hand-made tools each write notebooks their own way (indentation, key
order, separators, escaping, final newline, sources as one string or a list of lines); writing the
whole notebook again would change every line a tool wrote differently. So the text is scanned for
the span of each cell's ``source`` value (the stdlib JSON decoder decodes each value and says where it
ends) and only the spans of changed cells are replaced, each rendered the way the old value was.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass

_DECODER = json.JSONDecoder()
_SPACE = re.compile(r"[ \t\n\r]*")
# A \\uXXXX escape of a non-ASCII character (not itself an escaped backslash followed by "u").
_ESCAPED_NON_ASCII = re.compile(r"(?<!\\)(?:\\\\)*\\u(?!00[0-7])[0-9a-fA-F]{4}")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_LINE_BREAK = re.compile(r"[\r\n]")


@dataclass(frozen=True)
class SourceSpan:
    """Where a cell's ``source`` value lies in the notebook text, and how the cell around it is laid out."""

    start: int
    end: int
    items: tuple[tuple[int, int], ...] | None  # each line's span when the value is a list, else None
    member_gap: str  # the text before a key of the cell that follows a comma (",\n   ", ", "...)
    cell_gap: str  # the text before the cell's "{"


class _Scanner:
    """Walks JSON text value by value, keeping positions (``json`` decodes but forgets them)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def skip_space(self) -> None:
        self.pos = _SPACE.match(self.text, self.pos).end()  # type: ignore[union-attr]

    def take(self, char: str) -> bool:
        self.skip_space()
        if self.text.startswith(char, self.pos):
            self.pos += 1
            return True
        return False

    def value(self) -> object:
        self.skip_space()
        value, self.pos = _DECODER.raw_decode(self.text, self.pos)
        return value

    def members(self) -> Iterator[tuple[str, str]]:
        """(key, the text between the previous value or "{" and the key) of each member of an object;
        the caller reads each value before asking for the next member."""
        for gap in self._sequence("{", "}"):
            key = self.value()
            self.take(":")
            yield str(key), gap

    def elements(self) -> Iterator[str]:
        """The text between the previous element or "[" and each element; the caller reads each one."""
        yield from self._sequence("[", "]")

    def _sequence(self, opening: str, closing: str) -> Iterator[str]:
        self.take(opening)
        gap_start = self.pos
        if self.take(closing):
            return
        while True:
            self.skip_space()
            yield self.text[gap_start:self.pos]
            gap_start = self.pos
            if not self.take(","):
                self.take(closing)
                return


def source_spans(text: str) -> dict[int, SourceSpan]:
    """Cell index -> the span of that cell's ``source``, for a notebook ``json.loads`` accepts."""
    scanner = _Scanner(text)
    spans: dict[int, SourceSpan] = {}
    for key, _ in scanner.members():
        if key != "cells":
            scanner.value()
            continue
        for index, cell_gap in enumerate(scanner.elements()):
            span = _cell_source(scanner, cell_gap)
            if span is not None:
                spans[index] = span
    return spans


def _cell_source(scanner: _Scanner, cell_gap: str) -> SourceSpan | None:
    found: tuple[int, int, tuple[tuple[int, int], ...] | None] | None = None
    gaps = []
    for key, gap in scanner.members():
        gaps.append(gap)
        if key == "source":  # a duplicated key counts the last time, as json.loads reads it
            found = _value_span(scanner)
        else:
            scanner.value()
    if found is None:
        return None
    member_gap = gaps[-1] if len(gaps) > 1 else "," + gaps[0]  # a cell of one member shows no comma
    return SourceSpan(*found, member_gap=member_gap, cell_gap=cell_gap)


def _value_span(scanner: _Scanner) -> tuple[int, int, tuple[tuple[int, int], ...] | None]:
    scanner.skip_space()
    start = scanner.pos
    if not scanner.text.startswith("[", start):
        scanner.value()
        return start, scanner.pos, None
    items = []
    for _ in scanner.elements():
        item_start = scanner.pos
        scanner.value()
        items.append((item_start, scanner.pos))
    return start, scanner.pos, tuple(items)


def replace_sources(text: str, new_sources: dict[int, str]) -> str:
    """``text`` with the source of each cell in ``new_sources`` replaced, rendered as its old value was."""
    spans = source_spans(text)
    ascii_only = _escapes_non_ascii(text)
    pieces: list[str] = []
    copied = 0
    for index in sorted(new_sources, key=lambda i: spans[i].start):
        span = spans[index]
        pieces += [text[copied:span.start], _render(text, span, new_sources[index], ascii_only)]
        copied = span.end
    pieces.append(text[copied:])
    return "".join(pieces)


def _escapes_non_ascii(text: str) -> bool:
    """Whether the file writes non-ASCII characters as \\u escapes (Python's ``json.dump`` default)
    rather than as themselves (Jupyter's): only when it has escapes and no literal one."""
    return bool(_ESCAPED_NON_ASCII.search(text)) and not _NON_ASCII.search(text)


def _render(text: str, span: SourceSpan, source: str, ascii_only: bool) -> str:
    if span.items is None:
        return json.dumps(source, ensure_ascii=ascii_only)
    written = {json.loads(text[start:end]): text[start:end] for start, end in span.items}
    lines = [written.get(line) or json.dumps(line, ensure_ascii=ascii_only)
             for line in source.splitlines(keepends=True)]
    if not lines:
        return "[]"
    opening, separator, closing = _list_layout(text, span)
    return "[" + opening + separator.join(lines) + closing + "]"


def _list_layout(text: str, span: SourceSpan) -> tuple[str, str, str]:
    """What the list puts after "[", between items and before "]": as the old list did, and what it
    does not show (an empty list shows nothing) as the cell around it does, one level deeper."""
    comma, member_break = _split_gap(span.member_gap)
    if span.items:
        opening, closing = text[span.start + 1:span.items[0][0]], text[span.items[-1][1]:span.end - 1]
    elif member_break:
        cell_break = _split_gap(span.cell_gap)[1]
        step = member_break[len(cell_break):] if member_break.startswith(cell_break) else ""
        opening, closing = member_break + step, member_break
    else:
        opening = closing = ""
    if span.items and len(span.items) > 1:
        separator = text[span.items[0][1]:span.items[1][0]]
    else:
        separator = comma + opening if _LINE_BREAK.search(opening) else span.member_gap
    return opening, separator, closing


def _split_gap(gap: str) -> tuple[str, str]:
    """",\n   " -> (",", "\n   "): the separator and the line break with the indentation, if any."""
    found = _LINE_BREAK.search(gap)
    return (gap[:found.start()], gap[found.start():]) if found else (gap, "")
