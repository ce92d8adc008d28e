"""The ``Environment`` that replaces an estimator's environment keywords (SDK_FACTS.md sections 4, 5).

``exact`` reproduces what the estimator sent: the same base image and conda/pip dependencies, in the
order the SDK writes them. ``curated`` uses the documented curated environment for the framework,
version and CPU/GPU, cloned with the estimator's extra packages; that changes the image on purpose
(the curated environments were never byte-identical to the estimator images), so it is ``unsafe``.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field

from ..sdk.frameworks import DEFAULT_CPU_IMAGE, DEFAULT_GPU_IMAGE, FRAMEWORK_IMAGE_REGISTRY, \
    FRAMEWORKS, framework_environment
from .astctx import ModuleContext, dotted

_CORE = "azureml.core"


@dataclass
class EnvironmentRequest:
    """The estimator keywords that decide its environment, as ast nodes (None when absent)."""

    cls: str
    keywords: dict[str, ast.expr]
    var: str  # the variable the Environment is bound to
    label: str  # the Environment's name
    workspace: str | None  # expression for Environment.get, when one is bound
    modified_after: bool = False  # the code changes the environment after the estimator is built


@dataclass
class EnvironmentPlan:
    expr: str = ""  # what goes into environment=
    statements: list[str] = field(default_factory=list)
    imports: set[tuple[str, str | None]] = field(default_factory=set)
    docker_from_environment: bool = False  # environment_definition: ScriptRunConfig derives docker like the estimator
    changes: list[str] = field(default_factory=list)  # behaviour changes (unsafe)
    notes: list[str] = field(default_factory=list)  # said in the summary, no behaviour change
    blocker: str | None = None


def package_name(spec: str) -> str:
    """The name the SDK compares packages by: ``azureml-dataset-runtime[pandas]`` -> ``azureml-dataset-runtime``."""
    return re.split(r"[\[<>=!~;@ ]", spec.strip(), maxsplit=1)[0].lower()


def plan_environment(request: EnvironmentRequest, ctx: ModuleContext, style: str) -> EnvironmentPlan:
    kw = request.keywords
    if "environment_definition" in kw and not _is_none(kw["environment_definition"]):
        return _given_environment(request, kw["environment_definition"], ctx)
    for name in ("pip_requirements_file", "pip_requirements_file_path"):
        if name in kw and not _is_none(kw[name]):
            return EnvironmentPlan(blocker=f"{name} is read at submit time: add its packages to an Environment by hand")
    framework = FRAMEWORKS.get(request.cls)
    version, gpu = _literal(kw.get("framework_version")), _literal(kw.get("use_gpu"), False)
    if framework and not ((version is None or isinstance(version, str)) and isinstance(gpu, bool)):
        return EnvironmentPlan(blocker="framework_version/use_gpu are computed at run time: pick the environment by hand")
    if framework and version is not None and version not in framework.versions:
        return EnvironmentPlan(blocker=f"{request.cls} {version} is not a supported framework version")
    if style == "curated" and framework:
        curated = _curated(request, ctx, version, gpu)
        if curated.blocker is None:
            return curated
        exact = _exact(request, ctx, version, gpu)
        exact.notes.append(f"{curated.blocker}: reproduced the estimator's environment instead")
        return exact
    return _exact(request, ctx, version, gpu)


def _given_environment(request: EnvironmentRequest, environment: ast.expr, ctx: ModuleContext) -> EnvironmentPlan:
    """``environment_definition=env`` is passed on as is. The PyTorch estimator also set
    NCCL_TREE_THRESHOLD=0 on that very object (SDK_FACTS.md section 5), so the rewrite does too
    when it can name the object."""
    plan = EnvironmentPlan(expr=ctx.text(environment), docker_from_environment=True)
    if request.cls == "PyTorch":
        if dotted(environment):
            plan.statements.append(f"{ctx.text(environment)}.environment_variables['NCCL_TREE_THRESHOLD'] = '0'")
        else:
            plan.changes += _pytorch_variable_note(request)
    return plan


def _curated(request: EnvironmentRequest, ctx: ModuleContext, version: str | None, gpu: bool) -> EnvironmentPlan:
    kw = request.keywords
    scenario = framework_environment(request.cls, version, gpu)
    if scenario is None or scenario.curated is None:
        shown = version or FRAMEWORKS[request.cls].default_version
        return EnvironmentPlan(blocker=f"no curated environment is documented for {request.cls} {shown} "
                                       f"{'GPU' if gpu else 'CPU'}")
    for name in ("custom_docker_image", "custom_docker_base_image", "conda_dependencies_file",
                 "conda_dependencies_file_path", "image_registry_details"):
        if name in kw and not _is_none(kw[name]):
            return EnvironmentPlan(blocker=f"{name} is set, so no curated environment matches")
    if _literal(kw.get("user_managed"), False) is not False:
        return EnvironmentPlan(blocker="user_managed is set, so no curated environment matches")
    if request.workspace is None:
        return EnvironmentPlan(blocker="no Workspace is bound where the estimator is built, for Environment.get")
    plan = EnvironmentPlan(expr=request.var, imports={(_CORE, "Environment")})
    get = f"Environment.get({request.workspace}, {scenario.curated!r})"
    extra = _package_statements(request, ctx, f"{request.var}.python.conda_dependencies")
    if extra or request.modified_after:  # a curated environment must be cloned before it is changed
        get += f".clone({request.label!r})"
    plan.statements = [f"{request.var} = {get}", *extra]
    image = f"{FRAMEWORK_IMAGE_REGISTRY}/{scenario.framework_image} or {scenario.base_image}"
    plan.changes.append(f"environment: estimator image {image} -> curated '{scenario.curated}'"
                        + (" with the estimator's extra packages" if extra else ""))
    plan.changes.extend(_pytorch_variable_note(request))
    return plan


def _package_statements(request: EnvironmentRequest, ctx: ModuleContext, deps: str) -> list[str]:
    statements = []
    for keyword, method in (("pip_packages", "add_pip_package"), ("conda_packages", "add_conda_package")):
        value = request.keywords.get(keyword)
        if value is None or _is_none(value):
            continue
        if isinstance(value, (ast.List, ast.Tuple)):
            statements += [f"{deps}.{method}({ctx.text(item)})" for item in value.elts]
        else:
            statements.append(f"for package in {ctx.text(value)}:\n    {deps}.{method}(package)")
    return statements


def _exact(request: EnvironmentRequest, ctx: ModuleContext, version: str | None, gpu: bool) -> EnvironmentPlan:
    kw = request.keywords
    env, deps = request.var, f"{request.var}.python.conda_dependencies"
    plan = EnvironmentPlan(expr=env, imports={(_CORE, "Environment")})
    lines = [f"{env} = Environment({request.label!r})"]
    image_kw = _given(kw, "custom_docker_image") or _given(kw, "custom_docker_base_image")
    conda_file = _given(kw, "conda_dependencies_file") or _given(kw, "conda_dependencies_file_path")
    pip, conda = _given(kw, "pip_packages"), _given(kw, "conda_packages")
    scenario = framework_environment(request.cls, version, gpu) if request.cls in FRAMEWORKS else None
    user_managed = _literal(kw.get("user_managed"), False)
    if scenario and not (image_kw or conda_file or pip or conda) and _framework_image_target(kw):
        # SDK_FACTS.md section 5, path 1: AmlCompute (or no target) and no user dependencies.
        lines += [f"{env}.docker.base_image = {scenario.framework_image!r}",
                  f"{env}.docker.base_image_registry.address = {FRAMEWORK_IMAGE_REGISTRY!r}",
                  f"{env}.python.user_managed_dependencies = True"]
    else:
        if scenario and not (image_kw or conda_file or pip or conda) and _compute_unknown(kw):
            plan.changes.append(
                f"environment: if the compute target is an AmlCompute object the estimator ran the prebuilt "
                f"image {FRAMEWORK_IMAGE_REGISTRY}/{scenario.framework_image}; this builds {scenario.base_image} "
                f"with the same framework packages")
        image = ctx.text(image_kw) if image_kw else repr(scenario.base_image) if scenario else _generic_image(kw, ctx)
        if image != repr(DEFAULT_CPU_IMAGE):
            lines.append(f"{env}.docker.base_image = {image}")
        if _given(kw, "image_registry_details"):
            lines.append(f"{env}.docker.base_image_registry = {ctx.text(kw['image_registry_details'])}")
        if user_managed is not False:
            lines.append(f"{env}.python.user_managed_dependencies = {ctx.text(kw['user_managed'])}")
        if conda_file:
            source_dir = _source_directory(kw, ctx)
            lines.append(f"{deps} = CondaDependencies(os.path.join({source_dir}, {ctx.text(conda_file)}))")
            plan.imports |= {("azureml.core.conda_dependencies", "CondaDependencies"), ("os", None)}
        elif scenario:
            lines += _framework_dependencies(deps, scenario.pip, pip, ctx, plan)
        elif pip:
            lines.append(f"{deps}.set_pip_requirements(['azureml-defaults', {_splat(pip, ctx)}])")
        if conda and not conda_file:
            lines += _package_statements(EnvironmentRequest(request.cls, {"conda_packages": conda}, env, "", None),
                                         ctx, deps)
    lines.append(f"{env}.spark.precache_packages = False")
    if request.cls == "PyTorch":
        lines.append(f"{env}.environment_variables['NCCL_TREE_THRESHOLD'] = '0'")
    plan.statements = lines
    return plan


def _generic_image(kw: dict[str, ast.expr], ctx: ModuleContext) -> str:
    """The generic Estimator picks only its base image by ``use_gpu``; a value known at run time only
    picks it the same way there."""
    gpu = _literal(kw.get("use_gpu"), False)
    if isinstance(gpu, bool):
        return repr(DEFAULT_GPU_IMAGE if gpu else DEFAULT_CPU_IMAGE)
    return f"{DEFAULT_GPU_IMAGE!r} if {ctx.text(kw['use_gpu'])} else {DEFAULT_CPU_IMAGE!r}"


def _framework_dependencies(deps: str, scenario_pip: tuple[str, ...], pip: ast.expr | None,
                            ctx: ModuleContext, plan: EnvironmentPlan) -> list[str]:
    """User packages first, then the scenario's (``azureml-defaults`` leads them), minus the scenario
    packages the user overrode by name (SDK_FACTS.md section 5, path 3, and section 12.6)."""
    lines = [f"{deps}.set_python_version('3.6.2')"]
    if pip is None:
        user, overridden, prefix = [], set(), ""
    elif isinstance(pip, (ast.List, ast.Tuple)) and all(isinstance(e, ast.Constant) for e in pip.elts):
        user = [ctx.text(e) for e in pip.elts]
        overridden = {package_name(e.value) for e in pip.elts}  # type: ignore[attr-defined]
        prefix = ""
    else:
        user, overridden, prefix = [], set(), f"*{ctx.text(pip)}, "
        plan.changes.append(f"packages: a package in {ctx.text(pip)} that the framework also installs is now "
                            f"listed twice (the estimator kept only yours)")
    kept = [repr(p) for p in scenario_pip if p == "azureml-defaults" or package_name(p) not in overridden]
    lines.append(f"{deps}.set_pip_requirements([{prefix}{', '.join(user + kept)}])")
    return lines


def _framework_image_target(kw: dict[str, ast.expr]) -> bool:
    target = kw.get("compute_target")
    return target is None or _is_none(target)


def _compute_unknown(kw: dict[str, ast.expr]) -> bool:
    target = kw.get("compute_target")
    return target is not None and not isinstance(target, ast.Constant)


def _pytorch_variable_note(request: EnvironmentRequest) -> list[str]:
    if request.cls != "PyTorch":
        return []
    return ["environment variables: the PyTorch estimator added NCCL_TREE_THRESHOLD=0 to the environment; "
            "the new environment does not"]


def _source_directory(kw: dict[str, ast.expr], ctx: ModuleContext) -> str:
    value = kw.get("source_directory")
    return "'.'" if value is None or _is_none(value) else ctx.text(value)


def _splat(value: ast.expr, ctx: ModuleContext) -> str:
    if isinstance(value, (ast.List, ast.Tuple)):
        return ", ".join(ctx.text(e) for e in value.elts)
    return f"*{ctx.text(value)}"


def _given(kw: dict[str, ast.expr], name: str) -> ast.expr | None:
    value = kw.get(name)
    return None if value is None or _is_none(value) else value


def _is_none(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


def _literal(node: ast.expr | None, default: object = None) -> object:
    if node is None:
        return default
    try:
        return ast.literal_eval(node)
    except ValueError:
        return _UNKNOWN


_UNKNOWN = object()
