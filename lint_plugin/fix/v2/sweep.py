"""``HyperDriveConfig(run_config=job, ...)`` -> ``job(NAME=Distribution(...)).sweep(...)`` + ``set_limits``.

Each parameter of the search space becomes an input of the job: ``--lr`` (or ``lr``: v1 passed it as
``--lr``) -> input ``lr`` (dashes -> underscores), ``--lr ${{inputs.lr}}`` in the command, with the
value the arguments gave it as the input's value, so the job submitted on its own runs as before.
The sampling (``RandomParameterSampling`` -> ``'random'``, grid, bayesian), the primary metric and goal,
the early termination policy (``BanditPolicy``, ``MedianStoppingPolicy``, ``TruncationSelectionPolicy``
with v1's defaults written out; ``NoTerminationPolicy`` -> none) and the limits (``max_total_runs`` ->
``max_total_trials``, ``max_concurrent_runs`` -> ``max_concurrent_trials`` (v1 sent ``None`` as
``max_total_runs``), ``max_duration_minutes`` -> ``timeout`` in seconds, v1's default of 10080 minutes
written out; the job's ``max_run_duration_seconds`` -> ``trial_timeout``: a sweep ignores its trial's
``command(timeout=)``) map one to one.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from ...analysis.scopes import Binding
from ...sdk.names import HYPERDRIVE_POSITIONAL
from ..astctx import UNKNOWN, ModuleContext, is_none
from ..plan import Position
from .tokens import v2
from .uses import assigned_binding
from .values import Values

_HYPERDRIVE = "azureml.train.hyperdrive"
_SAMPLINGS = {"RandomParameterSampling": "random", "GridParameterSampling": "grid",
              "BayesianParameterSampling": "bayesian"}
# v1 policy -> its parameters in order with v1's defaults (None: required).
_POLICIES = {
    "BanditPolicy": (("evaluation_interval", 1), ("slack_factor", None), ("slack_amount", None),
                     ("delay_evaluation", 0)),
    "MedianStoppingPolicy": (("evaluation_interval", 1), ("delay_evaluation", 0)),
    "TruncationSelectionPolicy": (("truncation_percentage", None), ("evaluation_interval", 1),
                                  ("delay_evaluation", 0)),
}
# v1 distribution -> (v2 class, its parameter names in v1's order, the v2 input type)
_DISTRIBUTIONS = {
    "uniform": ("Uniform", ("min_value", "max_value"), "number"),
    "loguniform": ("LogUniform", ("min_value", "max_value"), "number"),
    "normal": ("Normal", ("mu", "sigma"), "number"),
    "lognormal": ("LogNormal", ("mu", "sigma"), "number"),
    "quniform": ("QUniform", ("min_value", "max_value", "q"), "number"),
    "qloguniform": ("QLogUniform", ("min_value", "max_value", "q"), "number"),
    "qnormal": ("QNormal", ("mu", "sigma", "q"), "number"),
    "qlognormal": ("QLogNormal", ("mu", "sigma", "q"), "number"),
    "randint": ("Randint", ("upper",), "integer"),
}
_GOALS = {"MAXIMIZE": "Maximize", "MINIMIZE": "Minimize"}
_LIMITS = (("max_total_runs", "max_total_trials"), ("max_concurrent_runs", "max_concurrent_trials"))
_V1_DEFAULT_MINUTES = 10080
_UNSUPPORTED = ("resume_from", "resume_child_runs", "pipeline", "custom_run_id", "debug_flag")


@dataclass
class Parameter:
    flag: str  # as v1 passed it on the command line
    name: str  # the v2 input
    distribution: str  # the v2 distribution's source
    input_type: str


@dataclass
class SweepPlan:
    call: ast.Call
    binding: Binding | None = None
    job_name: ast.Name | None = None  # the job it tunes
    parameters: list[Parameter] = field(default_factory=list)
    sweep_arguments: list[str] = field(default_factory=list)  # .sweep(...) arguments but compute
    limits: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)
    blocker: str | None = None
    root: str | None = None  # when another rewrite's blocker keeps this one manual: that reason

    @property
    def at(self) -> Position:
        return (self.call.lineno, self.call.col_offset)


class SweepPlanner:
    def __init__(self, ctx: ModuleContext, values: Values) -> None:
        self.ctx = ctx
        self.values = values

    def plan(self, call: ast.Call) -> SweepPlan:
        sweep = SweepPlan(call)
        sweep.blocker = self._plan(sweep)
        return sweep

    def _plan(self, sweep: SweepPlan) -> str | None:
        call = sweep.call
        cls = (self.ctx.qualified(call.func) or "").rpartition(".")[2]
        if cls != "HyperDriveConfig":
            return f"{cls} tunes an estimator (AML104): migrate it to HyperDriveConfig(run_config=...) first"
        if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
            return "*args or **kwargs passed through"
        arguments = {**dict(zip(HYPERDRIVE_POSITIONAL[cls], call.args)),
                     **{k.arg: k.value for k in call.keywords if k.arg}}
        arguments = {k: v for k, v in arguments.items() if not is_none(v)}
        if "estimator" in arguments:
            return "HyperDrive tunes an estimator (AML104): migrate it to run_config= first"
        unsupported = [name for name in _UNSUPPORTED if name in arguments]
        if unsupported:
            return f"{', '.join(unsupported)} has no v2 sweep equivalent: migrate the sweep by hand"
        statement = self.ctx.statement_of(call)
        sweep.binding = assigned_binding(call, self.ctx)
        if sweep.binding is None or not self.ctx.holds_statements(statement):
            return "the HyperDriveConfig is not bound to a name on a line of its own: bind it first"
        sweep.job_name = _tuned_job(arguments.get("run_config"))
        if sweep.job_name is None:
            return "the HyperDriveConfig's run_config is not a job of this module"
        for step in (self._sampling, self._objective, self._policy, self._limits):
            reason = step(sweep, arguments, statement)
            if reason:
                return reason
        return None

    def _sampling(self, sweep: SweepPlan, arguments: dict[str, ast.expr], at: ast.stmt) -> str | None:
        sampling = self._value(arguments.get("hyperparameter_sampling"))
        cls = self._hyperdrive_class(sampling)
        if cls not in _SAMPLINGS or not isinstance(sampling, ast.Call):
            return "the hyperparameter sampling is not a Random, Grid or Bayesian sampling this fix can read"
        given = {**dict(zip(("parameter_space", "properties"), sampling.args)),
                 **{k.arg: k.value for k in sampling.keywords}}
        if "properties" in given and not is_none(given["properties"]) or set(given) - {"parameter_space", "properties"}:
            return "the sampling's properties have no v2 sweep equivalent: migrate the sweep by hand"
        space = self._value(given.get("parameter_space"))
        if not isinstance(space, ast.Dict):
            return "the parameter space is not a dict this fix can read"
        for key, value in zip(space.keys, space.values):
            name = self.values.string(key) if key is not None else None
            parameter = self._parameter(name, value, at) if name else None
            if parameter is None:
                return f"the search space entry {self.ctx.text(key) if key else '**'} is not one this fix can read"
            sweep.parameters.append(parameter)
        sweep.sweep_arguments.append(f"sampling_algorithm={_SAMPLINGS[cls]!r}")
        return None

    def _parameter(self, key: str, value: ast.expr, at: ast.stmt) -> Parameter | None:
        function = self._hyperdrive_class(value)
        if not isinstance(value, ast.Call) or value.keywords and function != "choice":
            return None
        name = key.lstrip("-").replace("-", "_")
        flag = f"--{key.lstrip('-')}"
        if function == "choice":
            options = value.args[0].elts if len(value.args) == 1 and isinstance(value.args[0], (ast.List, ast.Tuple)) \
                else value.args
            texts = [self.values.literal_or_text(option, at) for option in options]
            if not texts or None in texts:
                return None
            kinds = {type(self.values.constant(option)) for option in options}
            input_type = "integer" if kinds == {int} else "number" if kinds <= {int, float} else \
                "boolean" if kinds == {bool} else "string"
            choices = ", ".join(texts)  # type: ignore[arg-type]
            return Parameter(flag, name, f"{v2('Choice')}(values=[{choices}])", input_type)
        if function not in _DISTRIBUTIONS or len(value.args) != len(_DISTRIBUTIONS[function][1]):
            return None
        cls, names, input_type = _DISTRIBUTIONS[function]
        texts = [self.values.literal_or_text(argument, at) for argument in value.args]
        if None in texts:
            return None
        return Parameter(flag, name, f"{v2(cls)}(" + ", ".join(f"{n}={t}" for n, t in zip(names, texts)) + ")",
                         input_type)

    def _objective(self, sweep: SweepPlan, arguments: dict[str, ast.expr], at: ast.stmt) -> str | None:
        metric = self.values.literal_or_text(arguments["primary_metric_name"], at) \
            if "primary_metric_name" in arguments else None
        goal = arguments.get("primary_metric_goal")
        qualified = self.ctx.qualified(goal) if isinstance(goal, ast.Attribute) else None
        member = (qualified or "").rpartition(".")[2]
        if metric is None or member not in _GOALS or not (qualified or "").startswith(_HYPERDRIVE):
            return "the primary metric or its goal is not one this fix can read"
        sweep.sweep_arguments += [f"primary_metric={metric}", f"goal={_GOALS[member]!r}"]
        return None

    def _policy(self, sweep: SweepPlan, arguments: dict[str, ast.expr], at: ast.stmt) -> str | None:
        policy = self._value(arguments.get("policy"))
        if policy is None:
            return None
        cls = self._hyperdrive_class(policy)
        if cls == "NoTerminationPolicy":
            return None
        if cls not in _POLICIES or not isinstance(policy, ast.Call) or any(k.arg is None for k in policy.keywords):
            return "the early termination policy is not one this fix can read"
        names = _POLICIES[cls]
        given = {**dict(zip((n for n, _ in names), policy.args)), **{k.arg: k.value for k in policy.keywords}}
        if set(given) - {n for n, _ in names}:
            return f"{cls} passes settings v2 has no field for"
        parts = []
        for name, default in names:
            value = given.get(name)
            text = repr(default) if value is None else self.values.literal_or_text(value, at)
            if text is None:
                return f"the {cls}'s {name} reads something v2 code cannot"
            if text != "None":
                parts.append(f"{name}={text}")
        sweep.sweep_arguments.append(f"early_termination_policy={v2(cls)}({', '.join(parts)})")
        return None

    def _limits(self, sweep: SweepPlan, arguments: dict[str, ast.expr], at: ast.stmt) -> str | None:
        texts: dict[str, str] = {}
        for v1_name, v2_name in _LIMITS:
            if v1_name in arguments and not is_none(arguments[v1_name]):
                text = self.values.literal_or_text(arguments[v1_name], at)
                if text is None:
                    return f"{v1_name} reads something v2 code cannot"
                texts[v2_name] = text
        if "max_concurrent_trials" not in texts and "max_total_trials" in texts:
            # HyperDriveConfig: max_concurrent_runs=None is sent as max_total_runs (all at once)
            texts["max_concurrent_trials"] = texts["max_total_trials"]
        sweep.limits += [f"{name}={text}" for name, text in texts.items()]
        minutes = arguments.get("max_duration_minutes")
        value = self.values.constant(minutes, _V1_DEFAULT_MINUTES)
        if isinstance(value, int):
            sweep.limits.append(f"timeout={value * 60}")
        elif value is UNKNOWN:
            text = self.values.text_at(minutes, at)  # type: ignore[arg-type]
            if text is None:
                return "max_duration_minutes reads something v2 code cannot"
            sweep.limits.append(f"timeout={text} * 60")
        return None

    def _value(self, expr: ast.expr | None) -> ast.expr | None:
        if isinstance(expr, ast.Name):
            binding = self.ctx.binding(expr)
            return binding.value if binding is not None else None
        return expr

    def _hyperdrive_class(self, expr: ast.expr | None) -> str | None:
        if not isinstance(expr, ast.Call):
            return None
        qualified = self.ctx.qualified(expr.func) or ""
        return qualified.rpartition(".")[2] if qualified.startswith(_HYPERDRIVE + ".") else None


def _tuned_job(run_config: ast.expr | None) -> ast.Name | None:
    """The job a HyperDriveConfig tunes: ``run_config=src``, or stage 1's ``_hyperdrive_run_config(src, ...)``."""
    if isinstance(run_config, ast.Name):
        return run_config
    if isinstance(run_config, ast.Call) and isinstance(run_config.func, ast.Name) \
            and run_config.func.id == "_hyperdrive_run_config" and run_config.args \
            and isinstance(run_config.args[0], ast.Name):
        return run_config.args[0]
    return None


def sweep_text(sweep: SweepPlan, compute: str, trial_timeout: str | None, indent: str) -> tuple[str, str]:
    """(what replaces the HyperDriveConfig call, the ``set_limits`` statement after it). A sweep drops its
    trial command's ``timeout``: each trial's limit is ``trial_timeout`` (v1's max_run_duration_seconds)."""
    assert sweep.job_name is not None and sweep.binding is not None
    tuned = ", ".join(f"{p.name}={p.distribution}" for p in sweep.parameters)
    inner = indent + "    "
    arguments = [f"compute={compute}", *sweep.sweep_arguments]
    text = f"{sweep.job_name.id}({tuned}).sweep(\n{inner}" + f",\n{inner}".join(arguments) + f",\n{indent})"
    limits = [*sweep.limits, *([f"trial_timeout={trial_timeout}"] if trial_timeout is not None else [])]
    return text, f"{sweep.binding.name}.set_limits({', '.join(limits)})"
