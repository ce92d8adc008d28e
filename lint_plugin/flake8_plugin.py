"""flake8 adapter: entry point ``AML = lint_plugin.flake8_plugin:AmlMigrateChecker``.

flake8 has parsed the file already; the plugin reuses its tree and skips files that never mention
``azureml`` before doing anything else. flake8 applies ``# noqa`` and ``--select`` itself.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from . import __version__
from .engine import analyze_tree


class AmlMigrateChecker:
    name = "aml-migrate"
    version = __version__

    def __init__(self, tree: ast.Module, lines: list[str]) -> None:
        self.tree = tree
        self.lines = lines

    def run(self) -> Iterator[tuple[int, int, str, type]]:
        if not any("azureml" in line for line in self.lines):
            return
        try:
            findings = analyze_tree(self.tree)
        except RecursionError:
            return  # pathological nesting: flake8's own checks report what they can
        for finding in findings:
            yield finding.line, finding.column, f"{finding.code} {finding.text}", type(self)
