"""Semantic equivalence with the real SDK: every golden file runs offline under the SDK, and every job the
original program defines is compared with the rewrite's (``equivalence.py`` says what is compared and
which differences SDK_FACTS.md justifies). A difference fails the test; a known fixer difference is an
``xfail(strict=True)`` naming it, which fails as soon as the fixer is mended, so the mark goes too.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from needs import require_module, require_sdk

require_sdk()

from .equivalence import differences  # noqa: E402 - after the SDK check
from .golden_cases import GOLDEN, STYLES, expected_path, inputs  # noqa: E402
from .golden_runs import azureml_imports, original, run  # noqa: E402

pytestmark = pytest.mark.sdk

CASES = inputs(".py") + inputs(".ipynb")
# the v2 outputs (``.v2.``) import azure-ai-ml: ``test_golden_v2.py`` runs them with a fake MLClient
FILES = sorted(p for p in GOLDEN.iterdir() if p.suffix in (".py", ".ipynb") and ".v2." not in p.name)


class KnownDifference(AssertionError):
    """The case differs exactly as KNOWN says (and in nothing else)."""


# Where the current fixer's output really differs from what the original sent: the exact differences.
# The xfail is strict and only accepts KnownDifference: a case that starts to pass, or that differs in
# anything else, fails. The lead removes an entry with the fixer change that mends it.
_WHY: dict[tuple[str, ...], str] = {}


def _known(*parts: tuple[tuple[str, ...], str]) -> tuple[tuple[str, ...], str]:
    lines = tuple(line.format(job=job) for kind, job in parts for line in kind)
    return lines, "; ".join(dict.fromkeys(_WHY[kind] for kind, _ in parts)) + ". Diff: " + " | ".join(lines)


KNOWN: dict[tuple[str, str], tuple[tuple[str, ...], str]] = {}


def _params(styles: tuple[str, ...] = STYLES) -> list:
    params = []
    for case in CASES:
        for style in styles:
            known = KNOWN.get((case.name, style))
            marks = [pytest.mark.xfail(strict=True, raises=KnownDifference, reason=known[1])] if known else []
            params.append(pytest.param(case, style, marks=marks, id=f"{case.name}-{style}"))
    return params


def _require_what_the_original_imports(case: Path) -> None:
    """A package the original program needs (a contrib estimator's) is a requirement of this test;
    a module only the rewrite imports is judged, never excused."""
    for module in sorted(azureml_imports(case)):
        require_module(module, f"{case.name} imports it")


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_every_golden_program_runs_offline_under_the_sdk(path: Path) -> None:
    """Inputs and outputs, both styles: a rewrite that raises at run time fails here."""
    source = GOLDEN / (path.name.split(".")[0] + path.suffix)
    _require_what_the_original_imports(source)
    run(path)


@pytest.mark.parametrize(("case", "style"), _params())
def test_rewrite_sends_what_the_original_sent(case: Path, style: str) -> None:
    _require_what_the_original_imports(case)
    output = expected_path(case, style)
    rewritten = output.read_bytes() != case.read_bytes()
    found = differences(original(case, style), run(output), style, rewritten)
    known = KNOWN.get((case.name, style))
    if known and found and sorted(found) == sorted(known[0]):
        raise KnownDifference("\n".join(found))
    assert found == []


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_every_estimator_the_original_builds_is_compared(case: Path) -> None:
    """The comparison is over the jobs the original defines: each estimator it builds must reach one
    (bound to a module-level name, submitted, or held by a HyperDriveConfig, step or pipeline), or the
    equivalence test above would not look at it."""
    _require_what_the_original_imports(case)
    execution = original(case, "exact").as_written
    compared = {id(e) for job in execution.jobs.values() for e in job.estimators}
    assert [e for e in execution.estimators if id(e) not in compared] == []
