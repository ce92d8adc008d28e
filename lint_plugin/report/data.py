"""One check run as the report's data: what every output of ``aml-migrate report`` shows.

Each finding is one site ``aml-migrate fix`` handles in one of four ways, read from the finding's own
fix (the planner's verdict, as ``check`` reports it): ``safe`` and ``unsafe`` rewrites, ``manual``
(left for a person, with the reason), or ``hint`` (the rule offers no rewrite, e.g. a requirement pin).
"""

from __future__ import annotations

import os
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from .. import __version__
from ..checker import FileReport
from ..findings import Finding
from ..output import finding_record
from ..rules import BY_CODE
from ..sources import CheckedFile

KINDS = ("safe", "unsafe", "manual", "hint")
_LINE_NUMBERS = re.compile(r"\b(lines?) \d+(?:(?:, | and )\d+)*")
TOP_MANUAL_REASONS = 10


def kind(finding: Finding) -> str:
    return finding.fix.applicability if finding.fix else "hint"


@dataclass(frozen=True)
class Site:
    path: str  # relative to the working directory, with forward slashes
    folder: str
    finding: Finding
    file_line: int  # the line of the file as stored (for a notebook: of the .ipynb that holds it)


def report_data(reports: Sequence[FileReport], paths: Sequence[str]) -> dict[str, object]:
    sites = [site for report in reports for site in _sites(report)]
    return {
        "version": __version__,
        "paths": list(paths),
        "files_checked": len(reports),
        "files_with_findings": len({site.path for site in sites}),
        "totals": _counts(sites) | {"findings": len(sites)},
        "rules": _per_rule(sites),
        "folders": _per_folder(sites),
        "manual_reasons": _manual_reasons(sites),
        "findings": [_record(site) for site in sites],
        "errors": [{"path": _relative(report.path), "message": error.message}
                   for report in reports for error in report.errors],
    }


def _sites(report: FileReport) -> list[Site]:
    path = _relative(report.path)
    folder = os.path.dirname(path) or "."
    source = CheckedFile(report.path)
    return [Site(path, folder, finding, source.region(finding).start_line) for finding in report.findings]


def _relative(path: str) -> str:
    return os.path.relpath(os.path.abspath(path)).replace(os.sep, "/")


def _counts(sites: Sequence[Site]) -> dict[str, int]:
    counted = Counter(kind(site.finding) for site in sites)
    return {name: counted[name] for name in KINDS}


def _per_rule(sites: Sequence[Site]) -> list[dict[str, object]]:
    by_code: dict[str, list[Site]] = defaultdict(list)
    for site in sites:
        by_code[site.finding.code].append(site)
    return [{"code": code, "symbol": BY_CODE[code].symbol, "summary": BY_CODE[code].summary,
             "count": len(found)} | _counts(found) for code, found in sorted(by_code.items())]


def _per_folder(sites: Sequence[Site]) -> list[dict[str, object]]:
    """Folders with the most findings first."""
    by_folder: dict[str, list[Site]] = defaultdict(list)
    for site in sites:
        by_folder[site.folder].append(site)
    ordered = sorted(by_folder.items(), key=lambda item: (-len(item[1]), item[0]))
    return [{"folder": folder, "count": len(found)} | _counts(found) for folder, found in ordered]


def _manual_reasons(sites: Sequence[Site]) -> list[dict[str, object]]:
    """Why sites stay manual, the most common reason first, each with where it first occurs. Reasons
    that differ only in the line numbers they cite are one reason."""
    by_reason: dict[str, list[Site]] = defaultdict(list)
    for site in sites:
        if site.finding.fix and site.finding.fix.applicability == "manual":
            by_reason[_LINE_NUMBERS.sub(r"\1 N", site.finding.fix.summary)].append(site)
    ordered = sorted(by_reason.items(), key=lambda item: (-len(item[1]), item[0]))[:TOP_MANUAL_REASONS]
    return [{"reason": reason, "count": len(found), "codes": sorted({site.finding.code for site in found}),
             "first": _where(found[0])} for reason, found in ordered]


def _where(site: Site) -> dict[str, object]:
    return {"path": site.path, "cell": site.finding.cell, "line": site.finding.line}


def _record(site: Site) -> dict[str, object]:
    return finding_record(site.path, site.finding) | {"folder": site.folder, "kind": kind(site.finding),
                                                      "file_line": site.file_line}
