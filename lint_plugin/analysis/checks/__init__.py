"""The checks: each module reads the module index and reports findings through the context."""

from __future__ import annotations

from collections.abc import Callable

from ..context import Context
from . import datarefs, estimators, imports, runconfig, v2

CHECKS: tuple[Callable[[Context], None], ...] = (
    imports.check,
    estimators.check,
    runconfig.check,
    datarefs.check,
    v2.check,
)
