"""The per-folder chart as SVG shapes: one horizontal bar per folder, stacked safe / unsafe / manual /
hint, all bars on one scale. Plain geometry, so the page needs no charting script and the shapes can
be checked in a test."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .data import KINDS

MAX_BARS = 30  # more folders are listed in the tables, not drawn
LABEL_WIDTH, BAR_AREA, COUNT_WIDTH = 220, 520, 60
BAR_HEIGHT, GAP, TOP = 22, 10, 8
LABEL_CHARS = 28  # what fits in LABEL_WIDTH at the chart's font size


@dataclass(frozen=True)
class Segment:
    kind: str
    count: int
    x: float
    width: float


@dataclass(frozen=True)
class Bar:
    folder: str
    total: int
    y: int
    segments: tuple[Segment, ...]

    @property
    def label(self) -> str:
        """The folder, its start cut off when too long for the label column: the last folders say most."""
        return self.folder if len(self.folder) <= LABEL_CHARS else "…" + self.folder[-(LABEL_CHARS - 1):]

    @property
    def end(self) -> float:
        return LABEL_WIDTH + sum(segment.width for segment in self.segments)


@dataclass(frozen=True)
class Chart:
    bars: tuple[Bar, ...]
    width: int
    height: int
    left_out: int  # folders not drawn

    @property
    def label_x(self) -> int:
        return LABEL_WIDTH - 8

    @property
    def bar_height(self) -> int:
        return BAR_HEIGHT


def folder_chart(folders: Sequence[Mapping[str, Any]]) -> Chart:
    """``folders`` as :func:`~lint_plugin.report.data.report_data` orders them (most findings first)."""
    drawn = folders[:MAX_BARS]
    largest = max((int(folder["count"]) for folder in drawn), default=0) or 1
    bars = []
    for index, folder in enumerate(drawn):
        x: float = LABEL_WIDTH
        segments = []
        for name in KINDS:
            count = int(folder[name])
            if count:
                width = BAR_AREA * count / largest
                segments.append(Segment(name, count, round(x, 2), round(width, 2)))
                x += width
        y = TOP + index * (BAR_HEIGHT + GAP)
        bars.append(Bar(str(folder["folder"]), int(folder["count"]), y, tuple(segments)))
    height = TOP * 2 + len(bars) * (BAR_HEIGHT + GAP)
    return Chart(tuple(bars), LABEL_WIDTH + BAR_AREA + COUNT_WIDTH, height, len(folders) - len(drawn))
