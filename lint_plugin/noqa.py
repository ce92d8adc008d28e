"""``# noqa`` and ``# noqa: AML101,AML301`` on a finding's line, and a file-level ``# aml-migrate: noqa``.

flake8 applies its own noqa; the CLI and the pylint adapter use this one, with flake8's semantics
(codes separated by commas or spaces; a listed prefix covers the codes it starts).

``--report-unused-noqa`` asks the other question: which AML codes named in a ``noqa`` comment
suppressed nothing, or name no rule at all. Other tools' codes (``E501``) and bare ``# noqa`` are
never reported: this tool cannot know whether they are used.
"""

from __future__ import annotations

import io
import re
import tokenize
from collections.abc import Iterable
from dataclasses import dataclass

from .findings import Finding

_NOQA = re.compile(r"#\s*noqa(?::\s?(?P<codes>[A-Z]+[0-9]*(?:[,\s]+[A-Z]+[0-9]*)*))?", re.IGNORECASE)
_FILE_NOQA = re.compile(r"#\s*aml-migrate:\s*noqa\b", re.IGNORECASE)
_OWN_PREFIX = "AML"


def file_is_exempt(source: str) -> bool:
    return _FILE_NOQA.search(source) is not None


def _listed(match: re.Match[str]) -> list[str]:
    codes = match.group("codes") or ""
    return [code.upper() for code in re.split(r"[,\s]+", codes.strip()) if code]


def _suppresses(line: str, code: str) -> bool:
    match = _NOQA.search(line)
    if match is None:
        return False
    listed = _listed(match)
    return not listed or any(code.startswith(prefix) for prefix in listed)


def without_suppressed(findings: Iterable[Finding], lines: list[str]) -> list[Finding]:
    return [f for f in findings if not (0 < f.line <= len(lines) and _suppresses(lines[f.line - 1], f.code))]


@dataclass(frozen=True)
class UnusedNoqa:
    """A ``noqa`` comment naming AML codes that suppressed nothing (``codes``) or no rule (``unknown``)."""

    line: int  # 1-based; within the cell for notebooks
    column: int  # 0-based column of the comment
    codes: tuple[str, ...]
    unknown: tuple[str, ...]
    cell: int | None = None

    @property
    def message(self) -> str:
        parts = []
        if self.unknown:
            parts.append(f"unknown rule code in noqa: {', '.join(self.unknown)}")
        if self.codes:
            parts.append(f"unused noqa: {', '.join(self.codes)} suppressed nothing")
        return "; ".join(parts)


def _noqa_comments(source: str) -> Iterable[tuple[int, int, list[str]]]:
    """(line, column, listed codes) of every ``noqa`` comment; real comments only, not strings."""
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type == tokenize.COMMENT and (match := _NOQA.search(token.string)):
                yield token.start[0], token.start[1], _listed(match)
    except (tokenize.TokenError, SyntaxError):
        return  # the analysis reports unparsable source; nothing to say about its comments


def unused_noqa(source: str, findings: Iterable[Finding], enabled: frozenset[str]) -> list[UnusedNoqa]:
    """Judge each ``noqa`` comment against the findings it could suppress (before suppression).

    A listed code whose rules are all disabled is not judged: it may well be used when they run."""
    from .rules import unknown_codes

    by_line: dict[int, set[str]] = {}
    for finding in findings:
        by_line.setdefault(finding.line, set()).add(finding.code)
    unused = []
    for line, column, listed in _noqa_comments(source):
        own = [code for code in listed if code.startswith(_OWN_PREFIX)]
        unknown = unknown_codes(own)
        found = by_line.get(line, set())
        idle = [code for code in own if code not in unknown
                and not any(hit.startswith(code) for hit in found)
                and any(rule.startswith(code) for rule in enabled)]
        if unknown or idle:
            unused.append(UnusedNoqa(line, column, tuple(idle), tuple(unknown)))
    return unused


def unused_noqa_in_file(path: str, enabled: frozenset[str]) -> list[UnusedNoqa]:
    """``--report-unused-noqa`` for one ``.py`` or ``.ipynb`` file: analyse it again, unsuppressed.

    Unreadable or unparsable files give nothing here: ``check`` already reports them as errors."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError:
        return []
    if b"noqa" not in data:
        return []
    if path.endswith(".ipynb"):
        return _unused_in_notebook(data, enabled)
    if not path.endswith(".py"):
        return []
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        source = data.decode(encoding).removeprefix("\ufeff")
    except (SyntaxError, LookupError, UnicodeError):
        return []
    return _unused_in_source(source, path, enabled)


def _unused_in_source(source: str, path: str, enabled: frozenset[str]) -> list[UnusedNoqa]:
    from .engine import analyze_source

    if file_is_exempt(source):
        return []
    analysis = analyze_source(source, path, enabled)
    return [] if analysis.errors else unused_noqa(source, analysis.findings, enabled)


def _unused_in_notebook(data: bytes, enabled: frozenset[str]) -> list[UnusedNoqa]:
    from dataclasses import replace

    from .notebooks import NotebookError, read_notebook, virtual_module

    try:
        module = virtual_module(read_notebook(data.decode("utf-8-sig")))
    except (UnicodeError, NotebookError):
        return []
    mapped = []
    for item in _unused_in_source(module.source, "<notebook>", enabled):
        cell, line = module.locate(item.line)
        mapped.append(replace(item, line=line, cell=cell))
    return mapped
