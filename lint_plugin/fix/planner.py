"""One module's findings -> one :class:`Plan` and an :class:`Outcome` per finding (pure ``ast``).

This is the single place that decides what ``aml-migrate fix`` does with a finding, so the checker
(``lint_plugin/engine.py``) and the fixer cannot disagree.
"""

from __future__ import annotations

import ast
from bisect import bisect_right
from typing import Callable, Iterable, Protocol, Sequence

from ..sdk.names import STAR_EXPORTS, lookup, module_is_deprecated
from .astctx import ModuleContext, dotted
from .datarefs import plan_datarefs
from .distributed import deprecated_kind
from ..analysis.scopes import Binding
from .estimator import Learned, estimator_class, plan_estimator
from .plan import DEFAULT_ENV_STYLE, Outcome, Plan, Position
from .runconfig import RUNCONFIGURATION_MODULES, plan_runconfiguration
from .steps import consumer_blocker, hyperdrive_argument, hyperparameter_names, plan_estimator_step, plan_hyperdrive

# Rules whose findings get hints only, never an edit.
HINTS = {
    "AML401": "pass environment= (a curated Environment.get(ws, NAME) or one built from your conda file)",
    "AML501": "raise the pin to azureml-sdk>=1.15.0 (ScriptRunConfig's environment= and "
              "distributed_job_config= need it)",
}


class FindingLike(Protocol):
    code: str
    line: int
    column: int


def plan_module(source: str, findings: Iterable[FindingLike], *, style: str = DEFAULT_ENV_STYLE, safe_only: bool = False,
                tree: ast.Module | None = None, context: ModuleContext | None = None,
                cells: Sequence[int] = ()) -> tuple[Plan, dict[tuple[str, Position], Outcome]]:
    """``cells``: for a notebook's virtual module, the first line of each cell (edits stay in their cell)."""
    ctx = context if context is not None else ModuleContext.build(source, tree)
    wanted = sorted({(f.code, (f.line, f.column)) for f in findings}, key=lambda item: item[1])
    plan = Plan()
    outcomes: dict[tuple[str, Position], Outcome] = {}
    by_code: dict[str, list[Position]] = {}
    for code, at in wanted:
        by_code.setdefault(code, []).append(at)

    hyperdrive = _hyperdrive_estimators(ctx, by_code.get("AML104", []))
    blocked, helper_fed = _blocked_estimators(ctx, by_code)
    datarefs = set(by_code.get("AML301", []))
    fixed_estimators: dict[str, bool] = {}  # estimator name -> whether HyperDrive needs it less tuned arguments
    learned = Learned()

    def planned(call: ast.Call, into: Plan, facts: Learned = learned) -> Outcome:
        return plan_estimator(call, ctx, into, style=style, datarefs=datarefs, hyperdrive_params=hyperdrive,
                              learned=facts, safe_only=safe_only)

    blocked.update(_unfit_helper_groups(ctx, helper_fed, planned))
    for at in by_code.get("AML101", []):
        call = ctx.calls_at.get(at)
        if call is None:
            continue
        if at in blocked:
            outcomes[("AML101", at)] = Outcome("AML101", at, "manual", blocked[at])
            continue
        outcome = planned(call, plan)
        outcomes[("AML101", at)] = outcome
        target = _target(call, ctx)
        if outcome.applicability != "manual" and target:
            fixed_estimators[target] = learned.sweeps.get(target, False)
    for name, sources in helper_fed.items():  # HyperDrive gets what a helper returns: less the tuned arguments
        if all(outcomes.get(("AML101", at), Outcome("", at, "manual", "")).applicability != "manual" for at in sources):
            fixed_estimators[name] = True
    _drop_copied_dicts(ctx, plan, learned, cells)
    covered = _covered(outcomes.values())
    for at in by_code.get("AML104", []):
        outcomes[("AML104", at)] = plan_hyperdrive(ctx.calls_at[at], ctx, plan, fixed_estimators)
    for at in by_code.get("AML105", []):
        outcomes[("AML105", at)] = plan_estimator_step(ctx.calls_at[at], ctx, plan, fixed_estimators)
    for code, at in wanted:
        if (code, at) in outcomes:
            continue
        if at in covered:
            source_outcome = covered[at]
            outcomes[(code, at)] = Outcome(code, at, "safe", f"rewritten with the {source_outcome.code} fix at "
                                                             f"line {source_outcome.at[0]}")
        elif code == "AML103":
            outcomes[(code, at)] = _distributed_outcome(at, ctx, outcomes)
        elif code == "AML201" and at in ctx.calls_at:
            outcomes[(code, at)] = plan_runconfiguration(ctx.calls_at[at], ctx, plan)
        elif code in HINTS:
            outcomes[(code, at)] = Outcome(code, at, "manual", HINTS[code])
    plan_datarefs(ctx, plan, [at for code, at in wanted if code in ("AML301", "AML302")
                              and (code, at) not in outcomes], by_code, outcomes)
    _imports(ctx, plan, by_code.get("AML102", []), outcomes)
    return plan, outcomes


