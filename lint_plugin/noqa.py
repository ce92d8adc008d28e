"""``# noqa`` and ``# noqa: AML101,AML301`` on a finding's line, and a file-level ``# aml-migrate: noqa``.

flake8 applies its own noqa; the CLI and the pylint adapter use this one, with flake8's semantics
(codes separated by commas or spaces; a listed prefix covers the codes it starts).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .findings import Finding

_NOQA = re.compile(r"#\s*noqa(?::\s?(?P<codes>[A-Z]+[0-9]*(?:[,\s]+[A-Z]+[0-9]*)*))?", re.IGNORECASE)
_FILE_NOQA = re.compile(r"#\s*aml-migrate:\s*noqa\b", re.IGNORECASE)


def file_is_exempt(source: str) -> bool:
    return _FILE_NOQA.search(source) is not None


def _suppresses(line: str, code: str) -> bool:
    match = _NOQA.search(line)
    if match is None:
        return False
    codes = match.group("codes")
    if not codes:
        return True
    return any(code.startswith(listed.upper()) for listed in re.split(r"[,\s]+", codes.strip()) if listed)


def without_suppressed(findings: Iterable[Finding], lines: list[str]) -> list[Finding]:
    return [f for f in findings if not (0 < f.line <= len(lines) and _suppresses(lines[f.line - 1], f.code))]
