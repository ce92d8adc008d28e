"""The fixer: rewrites what the checker reports, with libcst (``aml-migrate fix``).

How it is built:

* ``planner.py`` (pure ``ast``) decides, for every finding of a module, what happens to it: an edit
  that is ``safe`` (the job's run configuration is unchanged, proven against the real SDK in
  ``tests/fix/test_sdk_equivalence.py``), ``unsafe`` (a deliberate behaviour change, each one listed),
  or ``manual`` (no edit; the reason says what to do). One module per rule family: ``estimator.py``
  with ``arguments.py``, ``environment.py`` and ``distributed.py`` (AML101, AML103), ``steps.py``
  (AML104, AML105), ``runconfig.py`` (AML201), ``datarefs.py`` (AML301, AML302); which imports go
  (AML102, and ``RunConfiguration`` once folded away) in the planner. The checker attaches the same
  outcomes to its findings (``engine.attach_fixes``), so the two cannot disagree.
* ``apply.py`` carries a plan out with libcst on the lines of the statements that change
  (``regions.py``), finding each node by its start position; every other line is copied, so it comes
  back byte-for-byte. ``imports.py`` places the imports the rewrite needs.
* ``api.py`` (``fix_source``), ``notebook.py`` (``fix_notebook``: planned over all cells, applied cell
  by cell) and ``command.py``/``runner.py`` (``aml-migrate fix``).

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