def _drop_copied_dicts(ctx: ModuleContext, plan: Plan, learned: Learned, cells: Sequence[int]) -> None:
    """A dict bound only to be an estimator's script_params (or ``**settings``), whose literal the
    rewrites copied into every place that read it, goes: nothing uses it any more. In a notebook, only
    from the cell that uses it (another cell may be run on its own)."""
    def cell(line: int) -> int:
        return bisect_right(cells, line)

    copied: dict[Binding, set[ast.Name]] = {}
    for binding, read in learned.inlined:
        copied.setdefault(binding, set()).add(read)
    for binding, reads in copied.items():
        statement = binding.statement
        if not (isinstance(statement, ast.Assign) and len(statement.targets) == 1
                and isinstance(statement.targets[0], ast.Name) and statement.value is binding.value
                and ctx.holds_statements(statement) and not ctx.has_comments(statement)):
            continue
        if set(ctx.uses(binding)) == reads and all(cell(read.lineno) == cell(statement.lineno) for read in reads):
            plan.statement((statement.lineno, statement.col_offset)).remove = True


def _target(call: ast.Call, ctx: ModuleContext) -> str | None:
    statement = ctx.statement_of(call)
    if isinstance(statement, ast.Assign) and statement.value is call and len(statement.targets) == 1:
        return dotted(statement.targets[0])
    return None


def _hyperdrive_estimators(ctx: ModuleContext, positions: list[Position]) -> dict[str, set[str] | None]:
    found: dict[str, set[str] | None] = {}
    for at in positions:
        call = ctx.calls_at.get(at)
        estimator = hyperdrive_argument(call, "estimator", ctx) if call else None
        if isinstance(estimator, ast.Name):
            found[estimator.id] = hyperparameter_names(call, ctx)  # type: ignore[arg-type]
    return found


def _blocked_estimators(ctx: ModuleContext, by_code: dict[str, list[Position]]
                        ) -> tuple[dict[Position, str], dict[str, list[Position]]]:
    """Estimators that must stay estimators: they reach a HyperDriveConfig/EstimatorStep that cannot be
    rewritten, or reach an EstimatorStep through a helper function's return value (the consumer would then
    get a ScriptRunConfig as ``estimator=``, which fails). Also the estimators a helper returns to a
    HyperDriveConfig, by the name the caller binds them to: rewritten together, or not at all."""
    blocked: dict[Position, str] = {}
    helper_fed: dict[str, list[Position]] = {}
    for code in ("AML104", "AML105"):
        for at in by_code.get(code, []):
            call = ctx.calls_at.get(at)
            if call is None:
                continue
            estimator = hyperdrive_argument(call, "estimator", ctx) if code == "AML104" else \
                next((k.value for k in call.keywords if k.arg == "estimator"), None)
            consumer = "HyperDriveConfig" if code == "AML104" else "EstimatorStep"
            reason = consumer_blocker(code, call, ctx)
            sources = _estimator_sources(estimator, call, ctx)
            through_helper = [s for s in sources
                              if ctx.statement_of(s) is not ctx.statement_of(_binding_value(estimator, call, ctx))]
            caller_uses = _member_uses(estimator, ctx)
            if code == "AML104" and not reason and through_helper and not caller_uses:
                helper_fed[estimator.id] = [(s.lineno, s.col_offset) for s in sources]  # type: ignore[union-attr]
                continue
            for source in sources:
                direct = (source.lineno, source.col_offset)
                if reason:
                    blocked[direct] = f"it goes to {consumer} at line {at[0]}, which is left manual: migrate both by hand"
                elif source in through_helper:
                    blocked[direct] = (f"it reaches {consumer} at line {at[0]} through a function's return value"
                                       + (f" and its estimator members are used on line {caller_uses[0]}"
                                          if caller_uses else "") + ": migrate both by hand")
    return blocked, helper_fed


