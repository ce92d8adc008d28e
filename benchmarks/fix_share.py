"""How much of a corpus ``aml-migrate fix`` migrates: the yardstick of issue 11.

For every AML101 estimator site under the given paths (default: ``benchmarks/realistic``), this says
whether the fixer rewrites it (``safe`` / ``unsafe``) or leaves it ``manual``, prints the share
rewritten and the manual reasons grouped (most frequent first), and the checker's findings per rule.
A folder holding a ``sites.json`` (``{"estimator_sites": {"relative/path.py": 2, ...}}``) also gets
the number of estimator sites written into it compared with what the checker detected.

Every file is also held to the fixer's contract: the fixed output parses, re-checking it reports
nothing the fixer claimed to fix, fixing it again changes nothing, and it does not do at run time
what the estimator code did not (read an estimator-only attribute from what is now a
ScriptRunConfig; pass a Datastore, which the estimator mounted, as a plain argument; drop
``script_params`` keys from a job that is still submitted directly). A violation, or a fixer
crash, is printed loudly and makes the exit status 1.

    python benchmarks/fix_share.py [PATH ...] [--env-style exact|curated] [--target scriptrunconfig|v2]
                                   [--json] [--sites]

With ``--target v2`` a site counts as rewritten when stage 1 rewrites the estimator and stage 2 moves the
job it became to an azure-ai-ml command job (the AML602 outcome on the estimator's line); the manual
reasons are then those of whichever stage left it, and the contract is checked with every rule, the
opt-in SDK v2 ones included.

Only the standard library and aml-migrate's public API are used, so the numbers are what users get.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import re
import sys
import traceback
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from lint_plugin.analysis import DEFAULT_PYTHON_CODES, PYTHON_CODES
from lint_plugin.engine import analyze_source
from lint_plugin.fix import FixResult, fix_notebook, fix_source
from lint_plugin.notebooks import NotebookError, read_notebook, virtual_module

CORPUS = Path(__file__).resolve().parent / "realistic"
MANIFEST = "sites.json"
SKIPPED_DIRS = frozenset({".git", "__pycache__", ".ipynb_checkpoints", ".venv", "venv", "node_modules"})
EXAMPLES_PER_REASON = 3
CONTRACT_KEPT = ("Contract kept: every fixed file parses, re-checks clean for what was fixed, is stable, "
                 "and shows none of the known run-time changes.")


@dataclass
class Site:
    """One AML101 finding and what ``fix`` did with it."""

    path: str
    cell: int | None
    line: int
    message: str
    outcome: str = "none"  # safe, unsafe, manual, crash, or none (the fixer reported nothing for it)
    reason: str = ""
    words: tuple[str, ...] = ()  # the reason as reason_tokens() splits it
    variables: frozenset[int] = frozenset()  # positions of words that are variable names of the file

    @property
    def where(self) -> str:
        cell = "" if self.cell is None else f"cell {self.cell}:"
        return f"{self.path}:{cell}{self.line}"


@dataclass
class Violation:
    path: str
    kind: str  # crash, unparsable, recheck, not-idempotent, raises, changes-data
    detail: str


@dataclass
class Report:
    env_style: str
    paths: list[str]
    target: str = "scriptrunconfig"
    files: int = 0
    sites: list[Site] = field(default_factory=list)
    detections: Counter[str] = field(default_factory=Counter)
    violations: list[Violation] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # what the checker or fixer could not read
    expected: dict[str, int] | None = None  # estimator sites per file, from the folders' sites.json


# ---------------------------------------------------------------------------------------------- files

def corpus_files(root: Path) -> list[Path]:
    if root.is_file():
        return [root]
    found = []
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS and not d.startswith("."))
        found += [Path(folder) / name for name in sorted(names) if name.endswith((".py", ".ipynb"))]
    return found


def display_path(path: Path, root: Path) -> str:
    base = root if root.is_dir() else root.parent
    return path.relative_to(base).as_posix() if root.is_dir() else path.name


def read_text(path: Path) -> str:
    return path.read_bytes().decode("utf-8").removeprefix("\ufeff")


# ----------------------------------------------------------------------------------- checker and fixer

@dataclass
class Checked:
    """What the checker says of one file: findings (notebook ones located in their cell), the read
    errors, and the variable names of the code (a manual reason that quotes one is about code)."""

    findings: list[Any]
    errors: list[str]
    names: set[str]


def check(text: str, notebook: bool, target: str = "scriptrunconfig") -> Checked:
    if notebook:
        try:
            virtual = virtual_module(read_notebook(text))
        except NotebookError as error:
            return Checked([], [str(error)], set())
        source, errors = virtual.source, [error.message for error in virtual.errors]
    else:
        source, errors = text, []
    analysis = analyze_source(source, enabled=PYTHON_CODES if target == "v2" else DEFAULT_PYTHON_CODES)
    findings = [virtual.map_finding(f) for f in analysis.findings] if notebook else analysis.findings
    return Checked(findings, errors + [error.message for error in analysis.errors], variable_names(source))


def variable_names(source: str) -> set[str]:
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError):
        return set()
    return {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}


def run_fixer(text: str, notebook: bool, env_style: str, target: str = "scriptrunconfig") -> FixResult:
    fixer = fix_notebook if notebook else fix_source
    return fixer(text, env_style=env_style, target=target)


def outcomes_by_place(result: FixResult) -> dict[tuple[str, int | None, int], list[tuple[str, str]]]:
    """(code, cell, line) -> the outcomes the fixer reported there, as (applicability, reason)."""
    places: dict[tuple[str, int | None, int], list[tuple[str, str]]] = {}
    for applied in result.applied:
        places.setdefault((applied.code, applied.cell, applied.line), []).append((applied.applicability, ""))
    for manual in result.manual:
        places.setdefault((manual.code, manual.cell, manual.line), []).append(("manual", manual.reason))
    return places


def sites_of(path: str, checked: Checked, result: FixResult, target: str = "scriptrunconfig") -> list[Site]:
    places = outcomes_by_place(result)
    sites = []
    for finding in checked.findings:
        if finding.code != "AML101":
            continue
        site = Site(path, finding.cell, finding.line, finding.message)
        reported = places.get(("AML101", finding.cell, finding.line))
        if reported:
            site.outcome, site.reason = reported.pop(0)
            if target == "v2" and site.outcome != "manual":
                site.outcome, site.reason = v2_outcome(site.outcome, places.get(("AML602", finding.cell, finding.line)))
            site.words = tuple(reason_tokens(site.reason))
            site.variables = frozenset(i for i, word in enumerate(site.words)
                                       if word.rstrip(":,;") in checked.names)
        sites.append(site)
    return sites


def v2_outcome(stage_one: str, job: list[tuple[str, str]] | None) -> tuple[str, str]:
    """A site stage 1 rewrote, as stage 2 leaves the job it became: rewritten (unsafe if either stage
    was), manual with stage 2's reason, or no outcome when no AML602 outcome lies on its line."""
    if not job:
        return "none", ""
    applicability, reason = job.pop(0)
    if applicability == "manual":
        return "manual", reason
    return ("unsafe" if "unsafe" in (stage_one, applicability) else "safe"), ""


