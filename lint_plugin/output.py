"""Report formats. JSON is the stable machine interface (see README, "JSON output").

``text`` and ``json`` are contracts; ``concise`` is what editors' problem matchers read, ``github``
is GitHub Actions workflow commands, ``sarif`` is SARIF 2.1.0 for code scanning. The last two point
into files as stored: a notebook finding at the line and column of the ``.ipynb`` file that holds its
code (``sources.CheckedFile.region``), with the cell and cell line in the message.
"""

from __future__ import annotations

import difflib
import json
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TextIO
from urllib.parse import quote

from . import __version__
from .checker import FileReport
from .findings import Finding
from .identity import finding_keys
from .noqa import UnusedNoqa
from .rules import RULES
from .sources import CheckedFile

if TYPE_CHECKING:
    from .baseline import BaselineOutcome

UnusedByPath = Mapping[str, Sequence[UnusedNoqa]]


class Writer(Protocol):
    def __call__(self, reports: Sequence[FileReport], out: TextIO, err: TextIO,
                 unused: UnusedByPath | None = None, *, baseline: BaselineOutcome | None = None) -> None: ...


def location(path: str, finding: Finding | UnusedNoqa) -> str:
    """``path:line:col`` with a 1-based column as flake8 prints it; notebooks name the cell."""
    cell = f"cell {finding.cell}:" if finding.cell is not None else ""
    return f"{path}:{cell}{finding.line}:{finding.column + 1}"


def _unused_lines(unused: UnusedByPath | None) -> list[str]:
    return [f"{location(path, item)}: {item.message}" for path, items in (unused or {}).items() for item in items]


def _baseline_lines(baseline: BaselineOutcome | None) -> list[str]:
    """The ratchet's report for people: how many entries are fixed, then each of them."""
    if baseline is None or not baseline.fixed:
        return []
    level = "error: " if baseline.ratchet else ""
    return [f"aml-migrate: {level}{baseline.fixed_message()} ({baseline.path})"] + [
        f"  {entry.path}: {entry.code} {entry.text}" for entry in baseline.fixed]


def write_text(reports: Sequence[FileReport], out: TextIO, err: TextIO, unused: UnusedByPath | None = None, *,
               baseline: BaselineOutcome | None = None) -> None:
    _write_lines(reports, out, err, unused, baseline, lambda finding: finding.text)


def write_concise(reports: Sequence[FileReport], out: TextIO, err: TextIO, unused: UnusedByPath | None = None, *,
                  baseline: BaselineOutcome | None = None) -> None:
    """One ``path:line:col: CODE message`` per finding, without the fix hint."""
    _write_lines(reports, out, err, unused, baseline, lambda finding: finding.message)


def _write_lines(reports: Sequence[FileReport], out: TextIO, err: TextIO, unused: UnusedByPath | None,
                 baseline: BaselineOutcome | None, message) -> None:  # type: ignore[no-untyped-def]
    for report in reports:
        for finding in report.findings:
            out.write(f"{location(report.path, finding)}: {finding.code} {message(finding)}\n")
        for error in report.errors:
            err.write(f"{report.path}: error: {error.message}\n")
    for line in _unused_lines(unused):
        out.write(line + "\n")
    for line in _baseline_lines(baseline):
        err.write(line + "\n")


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


def write_json(reports: Sequence[FileReport], out: TextIO, err: TextIO, unused: UnusedByPath | None = None, *,
               baseline: BaselineOutcome | None = None) -> None:
    document: dict[str, object] = {
        "version": __version__,
        "files_checked": len(reports),
        "findings": [finding_record(r.path, f) for r in reports for f in r.findings],
        "errors": [{"path": r.path, "message": e.message} for r in reports for e in r.errors],
    }
    if unused is not None:  # only with --report-unused-noqa: the default document stays as documented
        document["unused_noqa"] = [{"path": path, "cell": item.cell, "line": item.line, "column": item.column,
                                    "codes": list(item.codes), "unknown": list(item.unknown),
                                    "message": item.message}
                                   for path, items in unused.items() for item in items]
    if baseline is not None:  # only with a baseline, likewise
        document["baseline"] = {"path": baseline.path, "hidden": baseline.hidden, "ratchet": baseline.ratchet,
                                "fixed": [{"path": e.path, "code": e.code, "source": e.text, "occurrence": e.occurrence}
                                          for e in baseline.fixed]}
    json.dump(document, out, indent=2)
    out.write("\n")


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _annotation(kind: str, path: str, message: str, *, line: int | None = None, column: int | None = None,
                end_line: int | None = None, end_column: int | None = None, title: str | None = None) -> str:
    fields = [("file", path), ("line", line), ("col", column), ("endLine", end_line),
              ("endColumn", end_column), ("title", title)]
    props = ",".join(f"{key}={_escape_property(str(value))}" for key, value in fields if value is not None)
    return f"::{kind} {props}::{_escape_data(message)}\n"


