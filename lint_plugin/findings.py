"""What every front end reports: findings (with their fix) and errors."""

from __future__ import annotations

from dataclasses import dataclass, replace

from .rules import BY_CODE, Applicability


@dataclass(frozen=True)
class Fix:
    applicability: Applicability
    summary: str

    @property
    def hint(self) -> str:
        if self.applicability == "manual":
            return f"manual: {self.summary}"
        return "fix: aml-migrate fix"


@dataclass(frozen=True)
class Finding:
    code: str
    line: int  # 1-based
    column: int  # 0-based, as in ast
    end_line: int
    end_column: int
    message: str  # without the code and without the fix hint
    fix: Fix | None = None
    cell: int | None = None  # notebooks: 0-based index into the notebook's cells

    @property
    def symbol(self) -> str:
        return BY_CODE[self.code].symbol

    @property
    def text(self) -> str:
        """The message as linters show it: with the fix hint at the end."""
        if self.fix is None:
            return self.message
        if self.fix.applicability != "manual" and BY_CODE[self.code].opt_in:
            return f"{self.message} (fix: aml-migrate fix --target v2)"
        return f"{self.message} ({self.fix.hint})"

    def moved(self, *, line: int, end_line: int, cell: int | None) -> Finding:
        return replace(self, line=line, end_line=end_line, cell=cell)


@dataclass(frozen=True)
class AnalysisError:
    """Input the analysis could not read; one clear line, never a traceback."""

    message: str
    line: int | None = None
    cell: int | None = None


def character_column(line: str, byte_column: int) -> int:
    """ast's column on ``line`` (counted in UTF-8 bytes) counted in characters (code points), as
    libcst, SARIF and editors count them."""
    if line.isascii():
        return byte_column
    return len(line.encode("utf-8")[:byte_column].decode("utf-8", errors="ignore"))
