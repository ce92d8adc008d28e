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
)
# The opt-in SDK v2 family (AML6xx) only: skipped when none of it is wanted, the default, so flake8,
# pylint and ``check`` do not pay for findings they would drop.
OPT_IN_CHECKS: tuple[Callable[[Context], None], ...] = (v2.check,)
