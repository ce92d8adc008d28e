"""A v1 ``Environment`` for a job -> what a v2 command job takes as ``environment=``.

* ``Environment(name)`` and the statements that configure it (``env.docker.base_image = ...``,
  ``env.python.conda_dependencies.set_pip_requirements([...])``, ``env.python.conda_dependencies =
  CondaDependencies.create(...)``...) -> ``Environment(image=..., conda_file={...})``: the same image
  (v1's default image when it was left alone: v2 has none) and the same conda specification, replayed
  with ``sdk/conda.py``; ``user_managed_dependencies=True`` -> the image alone;
* ``Environment.from_conda_specification(name, path)`` -> ``conda_file=path``; ``from_pip_requirements``
  -> the file's lines read where the environment was built; ``from_docker_image`` -> its image;
* ``Environment.get(ws, name)`` -> ``"azureml:name@latest"`` (the same registered environment), a v1
  curated name -> its v2 counterpart in the azureml registry (``sdk/curated.py``); ``--env-style curated``
  moves a retired curated environment to the nearest current one and declares it;
* environment variables go to the job (v2 environments have none), so does the docker shared memory.

Statements it does not understand leave the environment, and the jobs using it, to a human.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from ...analysis.scopes import Binding
from ...sdk import curated
from ...sdk.conda import PYTHON_DEFAULT_VERSION, CondaSpec, Expr, Item, RunTimeOnly
from ...sdk.frameworks import DEFAULT_CPU_IMAGE
from ..astctx import UNKNOWN, ModuleContext, is_none
from .tokens import v2
from .uses import Use, assigned_binding, same_block, uses_of
from .values import Values

_ENVIRONMENT_CLASSES = ("azureml.core.Environment", "azureml.core.environment.Environment")
_CONDA_CLASSES = ("azureml.core.conda_dependencies.CondaDependencies", "azureml.core.CondaDependencies")
_CONDA_METHODS = {"set_pip_requirements", "add_pip_package", "add_conda_package", "set_python_version",
                  "add_channel", "set_pip_option", "remove_pip_package"}
# Environment.__init__ sets environment_variables = {"EXAMPLE_ENV_VAR": "EXAMPLE_VALUE"}: a sample, sent
# with every job whose environment kept it; carried into every v2 job it would only spread the sample.
PLACEHOLDER_CHANGE = ("environment_variables: v1's placeholder EXAMPLE_ENV_VAR=EXAMPLE_VALUE (every new v1 "
                      "Environment has it) is not carried to the v2 job")
# Settings v2 has no place for that change nothing in a Python job (spark: only read by Spark jobs).
_IGNORED = {("spark", "precache_packages"), ("docker", "gpu_support"), ("docker", "enabled")}


@dataclass
class EnvironmentPlan:
    """What ``environment=`` becomes and what goes with it."""

    text: str = ""  # the job's environment= value
    binding: Binding | None = None  # the name the job reads it through
    creation: ast.expr | None = None  # the expression that builds it, replaced by ``new_creation``
    new_creation: str | None = None
    before: list[str] = field(default_factory=list)  # statements the new creation needs first
    removed: list[ast.stmt] = field(default_factory=list)  # configuring statements it absorbs
    variables: list[str] = field(default_factory=list)  # "key: value" / "**mapping" parts for the job
    shm_size: str | None = None
    docker_args: str | None = None
    interpreter: str | None = None  # the Python a user-managed image runs the script with
    built: bool = False  # ``text`` builds an Environment (rather than naming one)
    changes: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    blocker: str | None = None


@dataclass
class _Model:
    """An environment being built: its image, conda specification (or file), and what the job gets."""

    image: str | None = repr(DEFAULT_CPU_IMAGE)  # source text
    registry: str | None = None
    conda: CondaSpec | None = field(default_factory=CondaSpec.template)
    conda_file: str | None = None  # source text of a path, when the specification is a file
    user_managed: bool = False
    reference: str | None = None  # a registered or curated environment, as the job's value
    changed: bool = False  # configured after it was built (a reference cannot be)
    placeholder: bool = True  # still has the variable every v1 Environment() starts with


class EnvironmentPlanner:
    def __init__(self, ctx: ModuleContext, values: Values, style: str) -> None:
        self.ctx = ctx
        self.values = values
        self.style = style

    def default(self) -> EnvironmentPlan:
        """The environment v1 gives a job that names none: its default image and packages."""
        plan = EnvironmentPlan(built=True)
        plan.text = _environment_text(_Model(), "")
        plan.changes.append(PLACEHOLDER_CHANGE)
        plan.notes.append("the job had no environment: v1's default environment (its image and packages) is "
                          "written out")
        return plan

    def plan(self, expr: ast.expr, job_statement: ast.stmt) -> EnvironmentPlan:
        if isinstance(expr, ast.Name):
            return self._named(expr, job_statement)
        plan = EnvironmentPlan()
        model = self._created(expr, plan)
        if plan.blocker is None and model is not None:
            plan.text = self._finished(model, plan, self.ctx.indentation(job_statement))
        elif plan.blocker is None:
            plan.blocker = f"environment={self.ctx.text(expr)} is not an Environment this fix can read"
        return plan

    # -- a name bound to an environment ------------------------------------------------------------
    def _named(self, name: ast.Name, job_statement: ast.stmt) -> EnvironmentPlan:
        plan = EnvironmentPlan(text=name.id)
        binding = self.ctx.binding(name)
        if binding is None or binding.value is None or not isinstance(binding.statement, ast.Assign):
            plan.blocker = f"the environment {name.id} comes from elsewhere (a parameter or several assignments)"
            return plan
        plan.binding, plan.creation = binding, binding.value
        model = self._created(binding.value, plan)
        if plan.blocker is not None:
            return plan
        if model is None:
            plan.blocker = f"{name.id} = {self.ctx.text(binding.value)} is not an Environment this fix can read"
            return plan
        creation = binding.statement
        for use in uses_of(binding, self.ctx):
            if self._job_use(use):
                continue
            reason = self._configure(model, use, creation, plan)
            if reason:
                plan.blocker = reason
                return plan
            plan.removed.append(use.statement)
        if model.reference is not None and model.changed:
            plan.blocker = (f"{name.id} is a registered environment changed after Environment.get: register the "
                            f"changed one as a v2 environment by hand")
            return plan
        plan.new_creation = self._finished(model, plan, self.ctx.indentation(creation))
        return plan

    def _job_use(self, use: Use) -> bool:
        if use.kind != "read" or use.path:
            return False
        holder = use.holder
        if isinstance(holder, ast.keyword) and holder.arg == "environment":
            return True
        return isinstance(holder, ast.Assign) and any(
            isinstance(t, ast.Attribute) and t.attr == "environment" for t in holder.targets)

    # -- how it is built -------------------------------------------------------------------------
    def _created(self, expr: ast.expr, plan: EnvironmentPlan) -> _Model | None:
        if isinstance(expr, ast.Subscript) and isinstance(expr.value, ast.Attribute) \
                and expr.value.attr == "environments":  # ``ws.environments['name']``: the latest version
            return self._registered({"name": expr.slice}, plan)
        if not isinstance(expr, ast.Call):
            return None
        func = expr.func
        if isinstance(func, ast.Attribute) and func.attr == "clone" and isinstance(func.value, ast.Call):
            return self._created(func.value, plan)  # a copy of what it clones, configured from here on
        qualified = self.ctx.qualified(func) or ""
        cls, _, member = qualified.rpartition(".")
        if qualified in _ENVIRONMENT_CLASSES:
            return _Model()
        if cls not in _ENVIRONMENT_CLASSES:
            return None
        arguments = _arguments(expr, {"get": ("workspace", "name", "version", "label"),
                                      "from_conda_specification": ("name", "file_path"),
                                      "from_pip_requirements": ("name", "file_path", "pip_version"),
                                      "from_docker_image": ("name", "image", "container_registry",
                                                            "conda_specification", "pip_requirements")
                                      }.get(member, ()))
        if arguments is None:
            plan.blocker = f"Environment.{member}(...) passes arguments this fix cannot read"
            return None
        if member == "get":
            return self._registered(arguments, plan)
        if member == "from_conda_specification":
            return self._conda_file(arguments["file_path"], plan, expr)
        if member == "from_pip_requirements":
            return self._pip_file(arguments, plan, expr)
        if member == "from_docker_image":
            return self._docker_image(arguments, plan, expr)
        plan.blocker = f"Environment.{member}(...) has no v2 rewrite here: build the v2 environment by hand"
        return None

    def _registered(self, arguments: dict[str, ast.expr], plan: EnvironmentPlan) -> _Model | None:
        name = self.values.string(arguments.get("name"))
        if name is None:
            plan.blocker = "Environment.get(...) names an environment known only at run time"
            return None
        version, label = arguments.get("version"), arguments.get("label")
        if curated.is_curated(name):
            return self._curated(name, plan)
        if version is not None and not is_none(version):
            version_text = self.values.string(version)
            if version_text is None:
                plan.blocker = "Environment.get(...) asks for a version known only at run time"
                return None
            return _Model(reference=repr(f"azureml:{name}:{version_text}"))
        if label is not None and not is_none(label):
            label_text = self.values.string(label)
            if label_text is None:
                plan.blocker = "Environment.get(...) asks for a label known only at run time"
                return None
            return _Model(reference=repr(f"azureml:{name}@{label_text}"))
        plan.notes.append(f"environment {name!r}: the same registered environment, azureml:{name}@latest")
        return _Model(reference=repr(f"azureml:{name}@latest"))

    def _curated(self, name: str, plan: EnvironmentPlan) -> _Model | None:
        same = curated.counterpart(name)
        if same is not None:
            plan.changes.append(f"environment: curated {name!r} -> {same!r} from the azureml registry, its v2 "
                                f"publication")
            return _Model(reference=repr(curated.reference(same)))
        nearest = curated.nearest(name)
        if self.style == "curated" and nearest is not None:
            plan.changes.append(f"environment: curated {name!r} was retired and has no v2 counterpart -> the "
                                f"nearest current one, {nearest!r} from the azureml registry (newer framework, "
                                f"Python and image)")
            return _Model(reference=repr(curated.reference(nearest)))
        hint = f" (--env-style curated picks {nearest!r})" if nearest else ""
        plan.blocker = (f"the curated environment {name!r} was retired and has no v2 counterpart, and the SDK does "
                        f"not hold its image and packages: choose a v2 environment{hint}")
        return None

    def _conda_file(self, path: ast.expr, plan: EnvironmentPlan, at: ast.expr) -> _Model | None:
        text = self.values.literal_or_text(path, at)
        if text is None:
            plan.blocker = "the conda file's path reads something v2 code cannot"
            return None
        plan.changes.append(f"environment: conda file {self.ctx.text(path)} is used as it is; v1 added "
                            f"python={PYTHON_DEFAULT_VERSION} to a file that named no Python version")
        return _Model(conda=None, conda_file=text)

    def _pip_file(self, arguments: dict[str, ast.expr], plan: EnvironmentPlan, at: ast.expr) -> _Model | None:
        path = self.values.literal_or_text(arguments["file_path"], at)
        binding = assigned_binding(at, self.ctx)
        if path is None or binding is None:
            plan.blocker = "Environment.from_pip_requirements(...) is not bound to a name, or reads its file path " \
                           "from something v2 code cannot"
            return None
        lines = f"{binding.name}_pip"
        plan.before.append(f"with open({path}) as requirements:\n    {lines} = requirements.read().splitlines()")
        model = _Model()
        assert model.conda is not None
        model.conda.set_pip_requirements([Expr(lines, splat=True)])
        version = arguments.get("pip_version")
        if version is not None and not is_none(version):
            pinned = self.values.string(version)
            if pinned is None:
                plan.blocker = "pip_version is known only at run time"
                return None
            model.conda.add_conda_package(f"pip={pinned}")
        else:
            model.conda.add_conda_package("pip")
        return model

    def _docker_image(self, arguments: dict[str, ast.expr], plan: EnvironmentPlan, at: ast.expr) -> _Model | None:
        for name in ("container_registry", "pip_requirements"):
            if name in arguments and not is_none(arguments[name]):
                plan.blocker = f"Environment.from_docker_image(..., {name}=...) has no v2 rewrite here"
                return None
        image = self.values.literal_or_text(arguments["image"], at)
        if image is None:
            plan.blocker = "the image of Environment.from_docker_image(...) reads something v2 code cannot"
            return None
        spec = arguments.get("conda_specification")
        model = self._conda_file(spec, plan, at) if spec is not None and not is_none(spec) else _Model()
        if model is not None:
            model.image = image
        return model

    # -- the statements that configure it --------------------------------------------------------
    def _configure(self, model: _Model, use: Use, creation: ast.stmt, plan: EnvironmentPlan) -> str | None:
        """Replay one statement on the model; the reason it cannot be, if so."""
        shown = f"line {use.statement.lineno} ({self.ctx.text(use.top)})"
        if not (use.alone() and same_block(creation, use.statement, self.ctx)
                and self.values.same_cell(creation, use.statement) and self.ctx.holds_statements(use.statement)):
            return f"the environment is used on {shown} in a way this fix cannot replay: migrate it by hand"
        model.changed = True
        path = use.path
        if use.kind == "write":
            value = use.value
            assert value is not None
            if not isinstance(use.holder, ast.Assign):
                return f"{shown} changes the environment in place: migrate it by hand"
            reason = self._written(model, path, value, creation, plan)
            return f"{shown} {reason}" if reason else None
        call = use.call
        assert call is not None
        if path[:2] == ("python", "conda_dependencies") and len(path) == 3 and path[2] in _CONDA_METHODS:
            return self._conda_call(model, path[2], call, creation, shown)
        if path == ("environment_variables", "update") and len(call.args) == 1 and not call.keywords:
            return self._variables(call.args[0], creation, plan, reset=False)
        return f"{shown} has no v2 equivalent: migrate the environment by hand"

    def _written(self, model: _Model, path: tuple[str, ...], value: ast.expr, at: ast.stmt,
                 plan: EnvironmentPlan) -> str | None:
        text = self.values.literal_or_text(value, at)
        constant = self.values.constant(value)
        if path[:2] in _IGNORED and len(path) == 2:
            if path == ("docker", "enabled") and constant is False:
                plan.changes.append("docker: v1 ran the job without Docker (docker.enabled = False); v2 always "
                                    "runs it in a container")
            return None
        if path == ("environment_variables",):
            model.placeholder = False  # replaced, placeholder and all
            return self._variables(value, at, plan, reset=True)
        if path == ("python", "conda_dependencies"):
            return self._conda_value(model, value, at, plan)
        if text is None:
            return "reads something v2 code cannot, or changes before the environment is built"
        if path == ("environment_variables", "[]"):
            key = _subscript_key(value, self.values, at)
            if key is None:
                return "names the variable with something v2 code cannot read"
            plan.variables.append(f"{key}: {text}")
            return None
        if path == ("docker", "base_image"):
            model.image = text
        elif path == ("docker", "base_image_registry", "address"):
            model.registry = text
        elif path == ("docker", "shm_size"):
            plan.shm_size = text
        elif path == ("docker", "arguments"):
            plan.docker_args = text
        elif path == ("python", "interpreter_path"):
            interpreter = self.values.string(value)
            if interpreter is None:
                return "names the interpreter with something v2 code cannot read"
            plan.interpreter = interpreter
        elif path == ("python", "user_managed_dependencies"):
            if constant is UNKNOWN:
                return "user_managed_dependencies is known only at run time"
            model.user_managed = bool(constant)
        else:
            return "has no v2 equivalent: migrate the environment by hand"
        return None

    def _variables(self, value: ast.expr, at: ast.stmt, plan: EnvironmentPlan, reset: bool) -> str | None:
        parts = dict_parts(value, self.values, at)
        if parts is None:
            return "the environment variables read something v2 code cannot"
        plan.variables[:] = [*([] if reset else plan.variables), *parts]
        return None

    def _conda_value(self, model: _Model, value: ast.expr, at: ast.stmt, plan: EnvironmentPlan) -> str | None:
        qualified = self.ctx.qualified(value.func) or "" if isinstance(value, ast.Call) else ""
        if qualified in _CONDA_CLASSES:
            arguments = _arguments(value, ("conda_dependencies_file_path",))  # type: ignore[arg-type]
            path = arguments.get("conda_dependencies_file_path") if arguments is not None else None
            if arguments is None:
                return "builds CondaDependencies with arguments this fix cannot read"
            if path is None or is_none(path):
                model.conda, model.conda_file = CondaSpec.template(), None
                return None
            text = self.values.literal_or_text(path, at)
            if text is None:
                return "reads the conda file's path from something v2 code cannot"
            model.conda, model.conda_file = None, text
            return None
        if qualified.rpartition(".")[0] in _CONDA_CLASSES and qualified.endswith(".create"):
            return self._created_conda(model, value, at, plan)  # type: ignore[arg-type]
        return "sets conda dependencies this fix cannot read"

    def _created_conda(self, model: _Model, call: ast.Call, at: ast.stmt, plan: EnvironmentPlan) -> str | None:
        arguments = _arguments(call, ("pip_indexurl", "pip_packages", "conda_packages", "python_version",
                                      "pin_sdk_version"))
        if arguments is None or ("pip_indexurl" in arguments and not is_none(arguments["pip_indexurl"])):
            return "calls CondaDependencies.create(...) with arguments this fix cannot read"
        pip = self._items(arguments.get("pip_packages"), at)
        conda = self._items(arguments.get("conda_packages"), at)
        python = self._item(arguments.get("python_version"), at)
        if pip is False or conda is False or python is False:
            return "calls CondaDependencies.create(...) with values v2 code cannot read"
        try:
            model.conda = CondaSpec.create(pip, conda, python)  # type: ignore[arg-type]
        except RunTimeOnly as error:
            return str(error)
        model.conda_file = None
        plan.changes.append("environment: CondaDependencies.create added pip index options (--find-links, "
                            "--extra-index-url) where the submitting machine's pip index was not PyPI; v2 has none")
        sdk = [p for p in (pip if isinstance(pip, list) else ["azureml-defaults"])
               if isinstance(p, str) and p.startswith("azureml-")]
        if sdk and self.values.constant(arguments.get("pin_sdk_version"), True) is not False:
            plan.changes.append(f"environment: CondaDependencies.create pinned {', '.join(sdk)} to the v1 SDK "
                                f"version installed where the job was built; v2 installs {', '.join(sdk)} unpinned")
        return None

    def _conda_call(self, model: _Model, method: str, call: ast.Call, at: ast.stmt, shown: str) -> str | None:
        if model.conda is None or len(call.args) != 1 or call.keywords:
            return f"{shown} changes conda dependencies this fix cannot replay: migrate them by hand"
        argument = call.args[0]
        item = self._items(argument, at) if method == "set_pip_requirements" else self._item(argument, at)
        if item is False or item is None:
            return f"{shown} reads something v2 code cannot"
        try:
            getattr(model.conda, method)(item)
        except RunTimeOnly as error:
            return f"{shown}: {error}"
        return None

    def _item(self, node: ast.expr | None, at: ast.stmt) -> Item | None | bool:
        """A constant string, a run-time expression, None when absent; False when unusable."""
        if node is None or is_none(node):
            return None
        value = self.values.constant(node)
        if isinstance(value, str):
            return value
        text = self.values.text_at(node, at)
        return Expr(text) if text is not None else False

    def _items(self, node: ast.expr | None, at: ast.stmt) -> list[Item] | None | bool:
        if node is None or is_none(node):
            return None
        if isinstance(node, (ast.List, ast.Tuple)):
            items: list[Item] = []
            for element in node.elts:
                if isinstance(element, ast.Starred):
                    text = self.values.text_at(element.value, at)
                    if text is None:
                        return False
                    items.append(Expr(text, splat=True))
                    continue
                item = self._item(element, at)
                if item is False or item is None:
                    return False
                items.append(item)  # type: ignore[arg-type]
            return items
        value = self.values.constant(node)
        if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
            return list(value)
        text = self.values.text_at(node, at)
        return [Expr(text, splat=True)] if text is not None else False

    # -- the result ------------------------------------------------------------------------------
    @staticmethod
    def _finished(model: _Model, plan: EnvironmentPlan, indent: str) -> str:
        if model.reference is not None:
            return model.reference
        if model.user_managed:
            plan.notes.append("user-managed dependencies: the image alone, as v1 used it")
        if model.placeholder:
            plan.changes.append(PLACEHOLDER_CHANGE)
        plan.built = True
        return _environment_text(model, indent)


def _environment_text(model: _Model, indent: str) -> str:
    image = model.image or repr(DEFAULT_CPU_IMAGE)
    if model.registry is not None:
        image = f"{model.registry} + '/' + {image}" if not (model.registry[0] in "'\"" and image[0] in "'\"") \
            else repr(f"{ast.literal_eval(model.registry)}/{ast.literal_eval(image)}")
    inner = indent + "    "
    parts = [f"image={image}"]
    if not model.user_managed:
        if model.conda_file is not None:
            parts.append(f"conda_file={model.conda_file}")
        elif model.conda is not None:
            parts.append(f"conda_file={model.conda.to_python(inner)}")
    if len(parts) == 1:
        return f"{v2('Environment')}({parts[0]})"
    return f"{v2('Environment')}(\n{inner}" + f",\n{inner}".join(parts) + f",\n{indent})"


def dict_parts(value: ast.expr, values: Values, at: ast.AST) -> list[str] | None:
    """A mapping as the parts of a dict display: ``'K': v`` per literal item, ``**x`` for the rest."""
    if isinstance(value, ast.Dict):
        parts = []
        for key, item in zip(value.keys, value.values):
            item_text = values.literal_or_text(item, at)
            if item_text is None:
                return None
            if key is None:
                parts.append(f"**{item_text}")
                continue
            key_text = values.literal_or_text(key, at)
            if key_text is None:
                return None
            parts.append(f"{key_text}: {item_text}")
        return parts
    text = values.literal_or_text(value, at)
    if text is None:
        return None
    constant = values.constant(value)
    if isinstance(constant, dict):
        return [f"{k!r}: {v!r}" for k, v in constant.items()]
    return [f"**{text}"]


def _subscript_key(value: ast.expr, values: Values, at: ast.AST) -> str | None:
    """The key of ``x[...][KEY] = value``, as text valid at ``at``."""
    statement = values.ctx.statement_of(value)
    target = statement.targets[0] if isinstance(statement, ast.Assign) else None
    if isinstance(target, ast.Subscript):
        return values.literal_or_text(target.slice, at)
    return None


def _arguments(call: ast.Call, names: tuple[str, ...]) -> dict[str, ast.expr] | None:
    """The call's arguments by parameter name (positional ones by ``names``); None for ``*``/``**``
    or a name the parameters do not have."""
    if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
        return None
    if len(call.args) > len(names):
        return None
    found = dict(zip(names, call.args))
    for keyword in call.keywords:
        if keyword.arg not in names or keyword.arg in found:
            return None
        found[keyword.arg] = keyword.value  # type: ignore[index]
    return found
