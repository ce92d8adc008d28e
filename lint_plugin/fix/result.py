"""What a fix run reports: applied edits, things left manual, and the new source."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..findings import AnalysisError
from ..rules import Applicability


@dataclass(frozen=True)
class AppliedFix:
    """One finding the fixer rewrote."""

    code: str
    line: int  # 1-based line of the finding in the input
    applicability: Applicability  # "safe" or "unsafe"
    summary: str  # what the edit did, one line
    changes: tuple[str, ...] = ()  # every behaviour change an unsafe edit makes, one line each
    cell: int | None = None


@dataclass(frozen=True)
class ManualFix:
    """A finding left for a human, with the reason."""

    code: str
    line: int
    reason: str
    cell: int | None = None


@dataclass
class FixResult:
    source: str
    applied: list[AppliedFix] = field(default_factory=list)
    manual: list[ManualFix] = field(default_factory=list)
    original: str = ""
    errors: list[AnalysisError] = field(default_factory=list)  # why the source was left as it was

    @property
    def changed(self) -> bool:
        return self.source != self.original