# ------------------------------------------------------------------------------------------ invariants

def parse_problem(text: str, notebook: bool, broken_before: int) -> str | None:
    """Why ``text`` (fixer output) does not parse, or None; a notebook may keep the ``broken_before``
    cells that did not parse before the fix (the fixer leaves them alone)."""
    if not notebook:
        try:
            ast.parse(text)
        except (SyntaxError, ValueError) as error:
            return f"the fixed file does not parse: {error}"
        return None
    try:
        virtual = virtual_module(read_notebook(text))
    except NotebookError as error:
        return f"the fixed notebook is not readable: {error}"
    if len(virtual.errors) > broken_before:
        return "a fixed cell does not parse: " + "; ".join(error.message for error in virtual.errors)
    return None


def place(cell: int | None, line: int) -> str:
    return f"line {line}" if cell is None else f"cell {cell}, line {line}"


def recheck_problems(findings_after: list[Any], result: FixResult) -> list[str]:
    """Findings that re-checking the fixed output still reports beyond what was left manual."""
    left_manual = Counter(manual.code for manual in result.manual)
    claimed = {applied.code for applied in result.applied}
    extra = Counter(finding.code for finding in findings_after) - left_manual
    problems = []
    for finding in findings_after:
        if extra[finding.code] <= 0:
            continue
        extra[finding.code] -= 1
        verdict = "claimed fixed" if finding.code in claimed else "new after the fix"
        at = place(finding.cell, finding.line)
        problems.append(f"{finding.code} at {at} ({verdict}): {finding.message}")
    return problems


