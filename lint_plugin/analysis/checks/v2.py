"""AML6xx, the opt-in SDK v2 family: v1 job APIs that ``fix --target v2`` migrates to azure-ai-ml.

Only SDK v1 objects resolved through the module's imports are reported (a class of the same name from
elsewhere never is): the Workspace (AML601), ScriptRunConfig (AML602), a RunConfiguration built for a
job (AML603, reported with AML201 in ``runconfig.py``), ``Experiment.submit`` of a job (AML604), an
Environment that reaches a job (AML605), HyperDrive (AML606) and pipeline steps (AML607).
"""

from __future__ import annotations

import ast

from ...sdk.names import BY_PATH, Kind, SdkClass
from ..context import Context
from ..scopes import Binding, CallFact, Scope

# Kinds a submitted configuration has when it is a training job (not a pipeline).
_JOB_KINDS = frozenset({Kind.SCRIPT_RUN_CONFIG, Kind.RUN_CONFIGURATION, Kind.HYPERDRIVE_CONFIG, Kind.ESTIMATOR})
_WORKSPACE_REPLACEMENT = {
    "from_config": "MLClient.from_config(DefaultAzureCredential())",
    "get": "MLClient(DefaultAzureCredential(), subscription_id, resource_group_name, workspace_name)",
    "": "MLClient(DefaultAzureCredential(), subscription_id, resource_group_name, workspace_name)",
}
_ENVIRONMENT_FACTORIES = frozenset({"", "get", "from_conda_specification", "from_pip_requirements",
                                    "from_docker_image", "from_dockerfile", "from_existing_conda_environment",
                                    "load_from_directory"})
# Where an environment is a job's: keyword -> the kinds of call that take it so.
_ENVIRONMENT_KEYWORDS = {"environment": (Kind.SCRIPT_RUN_CONFIG, Kind.RUN_CONFIGURATION),
                         "environment_definition": (Kind.ESTIMATOR,)}
_FOLLOW_DEPTH = 2  # ``env2 = env.clone(...)``: how many such copies an environment is followed through


def check(ctx: Context) -> None:
    for fact in ctx.index.calls:
        factory = _factory(ctx, fact)
        if factory is not None:
            cls, member = factory
            if cls.kind is Kind.WORKSPACE and member in _WORKSPACE_REPLACEMENT:
                shown = "Workspace" + (f".{member}()" if member else "(...)")
                ctx.report("AML601", fact.call, what=shown, replacement=_WORKSPACE_REPLACEMENT[member])
            elif cls.kind is Kind.ENVIRONMENT and member in _ENVIRONMENT_FACTORIES and _for_a_job(ctx, fact):
                ctx.report("AML605", fact.call, replacement=_environment_replacement(member))
            continue
        resolved = ctx.constructed(fact)
        if resolved is not None:
            _check_constructed(ctx, fact, resolved.sdk)
        elif isinstance(fact.call.func, ast.Attribute) and fact.call.func.attr == "submit":
            _check_submit(ctx, fact)


def _check_constructed(ctx: Context, fact: CallFact, sdk: SdkClass) -> None:
    if sdk.kind is Kind.SCRIPT_RUN_CONFIG:
        ctx.report("AML602", fact.call)
    elif sdk.kind is Kind.HYPERDRIVE_CONFIG:
        ctx.report("AML606", fact.call, cls=sdk.name)
    elif sdk.kind in (Kind.PIPELINE_STEP, Kind.ESTIMATOR_STEP):
        ctx.report("AML607", fact.call, cls=sdk.name)


def _factory(ctx: Context, fact: CallFact) -> tuple[SdkClass, str] | None:
    """(class, member) for ``Workspace(...)`` (member ``""``), ``Workspace.from_config()``,
    ``Environment.get(...)``: a Workspace or Environment class or one of its class methods."""
    qualified = ctx.resolver.qualified_name(fact.call.func, fact.scope)
    if not qualified:
        return None
    for cls_path, member in ((qualified, ""), tuple(qualified.rsplit(".", 1))):
        cls = BY_PATH.get(cls_path)
        if cls is not None and cls.kind in (Kind.WORKSPACE, Kind.ENVIRONMENT):
            return cls, member
    return None


