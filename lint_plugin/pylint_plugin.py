"""pylint adapter: ``pylint --load-plugins=lint_plugin``.

The module's findings come from the same ``ast`` engine as flake8 and the CLI, so every front end
agrees. astroid adds what only inference sees: a class imported from the user's own code that
subclasses an estimator, reported where it is instantiated. The opt-in SDK v2 messages (AML6xx) are
registered disabled (pylint's ``default_enabled``): ``--enable=v1-script-run-config`` (or the
project's ``target = "v2"``) turns them on.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from astroid import nodes
from pylint.checkers import BaseChecker
from pylint.checkers.utils import only_required_for_messages, safe_infer
from pylint.constants import WarningScope

from .analysis import PYTHON_CODES, mentions_azureml
from .config import Config, ConfigError, load_config
from .engine import analyze_source
from .analysis.estimator_facts import EstimatorFacts
from .noqa import file_is_exempt, without_suppressed
from .rules import BY_CODE, RULES
from .sdk.names import BY_PATH, Kind

if TYPE_CHECKING:
    from pylint.lint import PyLinter

_MAX_CLASS_DEPTH = 8
_ESTIMATOR = BY_CODE["AML101"]


class AmlMigrateChecker(BaseChecker):
    name = "aml-migrate"
    msgs = {
        rule.pylint_id: ("%s", rule.symbol, rule.summary + ". See `aml-migrate explain " + rule.code + "`.",
                         {"scope": WarningScope.LINE, "default_enabled": not rule.opt_in})
        for rule in RULES if rule.scope == "python"
    }

    def __init__(self, linter: PyLinter) -> None:
        super().__init__(linter)
        self._relevant = False
        self._reported: set[tuple[int, int]] = set()

    @only_required_for_messages(*(rule.symbol for rule in RULES if rule.scope == "python"))
    def visit_module(self, node: nodes.Module) -> None:
        self._reported.clear()
        with node.stream() as stream:
            data = stream.read()
        self._relevant = mentions_azureml(data)
        if not self._relevant:
            return
        source = data.decode(node.file_encoding or "utf-8", errors="replace").removeprefix("\ufeff")
        if file_is_exempt(source):
            self._relevant = False
            return
        enabled = frozenset(code for code in PYTHON_CODES if self.linter.is_message_enabled(BY_CODE[code].symbol))
        settings = _project_config()
        analysis = analyze_source(source, node.file or "<module>", enabled, env_style=settings.env_style,
                                  target=settings.target)
        for finding in without_suppressed(analysis.findings, source.splitlines()):
            self._reported.add((finding.line, finding.column))
            self.add_message(finding.symbol, line=finding.line, col_offset=finding.column,
                             end_lineno=finding.end_line, end_col_offset=finding.end_column, args=(finding.text,))

    @only_required_for_messages(_ESTIMATOR.symbol)
    def visit_call(self, node: nodes.Call) -> None:
        if not self._relevant or (node.lineno, node.col_offset) in self._reported:
            return
        if not _imported_from_user_code(node.func):
            return  # cheap name check first: inference only for names the user's own modules provide
        cls = safe_infer(node.func)
        if not isinstance(cls, nodes.ClassDef) or cls.qname().startswith("azureml."):
            return
        base = _estimator_base(cls, 0)
        if base is None:
            return
        facts = EstimatorFacts(base, cls.name, None, False, False, False, False, False)
        message = _ESTIMATOR.format(cls=facts.display(), advice="migrate it to ScriptRunConfig with an Environment")
        text = f"{message} (manual: {cls.name} subclasses {base}: move its settings into a ScriptRunConfig by hand)"
        self.add_message(_ESTIMATOR.symbol, line=node.lineno, col_offset=node.col_offset,
                         end_lineno=node.end_lineno, end_col_offset=node.end_col_offset, args=(text,))


def _imported_from_user_code(func: nodes.NodeNG) -> bool:
    root = func
    while isinstance(root, nodes.Attribute):
        root = root.expr
    if not isinstance(root, nodes.Name):
        return False
    _, assignments = root.lookup(root.name)
    return any(isinstance(a, (nodes.ImportFrom, nodes.Import)) and not _import_module(a).startswith("azureml")
               for a in assignments)


def _import_module(node: nodes.ImportFrom | nodes.Import) -> str:
    return node.modname if isinstance(node, nodes.ImportFrom) else node.names[0][0]


def _estimator_base(cls: nodes.ClassDef, depth: int) -> str | None:
    """The estimator a class derives from, resolved through the imports that name its bases (astroid
    cannot infer azureml's classes when the SDK is not installed where pylint runs)."""
    if depth > _MAX_CLASS_DEPTH:
        return None
    for base in cls.bases:
        sdk = BY_PATH.get(_qualified_name(base) or "")
        if sdk is not None and sdk.kind is Kind.ESTIMATOR:
            return sdk.name
        parent = safe_infer(base)
        if isinstance(parent, nodes.ClassDef) and not parent.qname().startswith("azureml."):
            found = _estimator_base(parent, depth + 1)
            if found:
                return found
    return None


def _qualified_name(expr: nodes.NodeNG) -> str | None:
    if isinstance(expr, nodes.Attribute):
        base = _qualified_name(expr.expr)
        return f"{base}.{expr.attrname}" if base else None
    if not isinstance(expr, nodes.Name):
        return None
    _, assignments = expr.lookup(expr.name)
    for assignment in assignments:
        if isinstance(assignment, nodes.ImportFrom):
            return f"{assignment.modname}.{assignment.real_name(expr.name)}"
        if isinstance(assignment, nodes.Import):
            return assignment.real_name(expr.name)
    return None


def _project_config() -> Config:
    """The aml-migrate configuration where pylint runs (the defaults if there is none or it is broken:
    ``aml-migrate check`` reports that)."""
    try:
        return load_config(os.getcwd())
    except ConfigError:
        return Config()


def register(linter: PyLinter) -> None:
    linter.register_checker(AmlMigrateChecker(linter))
    if _project_config().target == "v2":  # before pylint reads its own options, so a --disable still wins
        for rule in RULES:
            if rule.opt_in:
                linter.enable(rule.symbol)
