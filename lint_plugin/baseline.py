"""The baseline: findings a legacy repository already has, recorded so that ``check`` reports only new
ones, and a ratchet so the record can only shrink.

A finding is matched by its :class:`~lint_plugin.identity.FindingKey` (path, code, normalised line
text, occurrence), never by line number. Paths in the file are relative to the file's own directory,
so it works from any working directory. The file is JSON sorted by key, one entry a line, so its
diffs review well; it is written atomically.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from .checker import FileReport
from .identity import FindingKey, finding_keys
from .sources import CheckedFile

FORMAT_VERSION = 1
ABOUT = ("aml-migrate baseline: findings that 'aml-migrate check --baseline' does not report. "
         "Regenerate with 'aml-migrate check --write-baseline'; never edit by hand.")


class BaselineError(ValueError):
    """A baseline file that cannot be used; the message names the file."""


@dataclass(frozen=True)
class Baseline:
    path: str
    entries: frozenset[FindingKey] = frozenset()

    @property
    def root(self) -> str:
        return os.path.dirname(os.path.abspath(self.path))

    def relative(self, path: str) -> str:
        """``path`` as the baseline names it."""
        return os.path.relpath(os.path.abspath(path), self.root).replace(os.sep, "/")

    def absolute(self, entry: FindingKey) -> str:
        return os.path.normpath(os.path.join(self.root, entry.path))


@dataclass
class BaselineOutcome:
    """What applying a baseline did: how many findings it hid, and which entries match nothing any more."""

    path: str
    hidden: int = 0
    fixed: list[FindingKey] = field(default_factory=list)
    ratchet: bool = False  # fixed entries close the gate

    def fixed_message(self) -> str:
        count = len(self.fixed)
        entries = "baseline entry is" if count == 1 else "baseline entries are"
        return f"{count} {entries} fixed: run --write-baseline to shrink it"


def keys_of(reports: Sequence[FileReport], name: Callable[[str], str]) -> list[list[FindingKey]]:
    """The key of every finding, report by report, each file named by ``name(path)``."""
    return [finding_keys(name(report.path), report.findings, CheckedFile(report.path)) for report in reports]


def apply_baseline(baseline: Baseline, reports: Sequence[FileReport],
                   in_scope: Callable[[FindingKey], bool]) -> BaselineOutcome:
    """Drop the findings ``baseline`` records from ``reports``; entries that match nothing and that this
    run could have matched (``in_scope``) are the fixed ones."""
    outcome = BaselineOutcome(baseline.path)
    matched: set[FindingKey] = set()
    for report, keys in zip(reports, keys_of(reports, baseline.relative)):
        kept = []
        for finding, key in zip(report.findings, keys):
            if key in baseline.entries:
                matched.add(key)
            else:
                kept.append(finding)
        outcome.hidden += len(report.findings) - len(kept)
        report.findings = kept
    outcome.fixed = sorted(entry for entry in baseline.entries - matched if in_scope(entry))
    return outcome


def load_baseline(path: str) -> Baseline:
    try:
        with open(path, encoding="utf-8") as handle:
            document = json.load(handle)
    except FileNotFoundError:
        raise BaselineError(f"{path}: no such baseline file (create it with --write-baseline)") from None
    except OSError as error:
        raise BaselineError(f"{path}: cannot read: {error.strerror or error}") from None
    except UnicodeDecodeError as error:
        raise BaselineError(f"{path}: not UTF-8 text at byte {error.start}") from None
    except json.JSONDecodeError as error:
        raise BaselineError(f"{path}: not valid JSON at line {error.lineno}: {error.msg}") from None
    return Baseline(path, frozenset(_entries(path, document)))


def _entries(path: str, document: object) -> list[FindingKey]:
    if not isinstance(document, dict) or document.get("version") != FORMAT_VERSION:
        raise BaselineError(f"{path}: not an aml-migrate baseline (expected \"version\": {FORMAT_VERSION})")
    findings = document.get("findings")
    if not isinstance(findings, list):
        raise BaselineError(f"{path}: not an aml-migrate baseline (\"findings\" is not a list)")
    return [_entry(path, number, item) for number, item in enumerate(findings, 1)]


def _entry(path: str, number: int, item: object) -> FindingKey:
    if (isinstance(item, dict) and isinstance(item.get("path"), str) and isinstance(item.get("code"), str)
            and isinstance(item.get("source"), str) and isinstance(item.get("occurrence"), int)
            and not isinstance(item["occurrence"], bool) and item["occurrence"] >= 0):
        return FindingKey(item["path"], item["code"], item["source"], item["occurrence"])
    raise BaselineError(f"{path}: finding {number} needs \"path\", \"code\", \"source\" (text) and "
                        f"\"occurrence\" (a number from 0): got {json.dumps(item)[:120]}")


def render(entries: Sequence[FindingKey]) -> str:
    """The file's text: stable (sorted, one entry a line, keys in a fixed order) so diffs stay small."""
    lines = [json.dumps({"path": e.path, "code": e.code, "source": e.text, "occurrence": e.occurrence},
                        ensure_ascii=False) for e in sorted(set(entries))]
    body = ",\n    ".join(lines)
    findings = f"[\n    {body}\n  ]" if lines else "[]"
    return (f"{{\n  \"version\": {FORMAT_VERSION},\n  \"about\": {json.dumps(ABOUT)},\n"
            f"  \"findings\": {findings}\n}}\n")


def write_baseline(path: str, reports: Sequence[FileReport]) -> list[FindingKey]:
    """Record every finding of ``reports`` in ``path`` (atomically); returns the entries written."""
    from .atomic import write_atomically  # tempfile: only when writing

    baseline = Baseline(path)
    entries = [key for keys in keys_of(reports, baseline.relative) for key in keys]
    write_atomically(path, render(entries).encode("utf-8"))
    return entries