def _member_uses(estimator: ast.expr | None, ctx: ModuleContext) -> list[int]:
    """Lines where the name a helper's estimator is bound to is used for its members (``est.run_config``)."""
    binding = ctx.binding(estimator) if isinstance(estimator, ast.Name) else None
    return [use.lineno for use in (ctx.uses(binding) if binding is not None else ())
            if isinstance(ctx.parents.get(use), ast.Attribute)]


def _unfit_helper_groups(ctx: ModuleContext, helper_fed: dict[str, list[Position]],
                         planned: Callable[[ast.Call, Plan, Learned], Outcome]) -> dict[Position, str]:
    """The estimators a helper returns to HyperDrive are rewritten all together or not at all: a group
    with one that stays manual stays manual whole (HyperDrive would get a ScriptRunConfig as ``estimator=``)."""
    blocked: dict[Position, str] = {}
    for name, sources in list(helper_fed.items()):
        naming = ctx.naming()
        reasons = [planned(ctx.calls_at[at], Plan(), Learned()) for at in sources]  # a trial: nothing kept
        ctx.restore_naming(naming)
        manual = [outcome for outcome in reasons if outcome.applicability == "manual"]
        if manual:
            del helper_fed[name]
            for at in sources:
                blocked[at] = (f"{name} gets it through a function's return value, with another estimator that is "
                               f"left manual ({manual[0].summary}): migrate them by hand")
    return blocked


def _binding_value(estimator: ast.expr | None, call: ast.Call, ctx: ModuleContext) -> ast.AST:
    if isinstance(estimator, ast.Name):
        binding = ctx.binding(estimator)
        if binding is not None and binding.value is not None:
            return binding.value
    return call


