"""AML101's ``script_params`` -> the ScriptRunConfig's ``arguments`` (SDK_FACTS.md sections 3, 7, 10, 13).

A dict whose keys and values the source pins down becomes a list literal (``arguments.py``): its
DataReferences are cast and registered, its Datastores mounted and registered as the estimator did.
Anything else -- a dict from a parameter or an attribute, one filled in a loop or changed later, values
whose type only run time knows -- is converted at run time by the SDK's own algorithm
(``helpers.ARGUMENTS``), right after the ScriptRunConfig is built.

HyperDrive dropped from an estimator's arguments those its parameter space also sets; it keeps them
for a ScriptRunConfig. Where the configuration goes to HyperDrive only and both the arguments and the
parameter space are literal, the tuned ones are left out of the literal here; otherwise the
HyperDriveConfig gets the configuration less them at run time (``helpers.SWEEP``, ``steps.py``).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from ..analysis.scopes import Binding
from .arguments import Arguments, convert_dict
from .astctx import ModuleContext, dotted, dotted_root, given
from .helpers import ARGUMENTS
from .plan import TARGET, Position

# Calls a copied dict literal may hold: evaluating them where the ScriptRunConfig is built gives the
# same values (builtins, path and environment lookups, dataset and data reference views).
_PURE_FUNCTIONS = frozenset({"str", "int", "float", "bool", "len", "round", "abs", "min", "max"})
_PURE_METHODS = frozenset({"as_named_input", "as_mount", "as_download", "as_hdfs", "as_upload", "path", "join",
                           "getenv", "get", "format"})


@dataclass
class Tuning:
    """What HyperDrive does with the estimator's configuration."""

    parameters: set[str] | None  # the parameter space's names (dashes stripped); None: known at run time
    other_uses: list[int]  # lines using the configuration other than as HyperDrive's ``estimator=``


@dataclass
class ArgumentsPlan:
    value: str | None = None  # the list literal for ``arguments=``
    follow_up: str | None = None  # or: the conversion at run time, after the ScriptRunConfig is built
    hoisted: list[tuple[str, str]] = field(default_factory=list)  # (name, expression) bound before
    references: list[str] = field(default_factory=list)  # DataReferences the literal casts, to register
    covered: list[Position] = field(default_factory=list)  # AML301 findings this takes care of
    inlined: tuple[Binding, ast.Name] | None = None  # the dict binding whose literal was copied, and its read
    helpers: set[str] = field(default_factory=set)
    tuned_at_run_time: bool = False  # HyperDrive must get the configuration less the tuned arguments
    notes: list[str] = field(default_factory=list)
    blocker: str | None = None


def plan_arguments(value: ast.expr, call: ast.Call, target: str | None, ctx: ModuleContext,
                   datarefs: set[Position], tuning: Tuning | None, base: str,
                   resume_from: bool) -> ArgumentsPlan:
    if isinstance(value, ast.Name):
        blocker = _shared_with_resume(value, resume_from, ctx)
        if blocker:
            return ArgumentsPlan(blocker=blocker)
    literal, binding = _static_dict(value, call, ctx)
    if literal is not None:
        converted = convert_dict(literal, ctx, datarefs, f"{base}_data")
        if converted.blocker is None and not converted.unknown:
            plan = ArgumentsPlan(hoisted=converted.hoisted, references=converted.references,
                                 covered=[p for p in datarefs if _inside(p, literal)])
            if binding is not None:
                plan.inlined = (binding, value)  # type: ignore[assignment]
                plan.notes.append(f"arguments converted from the dict bound to {value.id}")  # type: ignore[attr-defined]
            if tuning is not None:
                _tune_literal(plan, converted, tuning)
            plan.value = converted.text(_indent(value))
            return plan
    return _at_run_time(value, call, target, ctx, datarefs, tuning, base, resume_from)


def _static_dict(value: ast.expr, call: ast.Call, ctx: ModuleContext) -> tuple[ast.Dict | None, Binding | None]:
    """The dict literal whose value the estimator gets, if the source pins it down: written in the call,
    or bound to the name on every path, never changed, and the same where the estimator is built."""
    if isinstance(value, ast.Dict):
        return value, None
    if not isinstance(value, ast.Name):
        return None, None
    binding = ctx.binding(value)
    if binding is None or not isinstance(binding.value, ast.Dict) or ctx.mutated(binding, before=call):
        return None, None
    if not (ctx.same_names_at(binding.value, call) and _pure(binding.value, ctx)):
        return None, None
    return binding.value, binding


def _pure(expr: ast.expr, ctx: ModuleContext) -> bool:
    for node in ast.walk(expr):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id in _PURE_FUNCTIONS and not ctx.flow.reaching(func):
            continue
        if isinstance(func, ast.Attribute) and func.attr in _PURE_METHODS:
            continue
        return False
    return True


