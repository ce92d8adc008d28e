"""The hand-written pairs: ``pairs/<name>.v1.py`` (a v1 submit script shaped like a real project's) and
``pairs/<name>.v2.py`` (its migration to azure-ai-ml, written by hand from the table in
docs/v2-mapping.md). The v2 file declares what it changes as the fixer's summary would, one
``# declared: ...`` line each. Both run offline in the pairs folder (it holds their conda files)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from fix.equivalence import Original
from sdk_offline import execute
from sdk_offline.v2 import V2Execution, execute_v2

PAIRS = Path(__file__).resolve().parent / "pairs"
NAMES = sorted(p.name.removesuffix(".v1.py") for p in PAIRS.glob("*.v1.py"))
DECLARED = "# declared: "


@dataclass(frozen=True)
class Pair:
    name: str

    @property
    def v1_path(self) -> Path:
        return PAIRS / f"{self.name}.v1.py"

    @property
    def v2_path(self) -> Path:
        return PAIRS / f"{self.name}.v2.py"


def declared(v2_source: str) -> list[str]:
    return [
        line.strip()[len(DECLARED):] for line in v2_source.splitlines() if line.strip().startswith(DECLARED)
    ]


@lru_cache(maxsize=None)
def original(name: str) -> Original:
    """The v1 program run offline (as written and on the full-build path), with the v2 file's declared
    changes."""
    pair = Pair(name)
    source = pair.v1_path.read_text(encoding="utf-8")
    as_written = execute(source, str(pair.v1_path), cwd=PAIRS)
    full_build = execute(source, str(pair.v1_path), cwd=PAIRS, full_build=True)
    return Original(as_written, full_build, declared(pair.v2_path.read_text(encoding="utf-8")))


def run_v2(name: str, text: str | None = None) -> V2Execution:
    """The v2 file run offline (``text`` instead of its own, for a mutated copy)."""
    path = Pair(name).v2_path
    return execute_v2(path.read_text(encoding="utf-8") if text is None else text, str(path), cwd=PAIRS)
