"""AML101: an estimator call -> ``ScriptRunConfig`` + ``Environment`` (SDK_FACTS.md sections 2-9).

Pure ``ast``: this decides everything (and runs inside the checker through
``lint_plugin/engine.py``); ``apply.py`` only carries the decisions out.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from ..sdk.estimators import BY_NAME as ESTIMATORS
from ..sdk.names import lookup
from .arguments import is_empty
from ..analysis.scopes import Binding
from .astctx import ModuleContext, dotted, given
from .distributed import DistributedPlan, plan_distributed
from .environment import EnvironmentRequest, plan_environment
from .followers import consumers_of, plan_followers
from .inputs import plan_inputs
from .plan import TARGET, CallEdit, Outcome, Plan, Position
from .script_params import ArgumentsPlan, Tuning, hyperdrive_other_uses, plan_arguments

_CORE, _RUNCONFIG = "azureml.core", "azureml.core.runconfig"

_COMMON = frozenset({
    "source_directory", "compute_target", "vm_size", "vm_priority", "entry_script", "script_params",
    "use_docker", "custom_docker_image", "image_registry_details", "user_managed", "conda_packages",
    "pip_packages", "conda_dependencies_file_path", "pip_requirements_file_path", "conda_dependencies_file",
    "pip_requirements_file", "environment_variables", "environment_definition", "inputs", "shm_size",
    "resume_from", "max_run_duration_seconds", "_disable_validation", "_show_lint_warnings",
    "_show_package_warnings"})
_DISTRIBUTED = frozenset({"node_count", "process_count_per_node", "distributed_backend", "distributed_training",
                          "use_gpu", "custom_docker_base_image", "source_directory_data_store"})
_FRAMEWORK = frozenset({"framework_version", "_enable_optimized_mode"})
KEYWORDS: dict[str, frozenset[str]] = {
    "Estimator": _COMMON | _DISTRIBUTED,
    "PyTorch": _COMMON | _DISTRIBUTED | _FRAMEWORK,
    "Chainer": _COMMON | _DISTRIBUTED | _FRAMEWORK,
    "TensorFlow": _COMMON | _DISTRIBUTED | _FRAMEWORK | {"worker_count", "parameter_server_count"},
    "SKLearn": _COMMON | _FRAMEWORK,
}
_KEPT = frozenset({"source_directory", "compute_target", "resume_from", "max_run_duration_seconds"})


@dataclass
class Learned:
    """What the rewrites of a module's estimators tell the planner."""

    # estimator name -> whether HyperDrive must get it less the tuned arguments at run time (the rewrite
    # could not leave them out of its arguments)
    sweeps: dict[str, bool] = field(default_factory=dict)
    # dicts whose literal a rewrite copied (script_params, ``**settings``), with the read it replaced
    inlined: list[tuple[Binding, ast.Name]] = field(default_factory=list)


@dataclass
class EstimatorJob:
    """What the planners found about one estimator call."""

    cls: str
    call: ast.Call
    keywords: dict[str, ast.expr]
    target: str | None  # the expression the result is bound to (``est``, ``self.est``)
    statement: ast.stmt
    follow_ups: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    covered: list[Position] = field(default_factory=list)  # other findings this rewrite fixes
    arguments: ArgumentsPlan | None = None
    unpacked: set[str] = field(default_factory=set)  # keywords passed through ``**`` a dict the source pins down
    inlined: list[tuple[Binding, ast.Name]] = field(default_factory=list)  # dict bindings copied, and the reads


def estimator_class(call: ast.Call, ctx: ModuleContext) -> str | None:
    sdk = lookup(ctx.qualified(call.func))
    return sdk.name if sdk else None


def plan_estimator(call: ast.Call, ctx: ModuleContext, plan: Plan, *, style: str, datarefs: set[Position],
                   hyperdrive_params: dict[str, set[str] | None], safe_only: bool = False,
                   learned: Learned | None = None) -> Outcome:
    """Plan the rewrite of one estimator call into ``plan``; the outcome says how it went. ``learned``
    collects what the planner needs to know of rewrites across estimators."""
    at = (call.lineno, call.col_offset)
    job, blocker = _job(call, ctx)
    if job is None:
        return Outcome("AML101", at, "manual", blocker or "")
    scratch = Plan()
    blocker = _plan_job(job, ctx, scratch, style, datarefs, hyperdrive_params)
    if blocker:
        return Outcome("AML101", at, "manual", blocker)
    applicability = "unsafe" if job.changes else "safe"
    if applicability == "unsafe" and safe_only:
        return Outcome("AML101", at, "manual", "unsafe fix not applied (--safe-only): " + "; ".join(job.changes))
    _merge(plan, scratch)
    if learned is not None:
        if job.target in hyperdrive_params:
            learned.sweeps[job.target] = job.arguments is not None and job.arguments.tuned_at_run_time
        learned.inlined += job.inlined
    summary = f"{job.cls}(...) -> ScriptRunConfig(...)" + "".join(f"; {note}" for note in job.notes)
    return Outcome("AML101", at, applicability, summary, tuple(job.changes), job.covered)