def _cell_prefix(finding: Finding) -> str:
    """Where a notebook finding is as people see the notebook: the file position points into its JSON."""
    return f"cell {finding.cell}, line {finding.line}, column {finding.column + 1}: " if finding.cell is not None else ""


def _annotated_path(path: str) -> str:
    """The runner resolves annotation paths against the workspace: ``./src/a.py`` as ``src/a.py``."""
    relative = os.path.relpath(os.path.abspath(path))
    return path if relative == os.pardir or relative.startswith(os.pardir + os.sep) else relative


def _github_finding(path: str, finding: Finding, source: CheckedFile) -> str:
    message = _cell_prefix(finding) + finding.text
    region = source.region(finding)
    if not region.exact:  # a notebook without a file mapping: annotate the file, not a wrong line
        return _annotation("warning", path, message, title=finding.code)
    return _annotation("warning", path, message, line=region.start_line, column=region.start_column,
                       end_line=region.end_line, end_column=region.end_column, title=finding.code)


def write_github(reports: Sequence[FileReport], out: TextIO, err: TextIO, unused: UnusedByPath | None = None, *,
                 baseline: BaselineOutcome | None = None) -> None:
    """GitHub Actions workflow commands: each finding becomes an annotation on the pull request. A
    notebook finding points at the line of the .ipynb file that holds its source line."""
    for report in reports:
        source = CheckedFile(report.path)
        for finding in report.findings:
            out.write(_github_finding(_annotated_path(report.path), finding, source))
        for error in report.errors:
            out.write(_annotation("error", _annotated_path(report.path), error.message, title="aml-migrate"))
    for path, items in (unused or {}).items():
        for item in items:
            message = item.message if item.cell is None else f"cell {item.cell}, line {item.line}: {item.message}"
            line = item.line if item.cell is None else None
            out.write(_annotation("warning", _annotated_path(path), message, line=line, title="unused noqa"))
    if baseline is not None and baseline.fixed:
        details = "; ".join(f"{entry.path}: {entry.code} {entry.text}" for entry in baseline.fixed)
        out.write(f"::{'error' if baseline.ratchet else 'notice'} title=aml-migrate baseline::"
                  f"{_escape_data(f'{baseline.fixed_message()} ({baseline.path}): {details}')}\n")


SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def _artifact(path: str) -> dict[str, object]:
    """A repository-relative URI when the file is under the working directory (what code scanning
    resolves against the checkout), else an absolute ``file:`` URI."""
    relative = os.path.relpath(os.path.abspath(path))
    if relative == os.pardir or relative.startswith(os.pardir + os.sep):
        return {"uri": Path(os.path.abspath(path)).as_uri()}
    return {"uri": quote(Path(relative).as_posix()), "uriBaseId": "%SRCROOT%"}


def _sarif_rules() -> list[dict[str, object]]:
    from .docs import fix_availability, rule_document

    return [{
        "id": rule.code,
        "name": rule.symbol,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.description},
        "help": {"text": rule_document(rule), "markdown": rule_document(rule)},
        "defaultConfiguration": {"level": "warning"},
        "properties": {"tags": ["azureml", "deprecation"], "pylintId": rule.pylint_id, "fixes": list(rule.fixes),
                       "fixAvailability": fix_availability(rule), "since": rule.since},
    } for rule in RULES]