def _estimator_sources(estimator: ast.expr | None, call: ast.Call, ctx: ModuleContext) -> list[ast.Call]:
    """The estimator calls whose value the consumer gets: the one a name is bound to, or the ones a
    local helper function returns."""
    value = _binding_value(estimator, call, ctx)
    if not isinstance(value, ast.Call):
        return []
    if estimator_class(value, ctx):
        return [value]
    if isinstance(value.func, ast.Name):
        for node in ast.walk(ctx.tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == value.func.id:
                return [r.value for r in ast.walk(node) if isinstance(r, ast.Return) and isinstance(r.value, ast.Call)
                        and estimator_class(r.value, ctx)]
    return []


def _covered(outcomes: Iterable[Outcome]) -> dict[Position, Outcome]:
    return {at: outcome for outcome in outcomes if outcome.applicability != "manual" for at in outcome.covered}


def _distributed_outcome(at: Position, ctx: ModuleContext, outcomes: dict[tuple[str, Position], Outcome]) -> Outcome:
    call = ctx.calls_at.get(at)
    if call is not None and deprecated_kind(call, ctx):
        reason = "rewritten together with the estimator that uses it; that estimator is left manual " \
                 "or not found, so this stays as it is"
    else:
        reason = "distributed_backend= of an estimator left manual"
    return Outcome("AML103", at, "manual", reason)


def _imports(ctx: ModuleContext, plan: Plan, positions: list[Position],
             outcomes: dict[tuple[str, Position], Outcome]) -> None:
    """AML102: a deprecated import goes when every use of what it binds is rewritten away; so does a
    ``RunConfiguration`` import once the fixes have folded away every use of it."""
    gone = _GoneUses(ctx, plan, outcomes)
    for at in positions:
        statement = ctx.imports_at.get(at)
        if statement is None:
            continue
        aliases = _deprecated_aliases(statement)
        left = _left_uses(ctx, statement, aliases, gone)
        if left:
            lines = ", ".join(str(line) for line in sorted(set(left))[:3])
            outcomes[("AML102", at)] = Outcome("AML102", at, "manual", f"still used on line {lines}: "
                                                                       f"migrate those uses first")
            continue
        drop_aliases(plan, statement, aliases)
        outcomes[("AML102", at)] = Outcome("AML102", at, "safe",
                                           "removed the import: nothing uses it after the rewrite")
    for code, name, modules in _FOLDED_AWAY:
        if not any(o.code == code and o.applicability != "manual" for o in outcomes.values()):
            continue
        for statement in ctx.imports_at.values():
            aliases = [alias for alias in statement.names if alias.name == name
                       and isinstance(statement, ast.ImportFrom) and statement.module in modules]
            if aliases and not _left_uses(ctx, statement, aliases, gone):
                drop_aliases(plan, statement, aliases)


# Imports a fix can leave unused: (the rule whose fix rewrites their uses away, name, modules it is
# imported from). A RunConfiguration folded into its ScriptRunConfig; HyperDriveRunConfig renamed.
_FOLDED_AWAY = (("AML201", "RunConfiguration", RUNCONFIGURATION_MODULES),
                ("AML104", "HyperDriveRunConfig", ("azureml.train.hyperdrive", "azureml.train.hyperdrive.runconfig")))


class _GoneUses:
    """Which reads of a name the plan rewrites away: callees of rewritten or dropped calls, and
    anything in a statement that goes."""

    def __init__(self, ctx: ModuleContext, plan: Plan, outcomes: dict[tuple[str, Position], Outcome]) -> None:
        self.ctx = ctx
        self.calls = {e.at for e in plan.calls if e.func} | _dropped_calls(outcomes)
        self.statements = {e.at for e in plan.statements if e.remove}

    def covers(self, use: ast.Name) -> bool:
        statement = self.ctx.statement_of(use)
        return _call_of_callee(use, self.ctx) in self.calls or (statement.lineno, statement.col_offset) in self.statements


def _left_uses(ctx: ModuleContext, statement: ast.Import | ast.ImportFrom, aliases: list[ast.alias],
               gone: _GoneUses) -> list[int]:
    """The lines that still use what ``aliases`` bind once the plan is carried out."""
    bound = bound_names(statement, aliases)
    left = [use.lineno for name, prefix in bound for use in name_uses(ctx, name, prefix)
            if not gone.covers(use)]
    return left + [ctx.annotation_names[name] for name, _ in bound if name in ctx.annotation_names]


def drop_aliases(plan: Plan, statement: ast.Import | ast.ImportFrom, aliases: list[ast.alias]) -> None:
    """Plan the aliases' removal: the whole statement when nothing else is left (or it is a star import)."""
    edit = plan.statement((statement.lineno, statement.col_offset))
    if len(aliases) == len(statement.names):
        edit.remove = True
    else:
        edit.drop |= {(alias.name, alias.asname) for alias in aliases}


def _dropped_calls(outcomes: dict[tuple[str, Position], Outcome]) -> set[Position]:
    return {at for o in outcomes.values() if o.applicability != "manual" for at in o.covered}


def _deprecated_aliases(statement: ast.Import | ast.ImportFrom) -> list[ast.alias]:
    """What the statement imports that is deprecated (``EstimatorStep`` of ``from azureml.pipeline.steps
    import EstimatorStep, PythonScriptStep``); the rest of the statement stays."""
    def deprecated(alias: ast.alias) -> bool:
        if isinstance(statement, ast.Import):
            return module_is_deprecated(alias.name) is not None
        module = statement.module or ""
        sdk = lookup(f"{module}.{alias.name}")
        return module_is_deprecated(module) is not None or bool(sdk and sdk.deprecated) \
            or module_is_deprecated(f"{module}.{alias.name}") is not None
    return [alias for alias in statement.names if deprecated(alias)]


def bound_names(statement: ast.Import | ast.ImportFrom, aliases: list[ast.alias]) -> list[tuple[str, str | None]]:
    """(name bound, dotted prefix its uses must start with): ``import a.b`` binds ``a`` for ``a.b.*`` only."""
    bound: list[tuple[str, str | None]] = []
    for alias in aliases:
        if alias.asname:
            bound.append((alias.asname, None))
        elif isinstance(statement, ast.Import):
            bound.append((alias.name.split(".")[0], alias.name if "." in alias.name else None))
        elif alias.name != "*":
            bound.append((alias.name, None))
        else:
            bound += [(name, None) for name in STAR_EXPORTS.get(statement.module or "", ())]  # type: ignore[union-attr]
    return bound


def name_uses(ctx: ModuleContext, name: str, prefix: str | None) -> list[ast.Name]:
    found = []
    for node in ctx.loads.get(name, []):
        chain: ast.AST = node
        while isinstance(ctx.parents.get(chain), ast.Attribute):
            chain = ctx.parents[chain]
        if prefix is None or (dotted(chain) or "").startswith(prefix):  # type: ignore[arg-type]
            found.append(node)
    return found


def _call_of_callee(name: ast.Name, ctx: ModuleContext) -> Position | None:
    """The call whose callee expression starts with ``name`` (``PyTorch(``, ``dnn.PyTorch(``)."""
    node: ast.AST = name
    while isinstance(ctx.parents.get(node), ast.Attribute):
        node = ctx.parents[node]
    parent = ctx.parents.get(node)
    if isinstance(parent, ast.Call) and parent.func is node:
        return (parent.lineno, parent.col_offset)
    return None
