"""Report formats. JSON is the stable machine interface (see README, "JSON output")."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TextIO

from . import __version__
from .checker import FileReport
from .findings import Finding


def location(path: str, finding: Finding) -> str:
    """``path:line:col`` with a 1-based column as flake8 prints it; notebooks name the cell."""
    cell = f"cell {finding.cell}:" if finding.cell is not None else ""
    return f"{path}:{cell}{finding.line}:{finding.column + 1}"


def write_text(reports: Sequence[FileReport], out: TextIO, err: TextIO) -> None:
    for report in reports:
        for finding in report.findings:
            out.write(f"{location(report.path, finding)}: {finding.code} {finding.text}\n")
        for error in report.errors:
            err.write(f"{report.path}: error: {error.message}\n")


def finding_record(path: str, finding: Finding) -> dict[str, object]:
    return {
        "path": path,
        "cell": finding.cell,
        "line": finding.line,
        "column": finding.column,
        "end_line": finding.end_line,
        "end_column": finding.end_column,
        "code": finding.code,
        "symbol": finding.symbol,
        "message": finding.message,
        "fix": ({"applicability": finding.fix.applicability, "summary": finding.fix.summary}
                if finding.fix else None),
    }


def write_json(reports: Sequence[FileReport], out: TextIO, err: TextIO) -> None:
    document = {
        "version": __version__,
        "files_checked": len(reports),
        "findings": [finding_record(r.path, f) for r in reports for f in r.findings],
        "errors": [{"path": r.path, "message": e.message} for r in reports for e in r.errors],
    }
    json.dump(document, out, indent=2)
    out.write("\n")


FORMATS = {"text": write_text, "json": write_json}