def _job(call: ast.Call, ctx: ModuleContext) -> tuple[EstimatorJob | None, str | None]:
    via = ctx.constructed_via(call)
    if via is not None:
        return None, f"the estimator class is reached through {via}: build its ScriptRunConfig by hand"
    cls = estimator_class(call, ctx)
    if cls is None:
        return None, "a class of yours built on an estimator: move its settings into a ScriptRunConfig by hand"
    if cls not in KEYWORDS:  # an SDK estimator without a rewrite; the data says why
        return None, ESTIMATORS[cls].no_rewrite
    if any(isinstance(a, ast.Starred) for a in call.args):
        return None, "*args passed through"
    if len(call.args) > 1:
        return None, "positional arguments beyond source_directory"
    keywords: dict[str, ast.expr] = {}
    unpacked: set[str] = set()
    inlined: list[tuple[Binding, ast.Name]] = []
    for k in call.keywords:
        if k.arg is not None:
            keywords[k.arg] = k.value
            continue
        known = _unpacked_keywords(k.value, call, ctx)
        if known is None:
            return None, "**kwargs passed through, with keywords known only at run time"
        keywords.update(known)
        unpacked |= set(known)
        if isinstance(k.value, ast.Name):
            inlined.append((ctx.binding(k.value), k.value))  # type: ignore[arg-type]
    if call.args:
        keywords["source_directory"] = call.args[0]
    unknown = sorted(set(keywords) - KEYWORDS[cls])
    if unknown:
        return None, f"{cls} takes no {', '.join(unknown)}"
    entry = keywords.get("entry_script")
    if isinstance(entry, ast.Constant) and isinstance(entry.value, str) and entry.value.endswith(".ipynb"):
        return None, "a notebook entry script has no ScriptRunConfig equivalent"
    if given(keywords, "_enable_optimized_mode") and not _is_false(keywords["_enable_optimized_mode"]):
        return None, "_enable_optimized_mode has no public ScriptRunConfig equivalent"
    if _inside_own_scope(call, ctx):
        return None, "built inside a lambda or comprehension, where the statements it needs cannot go"
    statement = ctx.statement_of(call)
    if not ctx.holds_statements(statement):
        return None, "built in a compound statement's header or one-line body: put it on a line of its own first"
    target = None
    if isinstance(statement, ast.Assign) and statement.value is call and len(statement.targets) == 1 \
            and dotted(statement.targets[0]):
        target = dotted(statement.targets[0])
    return EstimatorJob(cls, call, keywords, target, statement, unpacked=unpacked, inlined=inlined), None


def _spell_out_unpacked(job: EstimatorJob, edit: CallEdit, ctx: ModuleContext) -> None:
    """``**common`` goes; the keywords from it that the ScriptRunConfig takes are written out, first."""
    if not job.unpacked:
        return
    edit.drop.add("**")
    written = [(edit.rename.get(name, name), edit.values.get(name) or ctx.text(job.keywords[name]))
               for name in job.keywords if name in job.unpacked and name not in edit.drop]
    edit.append[:0] = written


def _unpacked_keywords(value: ast.expr, call: ast.Call, ctx: ModuleContext) -> dict[str, ast.expr] | None:
    """The keywords ``**value`` passes, when the source pins them down: a dict literal with string keys
    or ``dict(key=...)``, written in place or bound to the name on every path, unchanged and with the
    same names where the estimator is built."""
    if isinstance(value, ast.Name):
        binding = ctx.binding(value)
        if binding is None or binding.value is None or ctx.mutated(binding, before=call) \
                or not ctx.same_names_at(binding.value, call):
            return None
        value = binding.value
    if isinstance(value, ast.Dict) and all(isinstance(k, ast.Constant) and isinstance(k.value, str) for k in value.keys):
        return {k.value: v for k, v in zip(value.keys, value.values)}  # type: ignore[union-attr]
    if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "dict" \
            and not ctx.flow.reaching(value.func) and not value.args and all(k.arg for k in value.keywords):
        return {k.arg: k.value for k in value.keywords}  # type: ignore[misc]
    return None