def _tune_literal(plan: ArgumentsPlan, converted: Arguments, tuning: Tuning) -> None:
    """Leave out of the literal the arguments HyperDrive dropped, when nothing else uses the
    configuration; otherwise HyperDrive gets a copy less them at run time."""
    if tuning.parameters is None:
        plan.tuned_at_run_time = True
        return
    # HyperDrive re-read the arguments as key/value pairs: a flag without a value shifts which items
    # it took for names, so only the run-time pairing can tell what it dropped
    if any(len(group) != 2 for group in converted.items if group):
        plan.tuned_at_run_time = True
        return
    tuned = [group for group in converted.items if group and _unquote(group[0]).lstrip("-") in tuning.parameters]
    if not tuned:
        return  # HyperDrive had nothing to drop
    if tuning.other_uses:
        plan.tuned_at_run_time = True
        return
    for group in tuned:
        plan.notes.append(f"dropped {group[0]} from arguments: the HyperDrive parameter space sets it")
        group.clear()


def _at_run_time(value: ast.expr, call: ast.Call, target: str | None, ctx: ModuleContext,
                 datarefs: set[Position], tuning: Tuning | None, base: str, resume_from: bool) -> ArgumentsPlan:
    plan = ArgumentsPlan(helpers={ARGUMENTS.name}, tuned_at_run_time=tuning is not None)
    expression = ctx.text(value)
    if _needs_a_name(value, target):
        name = ctx.fresh_name(f"{base}_script_params")
        plan.hoisted.append((name, expression))
        expression = name
    conversion = f"{ARGUMENTS.name}({expression}, {TARGET}.run_config)"
    if resume_from:  # the ScriptRunConfig put --resume-from last, as the estimator did
        conversion += f" + {TARGET}.arguments"
    plan.follow_up = f"{TARGET}.arguments = {conversion}"
    plan.covered = [p for p in datarefs if _reaches(p, value, ctx)]
    plan.notes.append(f"arguments computed from {_short(expression)} at run time with the estimator's rules")
    return plan


def _shared_with_resume(read: ast.Name, resume_from: bool, ctx: ModuleContext) -> str | None:
    """An estimator given ``resume_from`` added ``--resume-from`` to the very dict it was given, when it
    was built: every use of that dict that may run afterwards may have seen it, which no rewrite can
    tell apart."""
    for binding in ctx.flow.reaching(read):
        for use in ctx.uses(binding):
            if use is read or ctx.runs_after(read if resume_from else use, use if resume_from else read):
                continue
            if resume_from:
                return f"the estimator added --resume-from to {read.id}, which is used again on line {use.lineno}: " \
                       f"migrate both by hand"
            if _resumes(use, ctx):
                return f"the estimator on line {use.lineno} added --resume-from to {read.id}, which this one may " \
                       f"have seen: migrate both by hand"
    return None


def _resumes(use: ast.expr, ctx: ModuleContext) -> bool:
    """``use`` is the script_params of a call that also has a ``resume_from``."""
    keyword, call = ctx.parents.get(use), None
    if isinstance(keyword, ast.keyword) and keyword.arg == "script_params":
        call = ctx.parents.get(keyword)
    return isinstance(call, ast.Call) and given({k.arg: k.value for k in call.keywords if k.arg}, "resume_from") is not None


def _needs_a_name(value: ast.expr, target: str | None) -> bool:
    """Evaluated after the statement instead of inside it: a call must not run at another point, and
    the statement must not rebind what the value reads (``params = PyTorch(script_params=params)``)."""
    if any(isinstance(node, (ast.Call, ast.Await, ast.Yield, ast.YieldFrom, ast.NamedExpr))
           for node in ast.walk(value)):
        return True
    read = {dotted(node) for node in ast.walk(value) if isinstance(node, (ast.Name, ast.Attribute))}
    return target is not None and any(name == target or (name or "").startswith(target + ".") for name in read)


def _reaches(position: Position, value: ast.expr, ctx: ModuleContext) -> bool:
    """Whether the AML301 finding at ``position`` is a value of the dict ``value`` stands for: inside
    it, or put into the dict it holds (``params[key] = ref``)."""
    if _inside(position, value):
        return True
    if not isinstance(value, ast.Name):
        return False
    for binding in ctx.flow.reaching(value):
        if binding.value is not None and _inside(position, binding.value):
            return True
        for use in ctx.uses(binding):
            statement = ctx.statement_of(use)
            if _inside(position, statement) and dotted_root(use) == value.id:
                return True
    return False


def hyperdrive_other_uses(binding: Binding | None, ctx: ModuleContext) -> list[int]:
    """Lines using a configuration other than as a HyperDriveConfig's ``estimator=``."""
    if binding is None:
        return []
    lines = []
    for use in ctx.uses(binding):
        parent = ctx.parents.get(use)
        if not (isinstance(parent, ast.keyword) and parent.arg == "estimator"):
            lines.append(use.lineno)
    return lines


def _unquote(text: str) -> str:
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text
    return value if isinstance(value, str) else text


def _inside(position: Position, node: ast.AST) -> bool:
    start = (node.lineno, node.col_offset)  # type: ignore[attr-defined]
    end = (node.end_lineno, node.end_col_offset)  # type: ignore[attr-defined]
    return start <= position < end


def _indent(node: ast.expr) -> str | None:
    """The indentation of a dict written one entry per line, to lay the list out the same way."""
    if not isinstance(node, ast.Dict) or node.lineno == node.end_lineno or not node.keys or node.keys[0] is None:
        return None
    first = node.keys[0]
    return " " * first.col_offset if first.lineno != node.lineno else None


def _short(text: str) -> str:
    return text if len(text) <= 40 else text[:37] + "..."