# What an estimator has and a ScriptRunConfig has not (azureml-train-core's MMLBaseEstimator): code
# reading one of these from a name the fix turned into a ScriptRunConfig raises AttributeError.
ESTIMATOR_ONLY_ATTRIBUTES = frozenset({
    "_estimator_config", "conda_dependencies", "_compute_target", "_get_script_run_config", "_script_params",
    "_inputs", "_original_config", "_source_directory_data_store", "_override_params", "_fit", "_submit"})
DATASTORE_CALLS = ("get_default_datastore", "Datastore", "Datastore.get", "Datastore.get_default")


def _called(node: ast.expr | None, names: tuple[str, ...]) -> bool:
    """``node`` is a call of one of ``names`` (its last dotted part or whole text)."""
    if not isinstance(node, ast.Call):
        return False
    func = ast.unparse(node.func)
    return func in names or func.rsplit(".", 1)[-1] in names


class Bindings:
    """Every value each dotted name (``est``, ``self.est``) is assigned anywhere in a module."""

    def __init__(self, tree: ast.Module):
        self.values: dict[str, list[ast.expr]] = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign) and len(node.targets) == 1:
                self.values.setdefault(ast.unparse(node.targets[0]), []).append(node.value)

    def always(self, node: ast.expr, names: tuple[str, ...]) -> bool:
        """``node`` is such a call, or a name only ever bound to such calls."""
        values = self.values.get(ast.unparse(node), [])
        return _called(node, names) or bool(values) and all(_called(value, names) for value in values)


ESTIMATOR_CLASSES = ("Estimator", "PyTorch", "TensorFlow", "Chainer", "SKLearn")