def _inside_own_scope(call: ast.Call, ctx: ModuleContext) -> bool:
    """Names bound by a lambda or comprehension do not exist where the Environment is built."""
    node: ast.AST = call
    while not isinstance(node, ast.stmt):
        node = ctx.parents[node]
        if isinstance(node, (ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
            return True
    return False


def _plan_job(job: EstimatorJob, ctx: ModuleContext, plan: Plan, style: str, datarefs: set[Position],
              hyperdrive_params: dict[str, set[str] | None]) -> str | None:
    call, kw = job.call, job.keywords
    edit = plan.call((call.lineno, call.col_offset))
    edit.func = "ScriptRunConfig"
    plan.imports.add.add((_CORE, "ScriptRunConfig"))
    base = (job.target or "src").split(".")[-1]
    if job.target is None and isinstance(job.statement, (ast.Return, ast.Expr)) \
            and job.statement.value is call:
        bind_as = ctx.fresh_name("src")
    else:
        bind_as = None
    target = job.target or bind_as
    before: list[str] = []

    arguments = _arguments(job, ctx, datarefs, hyperdrive_params, base)
    if arguments is not None and arguments.blocker:
        return arguments.blocker
    for name in kw:
        if name not in _KEPT:
            edit.drop.add(name)
    if "entry_script" in kw:
        edit.drop.discard("entry_script")
        edit.rename["entry_script"] = "script"
    directory = kw.get("source_directory")
    if any(k.arg == "source_directory" for k in call.keywords) and is_empty(directory):  # type: ignore[arg-type]
        edit.values["source_directory"] = "'.'"  # the estimator's default for None or ''
    if arguments is not None:
        if arguments.value is not None:
            edit.drop.discard("script_params")
            edit.rename["script_params"] = "arguments"
            edit.values["script_params"] = arguments.value
        before += [f"{name} = {expr}" for name, expr in arguments.hoisted]
        plan.imports.helpers |= arguments.helpers
        job.covered += arguments.covered
        job.notes += arguments.notes
        job.arguments = arguments
        if arguments.inlined is not None:
            job.inlined.append(arguments.inlined)

    followers = plan_followers(_target_binding(job, ctx), job.target, call, kw, ctx)
    if followers.blocker:
        return followers.blocker
    plan.exprs += followers.edits
    env_name = ctx.fresh_name(f"{base}_env")
    env = plan_environment(EnvironmentRequest(job.cls, kw, env_name, env_name.replace("_", "-"),
                                              ctx.workspace_for(call, job.target), followers.changes_environment,
                                              ctx.indentation(job.statement)),
                           ctx, style)
    if env.blocker:
        return env.blocker
    before += env.statements
    plan.imports.add |= env.imports
    job.changes += env.changes
    job.notes += env.notes

    distributed = plan_distributed(job, ctx)
    if distributed.blocker:
        return distributed.blocker
    _compute(job, ctx, edit, distributed)
    edit.append.append(("environment", env.expr))
    if distributed.config:
        edit.append.append(("distributed_job_config", distributed.config))
        plan.imports.add |= {(_RUNCONFIG, name) for name in distributed.imports}
    for position, rewrite in distributed.rewrites:
        sub = plan.call(position)
        sub.func, sub.append = rewrite
        job.covered.append(position)
    job.covered += distributed.covered
    if not env.docker_from_environment:
        use_docker = _text_or(kw, "use_docker", "True", ctx)
        edit.append.append(("docker_runtime_config",
                            f"DockerConfiguration(use_docker={use_docker}, shm_size={_text_or(kw, 'shm_size', 'None', ctx)})"))
        plan.imports.add.add((_RUNCONFIG, "DockerConfiguration"))
    if "max_run_duration_seconds" not in kw:
        edit.append.append(("max_run_duration_seconds", "None"))
    _spell_out_unpacked(job, edit, ctx)

    if given(kw, "environment_variables"):
        job.follow_ups.append(f"{TARGET}.run_config.environment_variables = {ctx.text(kw['environment_variables'])}")
    job.follow_ups += distributed.follow_ups
    inputs = plan_inputs(job.keywords.get("inputs"), arguments.references if arguments is not None else [],
                         given(kw, "source_directory_data_store"), ctx, base)
    before += inputs.before
    job.follow_ups += inputs.follow_ups
    plan.imports.helpers |= inputs.helpers
    if arguments is not None and arguments.follow_up:  # after the inputs: it adds to their registrations
        job.follow_ups.append(arguments.follow_up)
    # last, as Estimator.submit added it to the finished configuration (and read its node count)
    job.follow_ups += _blob_store(job, ctx)
    if job.follow_ups:
        if target is None:
            return "the estimator is built inline where the statements it needs afterwards cannot go"
        statement = plan.statement((job.statement.lineno, job.statement.col_offset))
        statement.after += [line.replace(TARGET, target) for line in job.follow_ups]
        statement.bind_as = bind_as
    if before:
        plan.statement((job.statement.lineno, job.statement.col_offset)).before += before
    return None


def _blob_store(job: EstimatorJob, ctx: ModuleContext) -> list[str]:
    """For a multi-node job, Estimator.submit mounted the workspace blob store as the source directory's
    data store (SDK_FACTS.md section 9); HyperDrive and EstimatorStep never did. Reproduced where the job
    is submitted, with the workspace in reach."""
    nodes = job.keywords.get("node_count")
    count = ctx.constant(nodes)
    if nodes is None or (isinstance(count, int) and count <= 1) or given(job.keywords, "source_directory_data_store"):
        return []
    consumers = consumers_of(_target_binding(job, ctx), ctx)
    if consumers & {"hyperdrive", "step"}:
        if "submit" in consumers:
            job.changes.append("multi-node: Estimator.submit set the workspace blob store as "
                               "source_directory_data_store; the ScriptRunConfig HyperDrive or the pipeline "
                               "also gets does not have it, so the direct submission does not either")
        return []
    workspace = ctx.workspace_for(job.call, job.target)
    if workspace is None:
        job.changes.append("multi-node: Estimator.submit set the workspace blob store as source_directory_data_store; "
                           "no Workspace is in reach here to do the same")
        return []
    store = ctx.fresh_name(f"{(job.target or 'src').split('.')[-1]}_store")
    lines = [f"{store} = {workspace}.datastores['workspaceblobstore']",
             f"{TARGET}.run_config.source_directory_data_store = {store}.name",
             f"{TARGET}.run_config.data_references[{store}.name] = {store}.as_mount().to_config()"]
    job.notes.append("the workspace blob store is the source directory's data store, as Estimator.submit made it "
                     "for multi-node jobs")
    if isinstance(count, int):
        return lines
    return [f"if {TARGET}.run_config.node_count > 1:\n" + "".join(f"    {line}\n" for line in lines).rstrip("\n")]


def _arguments(job: EstimatorJob, ctx: ModuleContext, datarefs: set[Position],
               hyperdrive_params: dict[str, set[str] | None], base: str) -> ArgumentsPlan | None:
    value = job.keywords.get("script_params")
    if value is None or is_empty(value):
        return None
    tuning = None
    if job.target in hyperdrive_params:
        tuning = Tuning(hyperdrive_params[job.target], hyperdrive_other_uses(_target_binding(job, ctx), ctx))
    return plan_arguments(value, job.call, job.target, ctx, datarefs, tuning, base,
                          resume_from=given(job.keywords, "resume_from") is not None)


def _target_binding(job: EstimatorJob, ctx: ModuleContext) -> Binding | None:
    """The binding the estimator's statement makes of its plain-name target."""
    if job.target is None or "." in job.target:
        return None
    return ctx.binding_made(job.statement, job.target)


def _compute(job: EstimatorJob, ctx: ModuleContext, edit: object, distributed: DistributedPlan) -> None:
    kw = job.keywords
    target = kw.get("compute_target")
    if target is None or (isinstance(target, ast.Constant) and target.value is None):
        # Run-based AmlCompute creation (SDK_FACTS.md section 2, vm_size).
        if target is None:
            edit.append.append(("compute_target", "'amlcompute'"))  # type: ignore[attr-defined]
        else:
            edit.values["compute_target"] = "'amlcompute'"  # type: ignore[attr-defined]
        job.follow_ups.append(f"{TARGET}.run_config.amlcompute._cluster_max_node_count = "
                              f"{_text_or(kw, 'node_count', '1', ctx)}")
    # The estimator records the VM settings whatever the target is (SDK_FACTS.md section 2).
    for name in ("vm_size", "vm_priority"):
        if given(kw, name):
            job.follow_ups.append(f"{TARGET}.run_config.amlcompute.{name} = {ctx.text(kw[name])}")


def _merge(plan: Plan, scratch: Plan) -> None:
    for edit in scratch.calls:
        plan.calls.append(edit)
    for statement in scratch.statements:
        existing = plan.statement(statement.at)
        existing.before += statement.before
        existing.after += statement.after
        existing.bind_as = existing.bind_as or statement.bind_as
    plan.exprs += scratch.exprs
    plan.imports.add |= scratch.imports.add
    plan.imports.helpers |= scratch.imports.helpers


def _is_false(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value is False


def _text_or(kw: dict[str, ast.expr], name: str, default: str, ctx: ModuleContext) -> str:
    value = kw.get(name)
    return default if value is None else ctx.text(value)
