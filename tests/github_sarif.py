"""The rules GitHub documents for uploading SARIF to code scanning, as a checker for tests.

From "SARIF support for code scanning" (docs.github.com) and the GitHub rules of the SARIF validator
(GH1001-GH1007): every result names a ``ruleId`` that the run's ``tool.driver.rules`` defines, has a
fully formatted ``message.text``, and its first location is a physical location whose
``artifactLocation.uri`` is relative to the repository root (with a ``uriBaseId``) and whose
``region.startLine`` is given (GH1003); lines and columns are 1-based. ``partialFingerprints`` keep
alerts stable across runs (``primaryLocationLineHash`` is GitHub's own key, recomputed on upload).
Upload limits: 20 runs a file, 25,000 results and 25,000 rules a run, 1,000 locations a result.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlparse

MAX_RUNS, MAX_RESULTS, MAX_RULES, MAX_LOCATIONS = 20, 25_000, 25_000, 1_000


def upload_problems(log: dict, repository: Path) -> list[str]:
    """Every way ``log`` breaks GitHub's documented upload rules; files must exist under ``repository``."""
    problems = []
    if log.get("version") != "2.1.0":
        problems.append("version is not 2.1.0")
    runs = log.get("runs")
    if not isinstance(runs, list) or not 1 <= len(runs) <= MAX_RUNS:
        return problems + [f"runs must be a list of 1 to {MAX_RUNS} runs"]
    for number, run in enumerate(runs):
        problems += [f"run {number}: {problem}" for problem in _run_problems(run, repository)]
    return problems


def _run_problems(run: dict, repository: Path) -> list[str]:
    driver = run.get("tool", {}).get("driver", {})
    problems = [] if driver.get("name") else ["tool.driver.name is missing"]
    rules = driver.get("rules", [])
    ids = [rule.get("id") for rule in rules]
    if len(set(ids)) != len(ids) or not all(ids) or len(ids) > MAX_RULES:
        problems.append("rule ids must be present, unique and at most 25,000")
    for base, value in run.get("originalUriBaseIds", {}).items():
        if not value.get("uri", "").endswith("/"):
            problems.append(f"originalUriBaseIds[{base}] must end with '/'")
    results = run.get("results", [])
    if len(results) > MAX_RESULTS:
        problems.append("more than 25,000 results")
    for number, result in enumerate(results):
        problems += [f"result {number}: {problem}" for problem in _result_problems(result, ids, repository)]
    return problems


def _result_problems(result: dict, rule_ids: list[str], repository: Path) -> list[str]:
    problems = []
    if result.get("ruleId") not in rule_ids:
        problems.append(f"ruleId {result.get('ruleId')!r} is not in tool.driver.rules")
    elif "ruleIndex" in result and rule_ids[result["ruleIndex"]] != result["ruleId"]:
        problems.append("ruleIndex names another rule")
    text = result.get("message", {}).get("text")
    if not text or re.search(r"\{\d+\}", text):
        problems.append("message.text must be present and fully formatted (GH1007)")
    fingerprints = result.get("partialFingerprints")
    if not isinstance(fingerprints, dict) or not fingerprints or not all(
            isinstance(key, str) and isinstance(value, str) and value for key, value in fingerprints.items()):
        problems.append("partialFingerprints must map names to non-empty strings")
    locations = result.get("locations")
    if not isinstance(locations, list) or not 1 <= len(locations) <= MAX_LOCATIONS:
        return problems + ["locations must hold 1 to 1,000 locations"]
    return problems + _location_problems(locations[0].get("physicalLocation") or {}, repository)


def _location_problems(physical: dict, repository: Path) -> list[str]:
    artifact = physical.get("artifactLocation", {})
    uri = artifact.get("uri", "")
    problems = []
    if not uri or urlparse(uri).scheme or uri.startswith("/") or "uriBaseId" not in artifact:
        problems.append(f"artifactLocation.uri {uri!r} must be relative to the repository root, with a uriBaseId")
    elif not (repository / unquote(uri)).is_file():
        problems.append(f"artifactLocation.uri {uri!r} is not a file of the repository")
    region = physical.get("region")
    if not isinstance(region, dict) or not _positive(region.get("startLine")):
        return problems + ["region.startLine is required and must be >= 1 (GH1003)"]
    for key in ("startColumn", "endLine", "endColumn"):
        if key in region and not _positive(region[key]):
            problems.append(f"region.{key} must be >= 1")
    end_line = region.get("endLine", region["startLine"])
    if _positive(end_line) and end_line < region["startLine"]:
        problems.append("region ends before it starts")
    elif end_line == region["startLine"] and region.get("endColumn", 1 << 30) < region.get("startColumn", 1):
        problems.append("region ends before it starts")
    return problems


def _positive(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 1
