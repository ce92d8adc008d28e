"""The ``Environment`` that replaces an estimator's environment keywords (SDK_FACTS.md sections 4, 5).

``exact`` reproduces what the estimator sent: the same base image and conda/pip dependencies, in the
order the SDK writes them. ``curated`` uses the documented curated environment for the framework,
version and CPU/GPU, cloned with the estimator's extra packages; that changes the image on purpose
(the curated environments were never byte-identical to the estimator images), so it is ``unsafe``.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from ..sdk.conda import package_name
from ..sdk.frameworks import FRAMEWORK_IMAGE_REGISTRY, \
    FRAMEWORKS, FrameworkEnvironment, framework_environment
from .astctx import UNKNOWN, ModuleContext, dotted, given, is_none

_CORE = "azureml.core"
_RUNCONFIG = "azureml.core.runconfig"


@dataclass
class EnvironmentRequest:
    """The estimator keywords that decide its environment, as ast nodes (None when absent)."""

    cls: str
    keywords: dict[str, ast.expr]
    var: str  # the variable the Environment is bound to
    label: str  # the Environment's name
    workspace: str | None  # expression for Environment.get, when one is bound
    modified_after: bool = False  # the code changes the environment after the estimator is built
    indent: str = ""  # of the estimator's statement


@dataclass
class EnvironmentPlan:
    expr: str = ""  # what goes into environment=
    statements: list[str] = field(default_factory=list)
    imports: set[tuple[str, str | None]] = field(default_factory=set)
    docker_from_environment: bool = False  # environment_definition: ScriptRunConfig derives docker like the estimator
    changes: list[str] = field(default_factory=list)  # behaviour changes (unsafe)
    notes: list[str] = field(default_factory=list)  # said in the summary, no behaviour change
    blocker: str | None = None


def plan_environment(request: EnvironmentRequest, ctx: ModuleContext, style: str) -> EnvironmentPlan:
    kw = request.keywords
    if "environment_definition" in kw and not is_none(kw["environment_definition"]):
        return _given_environment(request, kw["environment_definition"], ctx)
    framework = FRAMEWORKS.get(request.cls)
    scenarios = _scenarios(request, ctx) if framework else None
    if isinstance(scenarios, str):
        return EnvironmentPlan(blocker=scenarios)
    if style == "curated" and scenarios is not None:
        curated = _curated(request, ctx, scenarios)
        if curated.blocker is None:
            return curated
        exact = _exact(request, ctx, scenarios)
        exact.notes.append(f"{curated.blocker}: reproduced the estimator's environment instead")
        return exact
    return _exact(request, ctx, scenarios)


_ROW_WIDTH = 100  # a run-time table's row longer than this shows one value per line


@dataclass
class _Scenarios:
    """The framework scenarios the estimator may build: one, or several when framework_version or
    use_gpu is known at run time only. Values that differ between them are chosen at run time, from a
    table bound just before the environment is built."""

    by_key: dict[tuple[str, bool], FrameworkEnvironment]
    version: str | None  # the run-time expression of the version (None: known)
    gpu: str | None  # the run-time expression of use_gpu (None: known)
    table: str  # the variable holding the run-time choice
    indent: str  # of the statement the table goes before (its rows are laid out one per line)
    setup: list[str] = field(default_factory=list)  # statements the version expression needs first

    @property
    def one(self) -> FrameworkEnvironment | None:
        return next(iter(self.by_key.values())) if len(self.by_key) == 1 else None

    def choose(self, fields: dict[str, dict[tuple[str, bool], str]]) -> tuple[dict[str, str], list[str]]:
        """An expression for each field (its per-scenario values), and the statements they need."""
        chosen = {name: next(iter(values.values())) for name, values in fields.items()
                  if len(set(values.values())) == 1}
        varying = [name for name in fields if name not in chosen]
        if not varying:
            return chosen, []
        if self.version is None:  # CPU or GPU only
            version = next(iter(self.by_key))[0]
            for name in varying:
                values = fields[name]
                chosen[name] = f"{values[(version, True)]} if {self.gpu} else {values[(version, False)]}"
            return chosen, []
        rows = []
        for key in self.by_key:
            cells = [fields[name][key] for name in varying]
            shown = repr(key[0]) if self.gpu is None else repr(key)
            start = f"{self.indent}    {shown}: "
            long = len(start) + sum(len(cell) + 2 for cell in cells) > _ROW_WIDTH
            separator = ",\n" + " " * (len(start) + 1) if long else ", "  # one value per line, after the "("
            rows.append(f"\n{start}{cells[0] if len(cells) == 1 else '(' + separator.join(cells) + ')'},")
        chooser = self.version if self.gpu is None else f"({self.version}, bool({self.gpu}))"
        for index, name in enumerate(varying):
            chosen[name] = self.table if len(varying) == 1 else f"{self.table}[{index}]"
        return chosen, [*self.setup, f"{self.table} = {{{''.join(rows)}\n{self.indent}}}[{chooser}]"]


def _scenarios(request: EnvironmentRequest, ctx: ModuleContext) -> _Scenarios | str:
    """The scenarios of a framework estimator; a reason when its version cannot be one it supports."""
    kw = request.keywords
    framework = FRAMEWORKS[request.cls]
    version, gpu = ctx.constant(kw.get("framework_version")), ctx.constant(kw.get("use_gpu"), False)
    version_text = gpu_text = None
    setup = []
    if version is UNKNOWN:
        node = kw["framework_version"]
        text = ctx.text(node)
        if any(isinstance(inner, ast.Call) for inner in ast.walk(node)):  # evaluated once, as by the estimator
            setup.append(f"{request.var}_version = {text}")
            text = f"{request.var}_version"
        versions: tuple[str | None, ...] = framework.versions
        version_text = text if _never_none(node) else f"{text} if {text} is not None else {framework.default_version!r}"
    elif version is not None and (not isinstance(version, str) or version not in framework.versions):
        return f"{request.cls} {version} is not a supported framework version"
    else:
        versions = (version or framework.default_version,)  # type: ignore[assignment]
    if gpu is UNKNOWN:
        gpu_text, gpus = ctx.text(kw["use_gpu"]), (False, True)
    else:
        gpus = (bool(gpu),)
    by_key = {(v, g): framework_environment(request.cls, v, g) for v in versions for g in gpus}
    return _Scenarios({key: env for key, env in by_key.items() if env is not None}, version_text, gpu_text,
                      f"{request.var}_framework", request.indent, setup)


def _given_environment(request: EnvironmentRequest, environment: ast.expr, ctx: ModuleContext) -> EnvironmentPlan:
    """``environment_definition=env`` is passed on as is. The PyTorch estimator also set
    NCCL_TREE_THRESHOLD=0 on that very object (SDK_FACTS.md section 5), so the rewrite does too (an
    environment built in the call is bound to a name first, to be named)."""
    plan = EnvironmentPlan(expr=ctx.text(environment), docker_from_environment=True)
    if request.cls == "PyTorch":
        if not dotted(environment):
            plan.statements.append(f"{request.var} = {plan.expr}")
            plan.expr = request.var
        plan.statements.append(f"{plan.expr}.environment_variables['NCCL_TREE_THRESHOLD'] = '0'")
    return plan


def _curated(request: EnvironmentRequest, ctx: ModuleContext, scenarios: _Scenarios) -> EnvironmentPlan:
    kw = request.keywords
    scenario = scenarios.one
    if scenario is None:
        return EnvironmentPlan(blocker="framework_version/use_gpu are known at run time only, so no one curated "
                                       "environment matches")
    if scenario.curated is None:
        return EnvironmentPlan(blocker=f"no curated environment is documented for {request.cls} {scenario.version} "
                                       f"{'GPU' if scenario.gpu else 'CPU'}")
    for name in ("custom_docker_image", "custom_docker_base_image", "conda_dependencies_file",
                 "conda_dependencies_file_path", "image_registry_details", "pip_requirements_file",
                 "pip_requirements_file_path"):
        if name in kw and not is_none(kw[name]):
            return EnvironmentPlan(blocker=f"{name} is set, so no curated environment matches")
    if ctx.constant(kw.get("user_managed"), False) is not False:
        return EnvironmentPlan(blocker="user_managed is set, so no curated environment matches")
    if request.workspace is None:
        return EnvironmentPlan(blocker="no Workspace is bound where the estimator is built, for Environment.get")
    plan = EnvironmentPlan(expr=request.var, imports={(_CORE, "Environment")})
    get = f"Environment.get({request.workspace}, {scenario.curated!r})"
    extra = _package_statements(request, ctx, f"{request.var}.python.conda_dependencies", scenario)
    if request.cls == "PyTorch":  # the estimator set it on its environment (SDK_FACTS.md section 5)
        extra.append(f"{request.var}.environment_variables['NCCL_TREE_THRESHOLD'] = '0'")
    if extra or request.modified_after:  # a curated environment must be cloned before it is changed
        get += f".clone({request.label!r})"
    plan.statements = [f"{request.var} = {get}", *extra]
    image = f"{FRAMEWORK_IMAGE_REGISTRY}/{scenario.framework_image} or {scenario.base_image}"
    packages = " with the estimator's extra packages" if any("_package(" in line for line in extra) else ""
    plan.changes.append(f"environment: estimator image {image} -> curated '{scenario.curated}'{packages} (Azure "
                        f"has deprecated the 2020 curated environments and removes them: Environment.get may fail)")
    return plan


def _package_statements(request: EnvironmentRequest, ctx: ModuleContext, deps: str,
                        scenario: FrameworkEnvironment | None = None) -> list[str]:
    """The estimator's own packages added to an environment; over a framework's (``scenario``), only
    those its merge kept (a pinned ``azureml-defaults`` gave way to the framework's, SDK_FACTS.md 5)."""
    statements = []
    for keyword, method in (("pip_packages", "add_pip_package"), ("conda_packages", "add_conda_package")):
        value = request.keywords.get(keyword)
        if value is None or is_none(value):
            continue
        if isinstance(value, (ast.List, ast.Tuple)):
            items = value.elts
            if scenario is not None and keyword == "pip_packages" and all(
                    isinstance(e, ast.Constant) and isinstance(e.value, str) for e in items):
                kept = set(_merged([e.value for e in items], scenario.pip, _UserPip()))  # type: ignore[attr-defined]
                items = [e for e in items if e.value in kept]  # type: ignore[attr-defined]
            statements += [f"{deps}.{method}({ctx.text(item)})" for item in items]
        else:
            statements.append(f"for package in {ctx.text(value)}:\n    {deps}.{method}(package)")
    return statements


def _exact(request: EnvironmentRequest, ctx: ModuleContext, scenarios: _Scenarios | None) -> EnvironmentPlan:
    kw = request.keywords
    env, deps = request.var, f"{request.var}.python.conda_dependencies"
    plan = EnvironmentPlan(expr=env, imports={(_CORE, "Environment")})
    image_kw = given(kw, "custom_docker_image") or given(kw, "custom_docker_base_image")
    conda_file = given(kw, "conda_dependencies_file") or given(kw, "conda_dependencies_file_path")
    requirements = given(kw, "pip_requirements_file") or given(kw, "pip_requirements_file_path")
    pip, conda = given(kw, "pip_packages"), given(kw, "conda_packages")
    user_managed = ctx.constant(kw.get("user_managed"), False)
    user_dependencies = image_kw or conda_file or pip or conda or requirements
    lines = [f"{env} = Environment({request.label!r})"]
    if scenarios is not None and not user_dependencies and _framework_image_target(kw):
        # SDK_FACTS.md section 5, path 1: AmlCompute (or no target) and no user dependencies.
        chosen, setup = scenarios.choose({"image": {k: repr(s.framework_image) for k, s in scenarios.by_key.items()}})
        lines = [*setup, *lines, f"{env}.docker.base_image = {chosen['image']}",
                 f"{env}.docker.base_image_registry.address = {FRAMEWORK_IMAGE_REGISTRY!r}",
                 f"{env}.python.user_managed_dependencies = True"]
    else:
        if scenarios is not None and not user_dependencies and _compute_unknown(kw):
            plan.changes.append(_prebuilt_note(scenarios))
        user = _user_pip(request, pip, requirements, ctx, plan)
        fields: dict[str, dict[tuple[str, bool], str]] = {}
        merge_at_run_time = False
        if scenarios is not None and not image_kw:
            fields["image"] = {key: repr(s.base_image) for key, s in scenarios.by_key.items()}
        if scenarios is not None and not conda_file:
            fields["pip"] = {key: _framework_pip(s.pip, user) for key, s in scenarios.by_key.items()}
            merge_at_run_time = user.values is None
        chosen, setup = scenarios.choose(fields) if scenarios is not None else ({}, [])
        lines = [*setup, *user.setup, *lines]
        image = ctx.text(image_kw) if image_kw else chosen.get("image") or _generic_image(kw, ctx, plan)
        if image:
            lines.append(f"{env}.docker.base_image = {image}")
        if given(kw, "image_registry_details"):
            lines.append(f"{env}.docker.base_image_registry = {ctx.text(kw['image_registry_details'])}")
        if user_managed is not False:
            lines.append(f"{env}.python.user_managed_dependencies = {ctx.text(kw['user_managed'])}")
        if conda_file:
            source_dir = _source_directory(kw, ctx)
            lines.append(f"{deps} = CondaDependencies(os.path.join({source_dir}, {ctx.text(conda_file)}))")
            plan.imports |= {("azureml.core.conda_dependencies", "CondaDependencies"), ("os", None)}
        elif "pip" in chosen and merge_at_run_time:
            lines += [f"{deps}.set_python_version('3.6.2')", *_merged_at_run_time(deps, chosen["pip"], user, request)]
            plan.imports.add(("azureml.core.conda_dependencies", "CondaDependencies"))
        elif "pip" in chosen:
            lines += [f"{deps}.set_python_version('3.6.2')", f"{deps}.set_pip_requirements({chosen['pip']})"]
        elif user.items:
            lines.append(f"{deps}.set_pip_requirements(['azureml-defaults', {user.items}])")
        if conda and not conda_file:
            lines += _package_statements(EnvironmentRequest(request.cls, {"conda_packages": conda}, env, "", None),
                                         ctx, deps)
    lines.append(f"{env}.spark.precache_packages = False")
    if request.cls == "PyTorch":
        lines.append(f"{env}.environment_variables['NCCL_TREE_THRESHOLD'] = '0'")
    plan.statements = lines
    return plan


@dataclass
class _UserPip:
    """The estimator's own pip requirements: their source, and the names they override a framework's by."""

    items: str = ""  # comma-separated elements of a list literal ("" when there are none)
    values: list[tuple[str, str]] | None = field(default_factory=list)  # (value, its source); None: run time's
    conda_names: set[str] = field(default_factory=set)  # of the conda packages: they override by name too
    names_expr: str = ""  # for run time: an expression giving the list to take the names from
    setup: list[str] = field(default_factory=list)


def _user_pip(request: EnvironmentRequest, pip: ast.expr | None, requirements: ast.expr | None,
              ctx: ModuleContext, plan: EnvironmentPlan) -> _UserPip:
    """``pip_packages``, merged into the lines of ``pip_requirements_file`` when there is one, read when
    the job is built and merged by package name as the estimator did (``CondaDependencies.merge_requirements``)."""
    user = _UserPip()
    listed = _static_list(pip, ctx)
    conda = _static_list(request.keywords.get("conda_packages"), ctx)
    if requirements is not None:
        name = f"{request.var}_requirements"
        source_dir = _source_directory(request.keywords, ctx)
        read = "requirements.read().splitlines()"
        merged = read if pip is None else f"lines + [package for package in {ctx.text(pip)} if package not in lines]"
        user.setup = [f"with open(os.path.join({source_dir}, {ctx.text(requirements)})) as requirements:\n"
                      f"    {'lines = ' + read + chr(10) + '    ' if pip is not None else ''}"
                      f"{name} = CondaDependencies.merge_requirements({merged})"]
        plan.imports |= {("azureml.core.conda_dependencies", "CondaDependencies"), ("os", None)}
        user.items, user.values, user.names_expr = f"*{name}", None, name
    elif pip is not None:
        user.items = ", ".join(ctx.text(e) for e in listed) if listed is not None and isinstance(pip, (ast.List, ast.Tuple)) \
            else f"*{ctx.text(pip)}"
        if listed is not None and all(isinstance(e, ast.Constant) and isinstance(e.value, str) for e in listed):
            user.values = [(e.value, ctx.text(e)) for e in listed]  # type: ignore[attr-defined]
        else:
            user.values, user.names_expr = None, ctx.text(pip)
    user.conda_names = {package_name(e.value) for e in conda or () if isinstance(e, ast.Constant)
                        and isinstance(e.value, str)}
    return user


# CondaDependencies()'s own packages (SDK_FACTS.md section 4): never taken as the user overriding a framework's.
_DEFAULT_PACKAGES = frozenset({"azureml-defaults", "python"})


def _framework_pip(scenario_pip: tuple[str, ...], user: _UserPip) -> str:
    """The pip list the estimator ended with, as a list literal; at run time (``user.values`` unknown),
    the framework's own list, for :func:`_merged_at_run_time`."""
    if user.values is None:
        return repr(list(scenario_pip))
    source = dict(user.values)
    return f"[{', '.join(source.get(p, repr(p)) for p in _merged([v for v, _ in user.values], scenario_pip, user))}]"


def _merged(user: list[str], framework: tuple[str, ...], pip: _UserPip) -> list[str]:
    """What a framework estimator's pip list was (SDK_FACTS.md section 5, path 3): its own list after
    ``azureml-defaults``; then each framework package whose name the user's packages do not also have
    (the defaults aside) added by ``CondaDependencies.add_pip_package``, which first removes the last
    entry of that name and appends the package unless that very string is there."""
    packages = ["azureml-defaults", *user]
    overridden = ({package_name(p) for p in packages} | pip.conda_names) - _DEFAULT_PACKAGES
    for package in framework:
        name = package_name(package)
        if name in overridden:
            continue
        same = [index for index, entry in enumerate(packages) if package_name(entry) == name]
        if same:
            del packages[same[-1]]
        if package not in packages:
            packages.append(package)
    return packages


def _merged_at_run_time(deps: str, framework: str, user: _UserPip, request: EnvironmentRequest) -> list[str]:
    """:func:`_merged` as statements, for user packages known only when the job is built."""
    names = f"{request.var}_overrides"
    conda = f" | {sorted(user.conda_names)!r}" if user.conda_names else ""
    return [f"{deps}.set_pip_requirements(['azureml-defaults', {user.items}])",
            f"{names} = {{CondaDependencies._get_package_name(package) for package in {user.names_expr}}}{conda}",
            f"for package in {framework}:  # the framework's packages, merged as the estimator merged them\n"
            f"    if package == 'azureml-defaults' or CondaDependencies._get_package_name(package) not in {names}:\n"
            f"        {deps}.add_pip_package(package)"]


def _prebuilt_note(scenarios: _Scenarios) -> str:
    one = scenarios.one
    prebuilt = f"the prebuilt image {FRAMEWORK_IMAGE_REGISTRY}/{one.framework_image}" if one else \
        f"its prebuilt framework image from {FRAMEWORK_IMAGE_REGISTRY}"
    built = one.base_image if one else "the framework's base image"
    return (f"environment: if the compute target is an AmlCompute object the estimator ran {prebuilt}; this "
            f"builds {built} with the same framework packages")


def _static_list(node: ast.expr | None, ctx: ModuleContext) -> list[ast.expr] | None:
    """The elements of a list literal, written in place or bound to the name on every path and unchanged."""
    if isinstance(node, ast.Name):
        binding = ctx.binding(node)
        if binding is None or ctx.mutated(binding) or not ctx.same_names_at(binding.value, node):  # type: ignore[arg-type]
            return None
        node = binding.value
    if isinstance(node, (ast.List, ast.Tuple)) and not any(isinstance(e, ast.Starred) for e in node.elts):
        return list(node.elts)
    return None


def _never_none(node: ast.expr) -> bool:
    """``str(...)`` and f-strings are never None (the estimator's fallback to its default cannot apply)."""
    return isinstance(node, ast.JoinedStr) or (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                                                and node.func.id == "str")


def _generic_image(kw: dict[str, ast.expr], ctx: ModuleContext, plan: EnvironmentPlan) -> str:
    """The generic Estimator picks only its base image by ``use_gpu``, the installed SDK's defaults
    (``azureml.core.runconfig.DEFAULT_GPU_IMAGE``/``DEFAULT_CPU_IMAGE``); a value known at run time only
    picks it the same way there. ``""``: the CPU default, which a new Environment already has."""
    gpu = ctx.constant(kw.get("use_gpu"), False)
    if gpu is not UNKNOWN and not gpu:
        return ""
    plan.imports.add((_RUNCONFIG, "DEFAULT_GPU_IMAGE"))
    if gpu is not UNKNOWN:
        return "DEFAULT_GPU_IMAGE"
    plan.imports.add((_RUNCONFIG, "DEFAULT_CPU_IMAGE"))
    return f"DEFAULT_GPU_IMAGE if {ctx.text(kw['use_gpu'])} else DEFAULT_CPU_IMAGE"


def _framework_image_target(kw: dict[str, ast.expr]) -> bool:
    target = kw.get("compute_target")
    return target is None or is_none(target)


def _compute_unknown(kw: dict[str, ast.expr]) -> bool:
    target = kw.get("compute_target")
    return target is not None and not isinstance(target, ast.Constant)


def _source_directory(kw: dict[str, ast.expr], ctx: ModuleContext) -> str:
    value = kw.get("source_directory")
    return "'.'" if value is None or is_none(value) else ctx.text(value)


def _splat(value: ast.expr, ctx: ModuleContext) -> str:
    if isinstance(value, (ast.List, ast.Tuple)):
        return ", ".join(ctx.text(e) for e in value.elts)
    return f"*{ctx.text(value)}"
