"""The golden corpus: ``golden/<case>.py`` (input), ``<case>.expected.py`` (``--env-style curated``) and
``<case>.exact.expected.py`` (``--env-style exact``); notebooks the same with ``.ipynb``. With
``--target v2``: ``<case>.v2.expected.py`` (exact) and, for a few cases, ``<case>.v2.curated.expected.py``.

``AML_MIGRATE_REGEN=1 pytest tests/fix`` rewrites the expected files from the current fixer; review
the diff before committing it.
"""

from __future__ import annotations

import os
from pathlib import Path

GOLDEN = Path(__file__).resolve().parent / "golden"
STYLES = ("curated", "exact")
REGEN = os.environ.get("AML_MIGRATE_REGEN") == "1"


def inputs(suffix: str = ".py") -> list[Path]:
    return sorted(p for p in GOLDEN.glob(f"*{suffix}") if ".expected" not in p.name)


def expected_path(case: Path, style: str, target: str = "scriptrunconfig") -> Path:
    if target == "v2":
        infix = ".v2.curated.expected" if style == "curated" else ".v2.expected"
    else:
        infix = ".expected" if style == "curated" else ".exact.expected"
    return case.with_name(case.name[: -len(case.suffix)] + infix + case.suffix)


def compare_or_regen(case: Path, style: str, actual: str, target: str = "scriptrunconfig") -> str:
    path = expected_path(case, style, target)
    if REGEN:
        path.write_text(actual, encoding="utf-8")
    return path.read_text(encoding="utf-8")