def _check_submit(ctx: Context, fact: CallFact) -> None:
    method = fact.call.func
    assert isinstance(method, ast.Attribute)
    config = fact.call.args[0] if fact.call.args else next(
        (k.value for k in fact.call.keywords if k.arg == "config"), None)
    if config is None or ctx.resolver.kind(method.value, fact.scope) is not Kind.EXPERIMENT:
        return
    kinds = {ctx.resolver.kind(config, fact.scope)}
    if kinds == {None} and isinstance(config, ast.Name):
        kinds = _iterated_kinds(ctx, config, fact.scope)
    if kinds and kinds <= _JOB_KINDS:
        ctx.report("AML604", fact.call, client="ml_client")


def _iterated_kinds(ctx: Context, name: ast.Name, scope: Scope) -> set[Kind | None]:
    """The kinds of what ``for name in (a, b)`` (or a comprehension over such a literal) gives ``name``."""
    node: ast.AST | None = name
    while node is not None:
        node = ctx.index.parents.get(node)
        loops = [node] if isinstance(node, (ast.For, ast.AsyncFor)) else \
            getattr(node, "generators", []) if isinstance(node, (ast.ListComp, ast.SetComp, ast.GeneratorExp)) else []
        for loop in loops:
            target, iterated = loop.target, loop.iter
            if isinstance(target, ast.Name) and target.id == name.id:
                if isinstance(iterated, (ast.Tuple, ast.List)) and iterated.elts:
                    return {ctx.resolver.kind(element, scope) for element in iterated.elts}
                return set()
    return set()


def _environment_replacement(member: str) -> str:
    if member == "get":
        return "the environment by name, environment='azureml:NAME@latest' (curated: its v2 registry name)"
    return "azure.ai.ml.entities.Environment(image=..., conda_file=...)"


def _for_a_job(ctx: Context, fact: CallFact) -> bool:
    """Whether the environment the call makes (or its ``.clone(...)``) reaches a job, directly or
    through the name it is bound to."""
    value, parent, grandparent = fact.call, fact.parent, fact.grandparent
    if isinstance(parent, ast.Attribute) and parent.attr == "clone" and isinstance(grandparent, ast.Call):
        value, parent = grandparent, ctx.index.parents.get(grandparent)
        grandparent = ctx.index.parents.get(parent) if parent is not None else None
    if _job_use(ctx, value, parent, grandparent, fact.scope):
        return True
    binding = _assigned(value, parent, fact.scope)
    return binding is not None and _binding_reaches_job(ctx, binding, 0)


def _assigned(value: ast.expr, holder: ast.AST | None, scope: Scope) -> Binding | None:
    """The binding ``name = value`` makes."""
    if not (isinstance(holder, ast.Assign) and holder.value is value and len(holder.targets) == 1
            and isinstance(holder.targets[0], ast.Name)):
        return None
    return next((b for b in scope.bindings.get(holder.targets[0].id, ()) if b.value is value), None)


def _binding_reaches_job(ctx: Context, binding: Binding, depth: int) -> bool:
    for read in ctx.flow.uses(binding):
        scope = ctx.flow.scope_of(read.node) or binding.scope
        if _job_use(ctx, read.node, read.parent, read.grandparent, scope):
            return True
        copy = _copied_to(ctx, read.node, read.parent, read.grandparent)
        if copy is not None and depth < _FOLLOW_DEPTH and _binding_reaches_job(ctx, copy, depth + 1):
            return True
    return False


def _job_use(ctx: Context, node: ast.AST, parent: ast.AST | None, grandparent: ast.AST | None,
             scope: Scope) -> bool:
    """``ScriptRunConfig(environment=env)``, ``RunConfiguration(environment=...)``, an estimator's
    ``environment_definition=env``, or ``<config>.run_config.environment = env`` / ``rc.environment = env``."""
    if isinstance(parent, ast.keyword) and isinstance(grandparent, ast.Call) and parent.arg in _ENVIRONMENT_KEYWORDS:
        callee = ctx.resolver.constructed_class(grandparent, scope)
        return callee is not None and callee.sdk.kind in _ENVIRONMENT_KEYWORDS[parent.arg]
    if isinstance(parent, ast.Assign) and parent.value is node:
        return any(isinstance(target, ast.Attribute) and target.attr == "environment" for target in parent.targets)
    return False


def _copied_to(ctx: Context, node: ast.AST, parent: ast.AST | None, grandparent: ast.AST | None) -> Binding | None:
    """The binding of ``copy`` in ``copy = env.clone(...)``."""
    if not (isinstance(parent, ast.Attribute) and parent.attr == "clone" and isinstance(grandparent, ast.Call)):
        return None
    scope = ctx.flow.scope_of(node) if isinstance(node, ast.Name) else None
    return _assigned(grandparent, ctx.index.parents.get(grandparent), scope) if scope is not None else None