def _sarif_fixes(source: CheckedFile, finding: Finding, report: FileReport) -> list[dict[str, object]]:
    """The fixer's rewrite of this one finding as replacements of whole lines (Python files only: in a
    notebook, lines count within cells, not within the .ipynb file)."""
    from .fix.api import fix_finding

    fixed = fix_finding(source.text, finding, env_style=report.env_style, target=report.target)
    if fixed is None:
        return []
    new, outcome = fixed
    old_lines, new_lines = source.text.splitlines(keepends=True), new.splitlines(keepends=True)
    offsets = [0]
    for text in old_lines:
        offsets.append(offsets[-1] + len(text))
    replacements = [{"deletedRegion": {"charOffset": offsets[i1], "charLength": offsets[i2] - offsets[i1]},
                     "insertedContent": {"text": "".join(new_lines[j1:j2])}}
                    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old_lines, new_lines).get_opcodes()
                    if tag != "equal"]
    return [{"description": {"text": f"{outcome.applicability}: {outcome.summary}"},
             "artifactChanges": [{"artifactLocation": _artifact(source.path), "replacements": replacements}]}]


FINGERPRINT = "amlMigrateFindingKey/v1"  # our own key: primaryLocationLineHash is GitHub's to compute


def _sarif_result(report: FileReport, finding: Finding, fingerprint: str, index: dict[str, int],
                  source: CheckedFile) -> dict[str, object]:
    path = report.path
    properties: dict[str, object] = {"symbol": finding.symbol}
    fixes: list[dict[str, object]] = []
    if finding.fix:
        properties["fix"] = {"applicability": finding.fix.applicability, "summary": finding.fix.summary}
        if finding.fix.applicability != "manual" and finding.cell is None:
            fixes = _sarif_fixes(source, finding, report)
    region = source.region(finding)
    if finding.cell is not None:
        # The region is where the cell's line is stored in the .ipynb file; people read cells.
        properties.update(cell=finding.cell, cellLine=finding.line, cellColumn=finding.column + 1)
        if not region.exact:
            properties["regionIsFileStart"] = True
    physical = {"artifactLocation": _artifact(path),
                "region": {"startLine": region.start_line, "startColumn": region.start_column,
                           "endLine": region.end_line, "endColumn": region.end_column}}
    result = {"ruleId": finding.code, "ruleIndex": index[finding.code], "level": "warning",
              "message": {"text": _cell_prefix(finding) + finding.text}, "locations": [{"physicalLocation": physical}],
              "partialFingerprints": {FINGERPRINT: fingerprint}, "properties": properties}
    return result | {"fixes": fixes} if fixes else result


def _notification(level: str, path: str | None, message: str) -> dict[str, object]:
    notification: dict[str, object] = {"level": level, "message": {"text": message}}
    if path is not None:
        notification["locations"] = [{"physicalLocation": {"artifactLocation": _artifact(path)}}]
    return notification


def _fingerprint_path(path: str) -> str:
    return os.path.relpath(os.path.abspath(path)).replace(os.sep, "/")


def sarif_log(reports: Sequence[FileReport], unused: UnusedByPath | None = None,
              baseline: BaselineOutcome | None = None) -> dict[str, object]:
    index = {rule.code: position for position, rule in enumerate(RULES)}
    results = []
    for report in reports:
        source = CheckedFile(report.path)
        keys = finding_keys(_fingerprint_path(report.path), report.findings, source)
        results += [_sarif_result(report, finding, key.fingerprint(), index, source)
                    for finding, key in zip(report.findings, keys)]
    notifications = [_notification("error", r.path, e.message) for r in reports for e in r.errors]
    notifications += [_notification("warning", path, f"{location(path, item)}: {item.message}")
                      for path, items in (unused or {}).items() for item in items]
    if baseline is not None and baseline.fixed:
        notifications.append(_notification("error" if baseline.ratchet else "note", None,
                                           f"{baseline.fixed_message()} ({baseline.path})"))
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "aml-migrate", "version": __version__, "semanticVersion": __version__,
                                "rules": _sarif_rules()}},
            "invocations": [{"executionSuccessful": True, "toolExecutionNotifications": notifications}],
            "originalUriBaseIds": {"%SRCROOT%": {"uri": Path.cwd().as_uri() + "/"}},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }


def sarif_text(reports: Sequence[FileReport], unused: UnusedByPath | None = None,
               baseline: BaselineOutcome | None = None) -> str:
    return json.dumps(sarif_log(reports, unused, baseline), indent=2) + "\n"


def write_sarif(reports: Sequence[FileReport], out: TextIO, err: TextIO, unused: UnusedByPath | None = None, *,
                baseline: BaselineOutcome | None = None) -> None:
    out.write(sarif_text(reports, unused, baseline))


FORMATS: dict[str, Writer] = {"text": write_text, "json": write_json, "concise": write_concise,
                              "github": write_github, "sarif": write_sarif}
