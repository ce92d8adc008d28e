"""Report formats. JSON is the stable machine interface (see README, "JSON output").

``text`` and ``json`` are contracts; ``concise`` is what editors' problem matchers read, ``github``
is GitHub Actions workflow commands, ``sarif`` is SARIF 2.1.0 for code scanning.
"""

from __future__ import annotations

import difflib
import functools
import io
import json
import os
import tokenize
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Protocol, TextIO
from urllib.parse import quote

from . import __version__
from .checker import FileReport
from .findings import Finding, character_column
from .noqa import UnusedNoqa
from .rules import RULES

UnusedByPath = Mapping[str, Sequence[UnusedNoqa]]


class Writer(Protocol):
    def __call__(self, reports: Sequence[FileReport], out: TextIO, err: TextIO,
                 unused: UnusedByPath | None = None) -> None: ...


def location(path: str, finding: Finding | UnusedNoqa) -> str:
    """``path:line:col`` with a 1-based column as flake8 prints it; notebooks name the cell."""
    cell = f"cell {finding.cell}:" if finding.cell is not None else ""
    return f"{path}:{cell}{finding.line}:{finding.column + 1}"


def _unused_lines(unused: UnusedByPath | None) -> list[str]:
    return [f"{location(path, item)}: {item.message}" for path, items in (unused or {}).items() for item in items]


def write_text(reports: Sequence[FileReport], out: TextIO, err: TextIO, unused: UnusedByPath | None = None) -> None:
    for report in reports:
        for finding in report.findings:
            out.write(f"{location(report.path, finding)}: {finding.code} {finding.text}\n")
        for error in report.errors:
            err.write(f"{report.path}: error: {error.message}\n")
    for line in _unused_lines(unused):
        out.write(line + "\n")


def write_concise(reports: Sequence[FileReport], out: TextIO, err: TextIO,
                  unused: UnusedByPath | None = None) -> None:
    """One ``path:line:col: CODE message`` per finding, without the fix hint."""
    for report in reports:
        for finding in report.findings:
            out.write(f"{location(report.path, finding)}: {finding.code} {finding.message}\n")
        for error in report.errors:
            err.write(f"{report.path}: error: {error.message}\n")
    for line in _unused_lines(unused):
        out.write(line + "\n")


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


def write_json(reports: Sequence[FileReport], out: TextIO, err: TextIO, unused: UnusedByPath | None = None) -> None:
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


def _github_finding(path: str, finding: Finding) -> str:
    title = finding.code
    if finding.cell is None:
        return _annotation("warning", path, finding.text, line=finding.line, column=finding.column + 1,
                           end_line=finding.end_line, end_column=finding.end_column + 1, title=title)
    # A notebook's line numbers are within a cell, not lines of the .ipynb file: say so in the
    # message and annotate the file rather than point at the wrong line of its JSON.
    where = f"cell {finding.cell}, line {finding.line}, column {finding.column + 1}"
    return _annotation("warning", path, f"{where}: {finding.text}", title=title)


def write_github(reports: Sequence[FileReport], out: TextIO, err: TextIO,
                 unused: UnusedByPath | None = None) -> None:
    """GitHub Actions workflow commands: each finding becomes an annotation on the pull request."""
    for report in reports:
        for finding in report.findings:
            out.write(_github_finding(report.path, finding))
        for error in report.errors:
            out.write(_annotation("error", report.path, error.message, title="aml-migrate"))
    for path, items in (unused or {}).items():
        for item in items:
            message = item.message if item.cell is None else f"cell {item.cell}, line {item.line}: {item.message}"
            line = item.line if item.cell is None else None
            out.write(_annotation("warning", path, message, line=line, title="unused noqa"))


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
        "fullDescription": {"text": rule.flags},
        "help": {"text": rule_document(rule), "markdown": rule_document(rule)},
        "defaultConfiguration": {"level": "warning"},
        "properties": {"tags": ["azureml", "deprecation"], "pylintId": rule.pylint_id, "fixes": list(rule.fixes),
                       "fixAvailability": fix_availability(rule), "since": rule.since},
    } for rule in RULES]


