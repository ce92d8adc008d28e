"""docs/v2-mapping.md has one table row per row the comparator checks, and no other."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from needs import require_sdk_v2

require_sdk_v2()

from .rows import ROWS  # noqa: E402 - after the SDK check

DOC = Path(__file__).resolve().parents[2] / "docs" / "v2-mapping.md"


def test_the_documented_rows_are_the_checked_rows() -> None:
    documented = re.findall(r"^\| `([^`]+)` \|", DOC.read_text(encoding="utf-8"), re.MULTILINE)
    assert sorted(documented) == sorted(ROWS)
    assert len(documented) == len(set(documented))


@pytest.mark.parametrize("row", sorted(ROWS))
def test_each_row_names_its_declaration_fields(row: str) -> None:
    line = next(
        line for line in DOC.read_text(encoding="utf-8").splitlines() if line.startswith(f"| `{row}` |")
    )
    assert all(f"`{name}`" in line for name in ROWS[row]), (row, ROWS[row])
