"""flake8 adapter: entry point ``AML = lint_plugin.flake8_plugin:AmlMigrateChecker``.

flake8 has parsed the file already; the plugin reuses its tree and skips files that never mention
``azureml`` before doing anything else. flake8 applies ``# noqa`` and ``--select`` itself.

The opt-in SDK v2 rules (AML6xx) go on flake8's default ignore list, flake8's own mechanism for codes a
plugin reports only on request: ``--select``/``--extend-select`` naming them (``AML6``, ``AML602``) turns
them on, as does ``target = "v2"`` in the project's aml-migrate configuration; ``--extend-select AML``,
which the README suggests for the default rules, does not (the plugin then does not report them at
all, as ``aml-migrate check`` does not). Their fixes are worked out only when they are on.
"""

from __future__ import annotations

import ast
import os
from argparse import Namespace
from collections.abc import Iterator
from typing import Any

from . import __version__
from .analysis import DEFAULT_PYTHON_CODES, PYTHON_CODES
from .engine import analyze_tree
from .fix.plan import DEFAULT_ENV_STYLE, DEFAULT_TARGET
from .rules import OPT_IN_CODES, names_opt_in


class AmlMigrateChecker:
    name = "aml-migrate"
    version = __version__
    codes = DEFAULT_PYTHON_CODES  # what the run reports (flake8 filters them further)
    env_style, target = DEFAULT_ENV_STYLE, DEFAULT_TARGET

    def __init__(self, tree: ast.Module, lines: list[str]) -> None:
        self.tree = tree
        self.lines = lines

    @classmethod
    def add_options(cls, manager: Any) -> None:
        cls.env_style, cls.target = _project_settings()
        if cls.target != "v2":
            manager.extend_default_ignore(sorted(OPT_IN_CODES))

    @classmethod
    def parse_options(cls, options: Namespace) -> None:
        from flake8.style_guide import Decision, DecisionEngine

        decide = DecisionEngine(options).decision_for
        prefixes = [*(options.select or []), *(options.extend_select or [])]
        named = cls.target == "v2" or any(names_opt_in(prefix) for prefix in prefixes)
        wanted = named and any(decide(code) is Decision.Selected for code in OPT_IN_CODES)
        cls.codes = PYTHON_CODES if wanted else DEFAULT_PYTHON_CODES
        if _in_parallel(options):
            from .fix import planner  # noqa: F401 - once here, before flake8 forks, not in every worker

    def run(self) -> Iterator[tuple[int, int, str, type]]:
        if not any("azureml" in line for line in self.lines):
            return
        try:
            findings = analyze_tree(self.tree, self.codes, env_style=self.env_style, target=self.target,
                                    source="".join(self.lines))
        except RecursionError:
            return  # pathological nesting: flake8's own checks report what they can
        for finding in findings:
            yield finding.line, finding.column, f"{finding.code} {finding.text}", type(self)


def _in_parallel(options: Namespace) -> bool:
    """Whether flake8 will check files in forked workers (``--jobs`` auto or above one)."""
    jobs = getattr(options, "jobs", None)
    return jobs is not None and (getattr(jobs, "is_auto", False) or getattr(jobs, "n_jobs", 1) > 1)


def _project_settings() -> tuple[str, str]:
    """The env style and target of the aml-migrate configuration where flake8 runs (defaults if none
    or a broken one: ``aml-migrate check`` reports that)."""
    from .config import ConfigError, load_config

    try:
        config = load_config(os.getcwd())
    except ConfigError:
        return DEFAULT_ENV_STYLE, DEFAULT_TARGET
    return config.env_style, config.target
