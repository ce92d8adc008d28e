"""The fixer: libcst codemods that rewrite what the checker reports (``aml-migrate fix``).

The public API is loaded lazily so that importing ``lint_plugin.fix`` (the CLI does, to build its
parser) costs nothing: libcst is imported only when something is fixed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .api import fix_source
    from .notebook import fix_notebook
    from .result import AppliedFix, FixResult, ManualFix

__all__ = ["fix_source", "fix_notebook", "FixResult", "AppliedFix", "ManualFix"]

_HOME = {"fix_source": ".api", "fix_notebook": ".notebook", "FixResult": ".result", "AppliedFix": ".result",
         "ManualFix": ".result"}


def __getattr__(name: str) -> Any:
    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(_HOME[name], __name__), name)
