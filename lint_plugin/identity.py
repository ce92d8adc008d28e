"""What identifies a finding across edits of its file: path, code, the normalised text of the line it
flags, and which of several identical lines it is. Never the line number, so editing code above a
finding keeps it the same finding; editing the flagged line itself may make it a new one. In a
notebook the line is read from its cell, so cells are told apart by what they hold, never by index.

The baseline matches findings by this key; SARIF's ``partialFingerprints`` are a hash of it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from .findings import Finding
from .sources import CheckedFile


@dataclass(frozen=True, order=True)
class FindingKey:
    path: str  # relative, with forward slashes
    code: str
    text: str  # the flagged line, whitespace runs collapsed and trimmed
    occurrence: int  # 0 for the first finding of this code on such a line in the file, 1 for the next...

    def fingerprint(self) -> str:
        """A stable hash of the key, for SARIF (the fields are joined unambiguously)."""
        import hashlib  # only SARIF asks: OpenSSL's import is a cost check would pay on every run

        digest = hashlib.sha256("\0".join((self.path, self.code, self.text, str(self.occurrence))).encode())
        return digest.hexdigest()[:32]


def normalised(line: str) -> str:
    """Indentation and spacing do not make a different line: re-indenting code keeps its findings."""
    return " ".join(line.split())


def finding_keys(path: str, findings: list[Finding], source: CheckedFile) -> list[FindingKey]:
    """The key of each of ``findings`` (one file's, in the checker's order), named by ``path``."""
    seen: Counter[tuple[str, str]] = Counter()
    keys = []
    for finding in findings:
        text = normalised(source.flagged_line(finding))
        keys.append(FindingKey(path, finding.code, text, seen[(finding.code, text)]))
        seen[(finding.code, text)] += 1
    return keys
