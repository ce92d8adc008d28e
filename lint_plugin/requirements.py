"""AML501: requirement pins of azureml-sdk / azureml-core that allow no version >= 1.15.0.

Reads requirements files, setup.cfg, setup.py, pyproject.toml and conda YAML line by line: the
requirement syntax is the same in all of them (conda's single ``=`` pin is read as ``==``).
"""

from __future__ import annotations

import fnmatch
import re
from typing import TYPE_CHECKING

from .findings import Finding
from .rules import BY_CODE

if TYPE_CHECKING:
    from packaging.version import Version

MINIMUM = "1.15.0"
FILE_NAMES = ("setup.cfg", "setup.py", "pyproject.toml")
FILE_PATTERNS = ("*requirements*.txt", "*requirements*.in", "*environment*.yml", "*environment*.yaml",
                 "*conda*.yml", "*conda*.yaml", "*dependencies*.yml", "*dependencies*.yaml")
_REQUIREMENT = re.compile(
    r"(?<![\w.-])(?P<package>azureml[-_.](?:sdk|core))(?P<extras>\[[^\]]*\])?\s*"
    r"(?P<spec>(?:===?|[<>!~]=?|=)\s*[\w.*+!-]+(?:\s*,\s*(?:===?|[<>!~]=?)\s*[\w.*+!-]+)*)",
    re.IGNORECASE,
)


def is_requirements_file(name: str) -> bool:
    return name in FILE_NAMES or any(fnmatch.fnmatch(name, pattern) for pattern in FILE_PATTERNS)


def check_requirements(text: str) -> list[Finding]:
    findings = []
    for number, line in enumerate(text.splitlines(), start=1):
        code_part = re.split(r"(?:^|\s)#", line, maxsplit=1)[0]
        for match in _REQUIREMENT.finditer(code_part):
            spec = re.sub(r"\s+", "", match.group("spec"))
            if _caps_below_minimum(spec):
                package = re.sub(r"[-_.]", "-", match.group("package").lower())  # PEP 503 normalisation
                message = BY_CODE["AML501"].format(package=package, spec=spec)
                findings.append(Finding("AML501", number, match.start(), number, match.end(), message))
    return findings


def load_version_parsing() -> None:
    """Import ``packaging`` now (a process pool's parent, before it forks its workers)."""
    import packaging.specifiers  # noqa: F401
    import packaging.version  # noqa: F401


def _caps_below_minimum(spec: str) -> bool:
    # packaging is imported here: only files that pin the SDK pay for it.
    from packaging.specifiers import InvalidSpecifier, Specifier
    from packaging.version import InvalidVersion, Version

    minimum = Version(MINIMUM)
    for clause in spec.split(","):
        if re.fullmatch(r"=[^=].*", clause):  # conda's `pkg=1.0.10`
            clause = "=" + clause
        try:
            specifier = Specifier(clause)
            if _specifier_caps(specifier.operator, specifier.version, minimum):
                return True
        except (InvalidSpecifier, InvalidVersion):
            continue
    return False


def _prefix_allows(release: tuple[int, ...], minimum: Version) -> bool:
    """Versions starting with ``release`` include one >= ``minimum``."""
    return release >= minimum.release[: len(release)]


def _specifier_caps(operator: str, version_text: str, minimum: Version) -> bool:
    from packaging.version import Version

    if operator in ("==", "===") and version_text.endswith(".*"):
        return not _prefix_allows(Version(version_text[:-2]).release, minimum)
    version = Version(version_text)
    if operator in ("==", "==="):
        return version < minimum
    if operator == "<":
        return version <= minimum
    if operator == "<=":
        return version < minimum
    if operator == "~=":
        return not _prefix_allows(version.release[:-1], minimum)
    return False