def run_time_problems(before: str, after: str, notebook: bool) -> list[tuple[str, str]]:
    """What the fixed code would do wrong when it runs, found without running it: (kind, detail).

    ``raises``: an estimator-only attribute read from a name that only ever holds a ScriptRunConfig.
    ``changes-data``: a Datastore passed in a ScriptRunConfig's arguments (the estimator mounted it
    and passed the mount path; a ScriptRunConfig passes the object's text and mounts nothing), or a
    ``script_params`` key missing from the arguments of a ScriptRunConfig that is submitted as is."""
    virtual = virtual_module(read_notebook(after)) if notebook else None
    tree = ast.parse(virtual.source if virtual else after)
    bindings = Bindings(tree)
    found: list[tuple[ast.expr, str, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in ESTIMATOR_ONLY_ATTRIBUTES \
                and bindings.always(node.value, ("ScriptRunConfig",)):
            detail = f"{ast.unparse(node)} is read from a ScriptRunConfig (AttributeError at run time)"
            found.append((node, "raises", detail))
        if _called(node, ("ScriptRunConfig",)):
            for item in _list_keyword(node, "arguments") or []:
                if bindings.always(item, DATASTORE_CALLS):
                    detail = f"the Datastore {ast.unparse(item)} is passed in arguments as is " \
                             "(the estimator mounted it)"
                    found.append((item, "changes-data", detail))
    original = ast.parse(virtual_module(read_notebook(before)).source if notebook else before)
    found += dropped_arguments(Bindings(original), bindings, submitted_names(tree))
    found.sort(key=lambda item: (item[0].lineno, item[0].col_offset))
    located = [(virtual.locate(node.lineno) if virtual else (None, node.lineno), kind, detail)
               for node, kind, detail in found]
    return [(kind, f"{place(*at)}: {detail}") for at, kind, detail in located]


def _list_keyword(call: ast.Call, name: str) -> list[ast.expr] | None:
    value = next((k.value for k in call.keywords if k.arg == name), None)
    return value.elts if isinstance(value, (ast.List, ast.Tuple)) else None


def submitted_names(tree: ast.Module) -> set[str]:
    """Names passed to ``experiment.submit(...)`` (first argument or ``config=``)."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "submit":
            given = [*node.args[:1], *(k.value for k in node.keywords if k.arg == "config")]
            names.update(ast.unparse(value) for value in given)
    return names


def dropped_arguments(before: Bindings, after: Bindings,
                      submitted: set[str]) -> list[tuple[ast.expr, str, str]]:
    """Keys of an estimator's literal ``script_params`` that the ScriptRunConfig bound to the same
    name (once, before and after) no longer passes, although it is submitted directly: what the
    estimator's job received changed (HyperDrive drops tuned keys for its child runs only)."""
    found = []
    for name in submitted:
        old, new = before.values.get(name, []), after.values.get(name, [])
        if len(old) != 1 or len(new) != 1 or not _called(old[0], ESTIMATOR_CLASSES) \
                or not _called(new[0], ("ScriptRunConfig",)):
            continue
        arguments = _list_keyword(new[0], "arguments")
        keys = script_param_keys(old[0], before)
        passed = {item.value for item in arguments or [] if isinstance(item, ast.Constant)}
        missing = [key for key in keys if key not in passed]
        if arguments is not None and missing:
            found.append((new[0], "changes-data", f"{name} is submitted directly but no longer passes "
                                                  f"{', '.join(missing)} (the estimator did)"))
    return found


def script_param_keys(call: ast.Call, bindings: Bindings) -> list[str]:
    """The non-empty string keys of a literal ``script_params`` dict, given inline or by a name bound once."""
    value = next((k.value for k in call.keywords if k.arg == "script_params"), None)
    if isinstance(value, ast.Name) and len(bindings.values.get(value.id, [])) == 1:
        value = bindings.values[value.id][0]
    if not isinstance(value, ast.Dict):
        return []
    constants = [key.value for key in value.keys if isinstance(key, ast.Constant)]
    return [key for key in constants if isinstance(key, str) and key]


def check_contract(path: str, notebook: bool, result: FixResult, env_style: str,
                   broken_before: int, target: str = "scriptrunconfig") -> list[Violation]:
    if not result.changed:
        return []
    problem = parse_problem(result.source, notebook, broken_before)
    if problem:
        return [Violation(path, "unparsable", problem)]
    rechecked = check(result.source, notebook, target).findings
    violations = [Violation(path, "recheck", problem) for problem in recheck_problems(rechecked, result)]
    for kind, detail in run_time_problems(result.original, result.source, notebook):
        violations.append(Violation(path, kind, detail))
    again = run_fixer(result.source, notebook, env_style, target)
    if again.source != result.source:
        changed = sum(1 for a, b in zip(result.source.splitlines(), again.source.splitlines()) if a != b)
        violations.append(Violation(path, "not-idempotent", f"a second fix changes the output again "
                                                            f"(~{max(changed, 1)} lines differ)"))
    return violations


# ------------------------------------------------------------------------------------------- measuring

def measure_file(path: Path, root: Path, report: Report) -> None:
    shown = display_path(path, root)
    notebook = path.suffix == ".ipynb"
    try:
        text = read_text(path)
    except (OSError, UnicodeDecodeError) as error:
        report.errors.append(f"{shown}: cannot read: {error}")
        return
    report.files += 1
    checked = check(text, notebook, report.target)
    report.errors += [f"{shown}: {message}" for message in checked.errors]
    report.detections.update(finding.code for finding in checked.findings)
    try:
        result = run_fixer(text, notebook, report.env_style, report.target)
    except Exception as error:  # a fixer crash is a finding of this benchmark, not its end
        report.violations.append(crash(shown, "fixing the file", error))
        report.sites += [Site(shown, f.cell, f.line, f.message, "crash")
                         for f in checked.findings if f.code == "AML101"]
        return
    if not checked.errors:
        report.errors += [f"{shown}: not fixed: {error.message}" for error in result.errors]
    report.sites += sites_of(shown, checked, result, report.target)
    try:
        report.violations += check_contract(shown, notebook, result, report.env_style, len(checked.errors),
                                            report.target)
    except Exception as error:
        report.violations.append(crash(shown, "re-checking or re-fixing the fixed output", error))


def crash(path: str, doing: str, error: Exception) -> Violation:
    frame = traceback.extract_tb(error.__traceback__)[-1]
    return Violation(path, "crash", f"{type(error).__name__} while {doing}: {error} "
                                    f"(at {Path(frame.filename).name}:{frame.lineno})")


def shown_root(path: Path) -> str:
    """A path as the user would type it: relative to the working directory when inside it."""
    try:
        return path.resolve().relative_to(Path.cwd()).as_posix() or "."
    except ValueError:
        return str(path)


def read_manifest(root: Path) -> dict[str, int] | None:
    manifest = root / MANIFEST
    if not root.is_dir() or not manifest.is_file():
        return None
    data = json.loads(manifest.read_text(encoding="utf-8"))
    return {str(name): int(count) for name, count in data["estimator_sites"].items()}


def measure(paths: list[Path], env_style: str, target: str = "scriptrunconfig") -> Report:
    report = Report(env_style, [shown_root(p) for p in paths], target)
    for root in paths:
        prefix = f"{root.name}/" if len(paths) > 1 else ""
        start = len(report.sites), len(report.violations)
        for path in corpus_files(root):
            measure_file(path, root, report)
        for item in [*report.sites[start[0]:], *report.violations[start[1]:]]:
            item.path = prefix + item.path
        expected = read_manifest(root)
        if expected is not None:
            report.expected = {**(report.expected or {}), **{prefix + k: v for k, v in expected.items()}}
    return report


# ------------------------------------------------------------------------------------------ reporting

_PLACE = re.compile(r"\b(?:cell \d+, )?lines? \d+(?:(?:, | and |; cell \d+, line )\d+)*")
_QUOTED = re.compile(r"`[^`]*`|'[^']*'|\"[^\"]*\"")
_INNERMOST_BRACKETS = re.compile(r"\([^()\[\]{}]*\)|\[[^()\[\]{}]*\]|\{[^()\[\]{}]*\}")
_CODE_CHARACTERS = frozenset("_.([{`'\"*/=0123456789")


def reason_tokens(reason: str) -> list[str]:
    """A reason as words, each quoted or bracketed piece of code one word, places reduced to "line N"."""
    text = _QUOTED.sub("`…`", _PLACE.sub("line N", reason or "(no reason given)"))
    while True:
        shorter = _INNERMOST_BRACKETS.sub(_collapse, text)
        if shorter == text:
            return text.split()
        text = shorter


def _collapse(brackets: re.Match[str]) -> str:
    """``(a, b)`` -> ``(…)`` when it holds code; prose in brackets, ``(line N)``, stays."""
    text = brackets.group()
    return text[0] + "…" + text[-1] if is_code(text[1:-1]) else text


def is_code(word: str) -> bool:
    return bool(set(word) & _CODE_CHARACTERS)


def group_reasons(sites: list[Site]) -> list[list[Site]]:
    """Sites left manual for the same obstacle, wherever it was met: their reasons may differ only in
    words that are code (``ds.as_mount()``, ``script_params``) or a variable of their file (``mpi`` and
    ``mpi_config`` in "... is used elsewhere than as an estimator's distributed_training")."""
    exact: dict[tuple[str, ...], list[Site]] = {}
    for site in sites:
        exact.setdefault(tuple("…" if is_code(w) else w for w in site.words), []).append(site)
    merged: list[tuple[tuple[str, ...], set[int], list[Site]]] = []  # key, positions that may vary, sites
    for key, members in sorted(exact.items(), key=lambda item: -len(item[1])):
        loose = {i for i in range(len(key)) if key[i] == "…" or all(i in s.variables for s in members)}
        for other_key, other_loose, other_sites in merged:
            if len(key) != len(other_key):
                continue
            differ = {i for i in range(len(key)) if key[i] != other_key[i]}
            if differ <= loose and differ <= other_loose:
                other_sites += members
                other_loose &= loose | differ
                break
        else:
            merged.append((key, loose, list(members)))
    return [members for _, _, members in merged]


def reason_label(members: list[tuple[str, ...]]) -> str:
    """The words every member of a group shares, ``…`` where they differ."""
    return " ".join(words[0] if len(set(words)) == 1 else "…" for words in zip(*members))


def site_order(site: Site) -> tuple[str, int, int]:
    return site.path, -1 if site.cell is None else site.cell, site.line


def manual_reasons(sites: list[Site]) -> list[dict[str, Any]]:
    """The manual sites grouped by reason, most frequent first, each site listed."""
    groups = [(reason_label([s.words for s in group]), sorted(group, key=site_order))
              for group in group_reasons([site for site in sites if site.outcome == "manual"])]
    groups.sort(key=lambda item: (-len(item[1]), item[0]))
    return [{"reason": label, "count": len(group), "sites": [s.where for s in group],
             "examples": sorted({s.reason for s in group})[:EXAMPLES_PER_REASON]} for label, group in groups]


def expected_sites(report: Report) -> dict[str, Any] | None:
    """The estimator sites written into the corpus (sites.json) against the AML101 findings."""
    if report.expected is None:
        return None
    detected = Counter(site.path for site in report.sites)
    paths = sorted(set(report.expected) | set(detected))
    mismatches = {path: {"expected": report.expected.get(path, 0), "detected": detected[path]}
                  for path in paths if report.expected.get(path, 0) != detected[path]}
    return {"expected": sum(report.expected.values()), "detected": sum(detected[p] for p in report.expected),
            "mismatches": mismatches}


def summary(report: Report) -> dict[str, Any]:
    counts = Counter(site.outcome for site in report.sites)
    rewritten = counts["safe"] + counts["unsafe"]
    return {
        "env_style": report.env_style,
        "target": report.target,
        "paths": report.paths,
        "files": report.files,
        "sites": len(report.sites),
        "rewritten": rewritten,
        "safe": counts["safe"],
        "unsafe": counts["unsafe"],
        "manual": counts["manual"],
        "crashed": counts["crash"],
        "no_outcome": counts["none"],
        "share": round(rewritten / len(report.sites), 4) if report.sites else None,
        "manual_reasons": manual_reasons(report.sites),
        "detections": dict(sorted(report.detections.items())),
        "expected_sites": expected_sites(report),
        "site_list": [{k: v for k, v in asdict(site).items() if k not in ("words", "variables")}
                      for site in report.sites],
        "violations": [asdict(v) for v in report.violations],
        "errors": report.errors,
    }


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "n/a"


def render_text(data: dict[str, Any], list_sites: bool) -> str:
    total = data["sites"]
    rows = [("**rewritten (not manual)**", data["rewritten"]), ("- safe", data["safe"]),
            ("- unsafe", data["unsafe"]), ("manual", data["manual"]), ("fixer crashed", data["crashed"]),
            ("no outcome reported", data["no_outcome"])]
    target = "" if data.get("target", "scriptrunconfig") == "scriptrunconfig" else f" --target {data['target']}"
    out = [f"## aml-migrate fix share (--env-style {data['env_style']}{target})", "",
           f"{data['files']} files, {total} AML101 estimator sites under {', '.join(data['paths'])}", "",
           "| outcome | sites | share |", "|---|---:|---:|"]
    out += [f"| {name} | {n} | {percent(n, total)} |" if "**" not in name else
            f"| {name} | **{n}** | **{percent(n, total)}** |"
            for index, (name, n) in enumerate(rows) if n or index < 4]
    out += ["", "| manual reason (AML101) | sites |", "|---|---:|"]
    out += [f"| {group['reason']} | {group['count']} |" for group in data["manual_reasons"]]
    out += [""] + [where_line(group, list_sites) for group in data["manual_reasons"]]
    out += ["", "Findings per rule: " + ", ".join(f"{code} {n}" for code, n in data["detections"].items())]
    expected = data["expected_sites"]
    if expected is not None:
        out.append(f"Estimator sites written into the corpus (sites.json): {expected['expected']}, "
                   f"detected as AML101: {expected['detected']}")
        out += [f"  {path}: expected {m['expected']}, detected {m['detected']}"
                for path, m in expected["mismatches"].items()]
    out += [f"not analysed: {error}" for error in data["errors"]]
    if not data["violations"]:
        out += ["", CONTRACT_KEPT]
    else:
        out += ["", f"!!! {len(data['violations'])} CONTRACT VIOLATION(S) OF THE FIXER !!!"]
        out += [f"!!! {v['path']}: {v['kind']}: {v['detail']}" for v in data["violations"]]
    return "\n".join(out)


def where_line(group: dict[str, Any], every_site: bool) -> str:
    shown = group["sites"] if every_site else group["sites"][:EXAMPLES_PER_REASON]
    more = len(group["sites"]) - len(shown)
    tail = f" and {more} more" if more else ""
    return f"- {group['count']} x {group['reason']}\n    at " + ", ".join(shown) + tail


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", type=Path, help=f"files or folders (default: {CORPUS})")
    parser.add_argument("--env-style", choices=("exact", "curated"), default="exact")
    parser.add_argument("--target", choices=("scriptrunconfig", "v2"), default="scriptrunconfig",
                        help="v2: count a site as rewritten only if its job also moves to azure-ai-ml")
    parser.add_argument("--json", action="store_true", help="print the full report as JSON")
    parser.add_argument("--sites", action="store_true", help="list every manual site, not only examples")
    args = parser.parse_args(argv)
    paths = args.paths or [CORPUS]
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        parser.error(f"no such file or directory: {', '.join(missing)}")
    data = summary(measure(paths, args.env_style, args.target))
    print(json.dumps(data, indent=2) if args.json else render_text(data, args.sites))
    if data["violations"]:
        print(f"{len(data['violations'])} contract violation(s) of the fixer: see above", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