class _Source:
    """A checked file's text, read once and only when asked (columns, fixes), newlines kept as they are."""

    def __init__(self, path: str) -> None:
        self.path = path

    @functools.cached_property
    def text(self) -> str:
        try:
            with open(self.path, "rb") as handle:
                data = handle.read()
            encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)  # a BOM or coding cookie
            return data.decode(encoding)
        except (OSError, SyntaxError, LookupError, UnicodeError):
            return ""

    @functools.cached_property
    def lines(self) -> list[str]:
        return self.text.split("\n")

    def line(self, number: int) -> str:
        return self.lines[number - 1] if 0 < number <= len(self.lines) else ""


def _code_points(line: str, byte_column: int) -> int:
    """ast's UTF-8 byte column -> SARIF's 1-based column in Unicode code points."""
    return character_column(line, byte_column) + 1


def _sarif_fixes(source: _Source, finding: Finding) -> list[dict[str, object]]:
    """The fixer's rewrite of this one finding as replacements of whole lines (Python files only: in a
    notebook, lines count within cells, not within the .ipynb file)."""
    from .fix.api import fix_finding

    fixed = fix_finding(source.text, finding)
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


def _sarif_result(path: str, finding: Finding, index: dict[str, int], source: _Source) -> dict[str, object]:
    properties: dict[str, object] = {"symbol": finding.symbol}
    fixes: list[dict[str, object]] = []
    if finding.fix:
        properties["fix"] = {"applicability": finding.fix.applicability, "summary": finding.fix.summary}
        if finding.fix.applicability != "manual" and finding.cell is None:
            fixes = _sarif_fixes(source, finding)
    physical: dict[str, object] = {"artifactLocation": _artifact(path)}
    message = finding.text
    if finding.cell is None:
        physical["region"] = {"startLine": finding.line,
                              "startColumn": _code_points(source.line(finding.line), finding.column),
                              "endLine": finding.end_line,
                              "endColumn": _code_points(source.line(finding.end_line), finding.end_column)}
    else:
        # Lines of a notebook count within its cell, not within the .ipynb file: no file region.
        message = f"cell {finding.cell}, line {finding.line}, column {finding.column + 1}: {message}"
        properties.update(cell=finding.cell, cellLine=finding.line, cellColumn=finding.column + 1)
    result = {"ruleId": finding.code, "ruleIndex": index[finding.code], "level": "warning",
              "message": {"text": message}, "locations": [{"physicalLocation": physical}], "properties": properties}
    return result | {"fixes": fixes} if fixes else result


def _notification(level: str, path: str, message: str) -> dict[str, object]:
    return {"level": level, "message": {"text": message},
            "locations": [{"physicalLocation": {"artifactLocation": _artifact(path)}}]}


def sarif_log(reports: Sequence[FileReport], unused: UnusedByPath | None = None) -> dict[str, object]:
    index = {rule.code: position for position, rule in enumerate(RULES)}
    results = []
    for report in reports:
        source = _Source(report.path)
        results += [_sarif_result(report.path, finding, index, source) for finding in report.findings]
    notifications = [_notification("error", r.path, e.message) for r in reports for e in r.errors]
    notifications += [_notification("warning", path, f"{location(path, item)}: {item.message}")
                      for path, items in (unused or {}).items() for item in items]
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


def write_sarif(reports: Sequence[FileReport], out: TextIO, err: TextIO, unused: UnusedByPath | None = None) -> None:
    json.dump(sarif_log(reports, unused), out, indent=2)
    out.write("\n")


FORMATS: dict[str, Writer] = {"text": write_text, "json": write_json, "concise": write_concise,
                              "github": write_github, "sarif": write_sarif}
