"""A ScriptRunConfig, its run configuration and the statements that change it -> ``command(...)``.

The call is rewritten in place (its layout and comments kept): ``source_directory`` -> ``code``,
``script`` and ``arguments`` -> ``command``, ``compute_target`` -> ``compute``,
``distributed_job_config`` -> ``distribution`` (and ``instance_count``), ``max_run_duration_seconds`` ->
``timeout``, ``docker_runtime_config`` -> ``shm_size``/``docker_args``; a ``run_config=`` built in the
module, and the ``src.run_config.X = ...`` statements after the call (environment variables, node
count, data references and datasets...), fold into its parameters and go. What the job is then used
for (submissions, HyperDrive) is left to ``submit.py`` and ``sweep.py``, which must manage too.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from ...analysis.scopes import Binding
from ...sdk.names import Kind
from ..astctx import UNKNOWN, ModuleContext, is_none
from ..plan import CallEdit, Position
from .command_line import CommandLine
from .data import DataInput, DataPlanner
from .distribution import DistributionPlan, plan_distribution
from .environment import EnvironmentPlan, EnvironmentPlanner, dict_parts
from .tokens import v2
from .uses import Use, binding_of_statement, same_block, uses_of
from .values import Values

# ScriptRunConfig's parameters in order (azureml-core 1.61).
SRC_PARAMETERS = ("source_directory", "script", "arguments", "run_config", "_telemetry_values", "compute_target",
                  "environment", "distributed_job_config", "resume_from", "max_run_duration_seconds", "command",
                  "docker_runtime_config")
SRC_DEFAULT_TIMEOUT = 2592000  # ScriptRunConfig.MAX_DURATION_SECONDS_DEFAULT
# What a ScriptRunConfig ignores when run_config= is given (it takes them from the run configuration).
_FROM_RUN_CONFIG = ("compute_target", "environment", "distributed_job_config", "max_run_duration_seconds",
                    "docker_runtime_config")
# Run configuration attributes -> the ScriptRunConfig keyword carrying the same setting.
_RUN_CONFIG_KEYWORDS = {"target": "compute_target", "environment": "environment",
                        "max_run_duration_seconds": "max_run_duration_seconds", "docker": "docker_runtime_config",
                        "script": "script", "arguments": "arguments", "command": "command"}
_COMPUTE_CLASSES = ("azureml.core.compute.ComputeTarget", "azureml.core.ComputeTarget",
                    "azureml.core.compute.compute.ComputeTarget", "azureml.core.compute.AmlCompute",
                    "azureml.core.compute.amlcompute.AmlCompute", "azureml.core.compute.ComputeInstance")
_UNSUPPORTED_COMPUTE = ("HDInsight", "Databricks", "Synapse", "Kusto", "DataFactory", "AdlaCompute")
_HYPERDRIVE_HELPER = "_hyperdrive_run_config"  # what stage 1 wraps a tuned configuration in


@dataclass
class JobPlan:
    call: ast.Call
    statement: ast.stmt
    binding: Binding | None = None
    keywords: dict[str, ast.expr] = field(default_factory=dict)
    settings: dict[str, ast.expr | None] = field(default_factory=dict)  # keyword -> the value in effect
    command: CommandLine = field(default_factory=CommandLine)
    environment: EnvironmentPlan | None = None
    distribution: DistributionPlan = field(default_factory=DistributionPlan)
    inputs: dict[str, DataInput] = field(default_factory=dict)
    variables: list[str] = field(default_factory=list)
    instance_count: str | None = None
    removed: list[ast.stmt] = field(default_factory=list)
    consumers: list[Use] = field(default_factory=list)  # submissions and sweeps of the job
    runtime: tuple[str, str] | None = None  # (script, script_params) when the command line is made at run time
    before: list[str] = field(default_factory=list)  # statements the job needs first
    changes: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    covered: list[Position] = field(default_factory=list)  # other findings the rewrite fixes
    blocker: str | None = None
    root: str | None = None  # when another rewrite's blocker keeps this one manual: that reason

    @property
    def name(self) -> str | None:
        return self.binding.name if self.binding is not None else None

    @property
    def at(self) -> Position:
        return (self.call.lineno, self.call.col_offset)


class JobPlanner:
    def __init__(self, ctx: ModuleContext, values: Values, environments: EnvironmentPlanner, data: DataPlanner) -> None:
        self.ctx = ctx
        self.values = values
        self.environments = environments
        self.data = data

    def plan(self, call: ast.Call) -> JobPlan:
        job = JobPlan(call, self.ctx.statement_of(call))
        job.blocker = self._read(job) or self._build(job)
        return job

    # -- reading the job ---------------------------------------------------------------------------
    def _read(self, job: JobPlan) -> str | None:
        statement, call = job.statement, job.call
        bound = isinstance(statement, ast.Assign) and statement.value is call
        if not bound or not self.ctx.holds_statements(statement):
            return "the ScriptRunConfig is not bound to a name on a line of its own: bind it first"
        job.binding = binding_of_statement(statement, self.ctx)
        if job.binding is None:
            return "the ScriptRunConfig is not bound to a plain name: bind it first"
        if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
            return "*args or **kwargs passed through, with arguments known only at run time"
        if len(call.args) > len(SRC_PARAMETERS):
            return "more positional arguments than ScriptRunConfig takes"
        job.keywords = {**dict(zip(SRC_PARAMETERS, call.args)), **{k.arg: k.value for k in call.keywords if k.arg}}
        if not is_none(job.keywords.get("resume_from")) and "resume_from" in job.keywords:
            return "resume_from has no v2 equivalent: resume from the checkpoint in the script"
        job.settings = {name: value for name, value in job.keywords.items() if not is_none(value)}
        run_config = job.settings.pop("run_config", None)
        if run_config is not None:
            reason = self._run_configuration(job, run_config)
            if reason:
                return reason
        return self._follow_ups(job)

    def _run_configuration(self, job: JobPlan, run_config: ast.expr) -> str | None:
        """``run_config=rc`` for an ``rc = RunConfiguration()`` of this module configured in straight-line
        code: its settings replace the keywords ScriptRunConfig ignores when it is given."""
        binding = self.ctx.binding(run_config) if isinstance(run_config, ast.Name) else None
        value = binding.value if binding is not None else None
        if binding is None or not isinstance(value, ast.Call) or self.ctx.kind(value) is not Kind.RUN_CONFIGURATION \
                or value.args or value.keywords or not isinstance(binding.statement, ast.Assign):
            return f"run_config={self.ctx.text(run_config)} is not a RunConfiguration() this fix can read"
        for name in _FROM_RUN_CONFIG:
            job.settings.pop(name, None)
        job.settings["compute_target"] = None  # RunConfiguration's target defaults to local too
        job.settings["max_run_duration_seconds"] = None
        job.removed.append(binding.statement)  # type: ignore[arg-type]
        job.covered.append((value.lineno, value.col_offset))
        for use in uses_of(binding, self.ctx):
            if use.read is run_config:
                continue
            if use.kind == "read" or not use.path:
                return f"{binding.name} is used on line {use.statement.lineno}, not only by the job: migrate it by hand"
            reason = self._setting(job, use, use.path, binding.statement)  # type: ignore[arg-type]
            if reason:
                return reason
        return None

    def _follow_ups(self, job: JobPlan) -> str | None:
        """The statements after the job that change it; the other uses are its consumers."""
        assert job.binding is not None
        for use in uses_of(job.binding, self.ctx):
            if use.kind == "read" and not use.path:
                job.consumers.append(use)
                continue
            if use.kind == "read" and use.path == ("run_config",) and _runtime_arguments(use.holder) is not None \
                    and use.holder.args[1] is use.top:  # type: ignore[union-attr]
                continue  # stage 1's ``src.arguments = _estimator_arguments(params, src.run_config)``
            path = use.path[1:] if use.path[:1] == ("run_config",) else None
            if use.path in (("arguments",), ("script",), ("source_directory",)):
                path = use.path
            if path is None or use.kind == "read":
                return f"{job.name}.{'.'.join(use.path)} is used on line {use.statement.lineno}, which has no v2 " \
                       f"equivalent here: migrate the job by hand"
            reason = self._setting(job, use, path, job.statement)
            if reason:
                return reason
        return None

    def _setting(self, job: JobPlan, use: Use, path: tuple[str, ...], origin: ast.stmt) -> str | None:
        """One statement that sets something on the run configuration (``path`` below it)."""
        shown = f"line {use.statement.lineno} ({self.ctx.text(use.top)})"
        if not (use.alone() and same_block(origin, use.statement, self.ctx) and self.ctx.holds_statements(use.statement)
                and self.values.same_cell(origin, use.statement)):
            return f"{shown} changes the job where this fix cannot follow it: migrate the job by hand"
        job.removed.append(use.statement)
        head, value = path[0], use.value
        if use.kind == "call":
            call = use.call
            assert call is not None
            if path[1:] == ("update",) and head in ("environment_variables", "data_references", "data") \
                    and len(call.args) == 1 and not call.keywords:
                return self._mapping(job, head, call.args[0], shown, replace=False)
            return f"{shown} has no v2 equivalent: migrate the job by hand"
        assert value is not None
        if head in ("environment_variables", "data_references", "data") and len(path) <= 2:
            if len(path) == 1:
                return self._mapping(job, head, value, shown, replace=True)
            key = use.subscripts[-1] if use.subscripts else None
            return self._mapping(job, head, ast.Dict(keys=[key], values=[value]), shown, replace=False)
        if len(path) == 1 and head in _RUN_CONFIG_KEYWORDS:
            job.settings[_RUN_CONFIG_KEYWORDS[head]] = value
            return None
        if path == ("node_count",):
            job.settings["node_count"] = value
            return None
        if path == ("source_directory_data_store",):
            job.settings["source_directory_data_store"] = value
            return None
        if path in (("docker", "shm_size"),):
            job.settings["shm_size"] = value
            return None
        if head == "amlcompute":
            return ("the job creates its compute when it runs (run-based AmlCompute): create a compute cluster "
                    "(azure.ai.ml.entities.AmlCompute) and pass its name")
        if head in ("history", "spark"):
            job.changes.append(f"{'.'.join(path)}: v2 command jobs have no such setting; dropped")
            return None
        return f"{shown} has no v2 equivalent: migrate the job by hand"

    def _mapping(self, job: JobPlan, head: str, value: ast.expr, shown: str, replace: bool) -> str | None:
        """``environment_variables``, ``data_references`` or ``data`` set (whole or in part)."""
        key = f"_{head}"
        if replace or key not in job.settings:
            job.settings[key] = ast.Dict(keys=[], values=[])
        collected: ast.Dict = job.settings[key]  # type: ignore[assignment]
        if isinstance(value, ast.Dict):
            collected.keys += value.keys
            collected.values += value.values
            return None
        if head == "environment_variables":
            collected.keys.append(None)
            collected.values.append(value)
            return None
        return f"{shown} registers data this fix cannot read one by one: migrate the job by hand"

    # -- building the v2 job -----------------------------------------------------------------------
    def _build(self, job: JobPlan) -> str | None:
        for step in (self._environment, self._data, self._command_line, self._distribution, self._others):
            reason = step(job)
            if reason:
                return reason
        return None

    def _environment(self, job: JobPlan) -> str | None:
        expr = job.settings.get("environment")
        job.environment = self.environments.plan(expr, job.statement) if expr is not None \
            else self.environments.default()
        environment = job.environment
        if environment.blocker:
            return environment.blocker
        if environment.binding is None and environment.built:  # an Environment(...) built in the call: named first
            name = self.ctx.fresh_name(f"{job.name}_env")
            job.before.append(f"{name} = {environment.text}")
            environment.text = name
        job.variables = list(environment.variables)
        job.changes += environment.changes
        job.notes += environment.notes
        variables = job.settings.get("_environment_variables")
        if variables is not None:
            parts = dict_parts(variables, self.values, job.statement)  # type: ignore[arg-type]
            if parts is None:
                return "the job's environment variables read something v2 code cannot"
            job.variables += parts
        return None

    def _store_mount_change(self, store: ast.expr, at: ast.stmt) -> str:
        """The declaration of the mount v1 made of ``source_directory_data_store``: a reference named
        after the datastore, its root mounted read-only."""
        name = self.data.store_name(store.value if isinstance(store, ast.Attribute) else store, at)
        where = f"the datastore {name} (azureml://datastores/{ast.literal_eval(name)}/paths, read-only mount)" \
            if name is not None and name[0] in "'\"" else "the workspace blob store"
        return (f"source_directory_data_store: v1 mounted {where} as the source directory's data store (for "
                f"multi-node jobs); v2 uploads the code, so the mount is dropped")

    def _data(self, job: JobPlan) -> str | None:
        """The data registered on the run configuration: references and datasets."""
        references: ast.Dict | None = job.settings.get("_data_references")  # type: ignore[assignment]
        store = job.settings.get("source_directory_data_store")
        for key, value in zip(references.keys if references else [], references.values if references else []):
            if store is not None and _is_store_mount(key, value, store):
                job.changes.append(self._store_mount_change(store, job.statement))
                continue
            registered = _registered(key, value)
            if registered is None:
                return f"data_references holds {self.ctx.text(value) if value else '...'}, which this fix cannot read"
            reason = self._input(job, self.data.reference(registered, job.statement), registered, in_arguments=False)
            if reason:
                return reason
        if store is not None and not job.changes:
            return "source_directory_data_store is set without the mount v1 made of it: migrate the job by hand"
        datasets: ast.Dict | None = job.settings.get("_data")  # type: ignore[assignment]
        for value in datasets.values if datasets else []:
            reason = self._input(job, self.data.dataset(value, job.statement), value, in_arguments=False)
            if reason:
                return reason
        return None

    def _input(self, job: JobPlan, data: DataInput, node: ast.expr, *, in_arguments: bool) -> str | None:
        """Add an input (once per v1 object) and say what changes for the script."""
        if data.blocker:
            return data.blocker
        for existing in job.inputs.values():
            if existing.text == data.text:
                data.name = existing.name
                return None
        name = data.name
        suffix = 2
        while name in job.inputs:
            name, suffix = f"{data.name}_{suffix}", suffix + 1
        data.name = name
        job.inputs[name] = data
        job.changes += data.changes
        if not in_arguments:
            old = f"$AZUREML_DATAREFERENCE_{data.v1_name}" if data.v1_name else "its $AZUREML_DATAREFERENCE_ variable"
            job.changes.append(f"data {name}: the arguments do not pass it; the script found it through {old} or the "
                               f"v1 run context, and now finds it through AZURE_ML_INPUT_{name}")
        return None

    def _command_line(self, job: JobPlan) -> str | None:
        command = job.command
        script, arguments = job.settings.get("script"), job.settings.get("arguments")
        given = job.settings.get("command")
        if given is not None:
            return self._given_command(job, given)
        if script is None:
            return "the ScriptRunConfig names no script and no command"
        environment = job.environment
        command.literal(environment.interpreter if environment is not None and environment.interpreter else "python")
        reason = self._word(job, script, argument=False)
        if reason:
            return reason
        return self._arguments(job, arguments) if arguments is not None else None

    def _given_command(self, job: JobPlan, given: ast.expr) -> str | None:
        value = self.values.constant(given)
        if isinstance(value, str):
            job.command.verbatim(value)
            return None
        if isinstance(given, (ast.List, ast.Tuple)):
            return self._elements(job, given.elts)
        return f"command={self.ctx.text(given)} is known only at run time"

    def _arguments(self, job: JobPlan, arguments: ast.expr) -> str | None:
        params = _runtime_arguments(arguments)
        if params is not None:
            return self._runtime_command(job, params)
        if isinstance(arguments, (ast.List, ast.Tuple)):
            return self._elements(job, arguments.elts)
        if isinstance(arguments, ast.Name):
            binding = self.ctx.binding(arguments)
            value = binding.value if binding is not None else None
            if isinstance(value, (ast.List, ast.Tuple)) and not self.ctx.mutated(binding) \
                    and self.ctx.same_names_at(value, job.statement):  # type: ignore[arg-type]
                return self._elements(job, value.elts)
        text = self.values.text_at(arguments, job.statement)
        if text is None or self._may_hold_data(arguments):
            return (f"arguments={self.ctx.text(arguments)} are made at run time, and may hold data (which v2 passes "
                    f"as inputs): write the command line by hand")
        job.command.joined(text)
        return None

    def _runtime_command(self, job: JobPlan, params: ast.expr) -> str | None:
        """script_params only run time knows (stage 1's ``_estimator_arguments(params, ...)``): the line
        is made when the job is built, by ``_estimator_command`` (``helpers.py``)."""
        script = job.settings.get("script")
        script_text = self.values.literal_or_text(script, job.statement) if script is not None else None
        params_text = self.values.text_at(params, job.statement)
        if script_text is None or params_text is None:
            return "the script_params read something v2 code cannot where the job is built"
        job.command.words.clear()
        job.runtime = (script_text, params_text)
        for name in self._passed_in(params):  # data the dict passes: the helper makes it an input by its key
            for key, data in job.inputs.items():
                if data.binding is not None and data.binding.name == name:
                    data.listed = False
                    job.changes[:] = [c for c in job.changes if not c.startswith(f"data {key}: the arguments do not")]
        job.changes.append("arguments: script_params known only at run time; _estimator_command makes the command "
                           "line when the job is built, and data among them must now be azure.ai.ml Inputs (SDK v1 "
                           "data raises there)")
        return None

    def _passed_in(self, params: ast.expr) -> set[str]:
        """The names a dict's values read: in its literal and in ``params[key] = value`` statements."""
        values: list[ast.expr] = [params]
        binding = self.ctx.binding(params) if isinstance(params, ast.Name) else None
        if binding is not None and binding.value is not None:
            values.append(binding.value)
            values += [use.value for use in uses_of(binding, self.ctx) if use.kind == "write" and use.value is not None]
        return {node.id for value in values for node in ast.walk(value) if isinstance(node, ast.Name)}

    def _may_hold_data(self, arguments: ast.expr) -> bool:
        """A list built at run time that data may go into: a helper's result, or a list data is added to."""
        if isinstance(arguments, ast.Call):
            return True
        binding = self.ctx.binding(arguments) if isinstance(arguments, ast.Name) else None
        if binding is None:
            return not isinstance(arguments, (ast.Attribute, ast.Subscript)) or self._holds_data(arguments)
        for use in uses_of(binding, self.ctx):
            call = use.call
            if call is not None and use.path in (("append",), ("extend",), ("insert",)) \
                    and any(self._holds_data(argument) for argument in call.args):
                return True
            if use.kind == "write" and use.value is not None and self._holds_data(use.value):
                return True
        return binding.value is None or isinstance(binding.value, ast.Call) or self._holds_data(binding.value)

    def _holds_data(self, node: ast.expr) -> bool:
        """Whether any part of ``node`` is a DataReference, Datastore or dataset (``str(ref)`` too)."""
        return any(self.ctx.kind(part) in _DATA_KINDS for part in ast.walk(node) if isinstance(part, ast.expr))

    def _elements(self, job: JobPlan, elements: list[ast.expr]) -> str | None:
        for element in elements:
            reason = self._word(job, element, argument=True)
            if reason:
                return reason
        return None

    def _word(self, job: JobPlan, element: ast.expr, *, argument: bool) -> str | None:
        command = job.command
        if isinstance(element, ast.Starred):
            text = self.values.text_at(element.value, job.statement)
            if text is None or self._may_hold_data(element.value):
                return f"*{self.ctx.text(element.value)} in the arguments is made at run time and may hold data"
            command.joined(text)
            return None
        data = self._data_argument(job, element)
        if data is not None:
            return data if isinstance(data, str) and data else None
        value = self.values.constant(element)
        if value is not UNKNOWN:
            command.literal(value)
            return None
        kind = self.ctx.kind(element)
        if kind in (Kind.DATASTORE, Kind.DATA_REFERENCE):
            return f"{self.ctx.text(element)} is passed in the arguments without str() (AML301): fix that first"
        if self._holds_data(element):
            return f"the argument {self.ctx.text(element)} makes a string of data, which v2 passes as an input: " \
                   f"write it by hand"
        text = self.values.text_at(element, job.statement)
        if text is None:
            return f"the argument {self.ctx.text(element)} reads something v2 code cannot"
        command.expression(text)
        return None

    def _data_argument(self, job: JobPlan, element: ast.expr) -> str | None:
        """'' when ``element`` is data now written as its placeholder, a reason when it is data that
        cannot be, None when it is not data."""
        prefix = suffix = ""
        inner: ast.expr | None = None
        if isinstance(element, ast.Call) and isinstance(element.func, ast.Name) and element.func.id == "str" \
                and len(element.args) == 1 and not self.ctx.flow.reaching(element.func):
            inner = element.args[0]
        elif isinstance(element, ast.JoinedStr):
            found = _formatted_data(element, self.ctx)
            if found is None:
                return None
            prefix, inner, suffix = found
        elif self.ctx.kind(element) is Kind.DATASET_INPUT:
            inner = element
        if inner is None:
            return None
        kind = self.ctx.kind(inner)
        if kind is Kind.DATA_REFERENCE:
            if not self._registered(job, inner):
                return (f"{self.ctx.text(inner)} is not registered in run_config.data_references (AML302): v1 "
                        f"passed its placeholder without mounting it; register it first")
            data = self.data.reference(inner, job.statement)
        elif kind is Kind.DATASET_INPUT:
            data = self.data.dataset(inner, job.statement)
        else:
            return None
        reason = self._input(job, data, inner, in_arguments=True)
        if reason:
            return reason
        job.changes[:] = [c for c in job.changes if not c.startswith(f"data {data.name}: the arguments do not")]
        job.command.placeholder(data.name, prefix, suffix)
        return ""

    def _registered(self, job: JobPlan, reference: ast.expr) -> bool:
        references: ast.Dict | None = job.settings.get("_data_references")  # type: ignore[assignment]
        text = self.ctx.text(reference)
        return references is not None and any(
            (registered := _registered(k, v)) is not None and self.ctx.text(registered) == text
            for k, v in zip(references.keys, references.values))

    def _distribution(self, job: JobPlan) -> str | None:
        config = job.settings.get("distributed_job_config")
        if config is not None:
            job.distribution = plan_distribution(config, job.statement, self.ctx, self.values)
            if job.distribution.blocker:
                return job.distribution.blocker
            job.changes += job.distribution.changes
            job.instance_count = job.distribution.instance_count
        nodes = job.settings.get("node_count")
        if nodes is not None:
            text = self.values.literal_or_text(nodes, job.statement)
            if text is None:
                return "node_count reads something v2 code cannot"
            job.instance_count = None if text == "1" else text
        return None

    def _others(self, job: JobPlan) -> str | None:
        compute = job.settings.get("compute_target")
        if compute is not None and self._compute(compute, job.statement) is None:
            return self._compute_blocker(compute)
        docker = job.settings.get("docker_runtime_config")
        if docker is not None and self._docker_configuration(docker) is None:
            return f"docker_runtime_config={self.ctx.text(docker)} is not a DockerConfiguration(...) this fix can read"
        return None

    def _docker_configuration(self, docker: ast.expr) -> ast.Call | None:
        """``DockerConfiguration(...)``, written in place or bound once to the name."""
        if isinstance(docker, ast.Name):
            binding = self.ctx.binding(docker)
            docker = binding.value if binding is not None and binding.value is not None \
                and not self.ctx.mutated(binding) else docker  # type: ignore[assignment]
        if isinstance(docker, ast.Call) and (self.ctx.qualified(docker.func) or "").endswith("DockerConfiguration") \
                and not docker.args and all(k.arg for k in docker.keywords):
            return docker
        return None

    # -- texts -----------------------------------------------------------------------------------
    def compute_text(self, job: JobPlan) -> str:
        compute = job.settings.get("compute_target")
        return "'local'" if compute is None else self._compute(compute, job.statement) or "'local'"

    def _compute(self, compute: ast.expr, at: ast.stmt) -> str | None:
        value = self.values.constant(compute)
        if isinstance(value, str):
            return None if value.lower() == "amlcompute" else self.values.literal_or_text(compute, at)
        binding = self.ctx.binding(compute) if isinstance(compute, ast.Name) else None
        target = binding.value if binding is not None else compute
        name = self._compute_name(target)
        if name is not None:
            return repr(name)
        if isinstance(target, ast.Call) and any(word in (self.ctx.qualified(target.func) or "")
                                                for word in _UNSUPPORTED_COMPUTE):
            return None
        text = self.values.text_at(compute, at)
        return f"getattr({text}, 'name', {text})" if text is not None and isinstance(compute, ast.Name) else \
            (f"{text}.name" if text is not None else None)

    def _compute_name(self, target: ast.expr | None) -> str | None:
        """The name of ``ComputeTarget(workspace=ws, name='x')``, ``ComputeTarget.create(ws, 'x', ...)``,
        ``AmlCompute(ws, 'x')``, ``ws.compute_targets['x']``."""
        if isinstance(target, ast.Subscript) and isinstance(target.value, ast.Attribute) \
                and target.value.attr == "compute_targets":
            return self.values.string(target.slice)
        if not isinstance(target, ast.Call):
            return None
        qualified = self.ctx.qualified(target.func) or ""
        if qualified in _COMPUTE_CLASSES or qualified.rpartition(".")[0] in _COMPUTE_CLASSES:
            name = target.args[1] if len(target.args) > 1 else next(
                (k.value for k in target.keywords if k.arg == "name"), None)
            return self.values.string(name)
        return None

    def _compute_blocker(self, compute: ast.expr) -> str:
        value = self.values.constant(compute)
        if isinstance(value, str):
            return "the job creates its compute when it runs (compute_target='amlcompute'): create a compute " \
                   "cluster (azure.ai.ml.entities.AmlCompute) and pass its name"
        binding = self.ctx.binding(compute) if isinstance(compute, ast.Name) else None
        target = binding.value if binding is not None else compute
        kind = next((word for word in _UNSUPPORTED_COMPUTE if isinstance(target, ast.Call)
                     and word in (self.ctx.qualified(target.func) or "")), None)
        if kind:
            return f"compute_target={self.ctx.text(compute)} is a {kind} target, which v2 command jobs cannot run on"
        return f"compute_target={self.ctx.text(compute)} reads something v2 code cannot"

    def timeout_text(self, job: JobPlan) -> str | None:
        if "max_run_duration_seconds" not in job.settings and "max_run_duration_seconds" not in job.keywords:
            return str(SRC_DEFAULT_TIMEOUT)
        value = job.settings.get("max_run_duration_seconds")
        return None if value is None else self.values.literal_or_text(value, job.statement)

    def docker_texts(self, job: JobPlan) -> tuple[str | None, str | None, list[str]]:
        """(shm_size, docker_args, changes) from docker_runtime_config or the environment's docker section."""
        environment = job.environment or EnvironmentPlan()
        shm, arguments, changes = environment.shm_size, environment.docker_args, []
        given = job.settings.get("docker_runtime_config")
        docker = self._docker_configuration(given) if given is not None else None
        if docker is not None:
            settings = {k.arg: k.value for k in docker.keywords if k.arg}
            use_docker = self.values.constant(settings.get("use_docker"), True)
            if use_docker is False:
                changes.append("docker: v1 ran the job without Docker (use_docker=False); v2 always runs it in a "
                               "container")
            if "shm_size" in settings:
                size = settings["shm_size"]
                shm = None if is_none(size) else self.values.literal_or_text(size, job.statement)
            if "arguments" in settings and not is_none(settings["arguments"]):
                arguments = self.values.literal_or_text(settings["arguments"], job.statement)
            for other in ("shared_volumes",):
                if other in settings and not is_none(settings[other]):
                    changes.append(f"docker: {other} has no v2 equivalent; dropped")
        shm_setting = job.settings.get("shm_size")
        if shm_setting is not None:
            shm = self.values.literal_or_text(shm_setting, job.statement)
        return shm, arguments, changes


_DATA_KINDS = (Kind.DATA_REFERENCE, Kind.DATASTORE, Kind.DATASET_INPUT, Kind.DATASET)


def _runtime_arguments(node: ast.AST | None) -> ast.expr | None:
    """``params`` of stage 1's ``_estimator_arguments(params, src.run_config)``."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "_estimator_arguments" \
            and len(node.args) == 2 and not node.keywords and isinstance(node.args[1], ast.Attribute) \
            and node.args[1].attr == "run_config":
        return node.args[0]
    return None


def _registered(key: ast.expr | None, value: ast.expr | None) -> ast.expr | None:
    """``ref`` in ``{ref.data_reference_name: ref.to_config()}``."""
    if isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and value.func.attr == "to_config" \
            and not value.args:
        return value.func.value
    return None


def _is_store_mount(key: ast.expr | None, value: ast.expr | None, store: ast.expr) -> bool:
    """``data_references[store.name] = store.as_mount().to_config()`` with ``source_directory_data_store
    = store.name``: stage 1's copy of Estimator.submit's blob store mount."""
    reference = _registered(key, value)
    return (isinstance(reference, ast.Call) and isinstance(reference.func, ast.Attribute)
            and reference.func.attr == "as_mount" and ast.dump(reference.func.value) == ast.dump(
                store.value if isinstance(store, ast.Attribute) else store))


def _formatted_data(element: ast.JoinedStr, ctx: ModuleContext) -> tuple[str, ast.expr, str] | None:
    """(prefix, the data, suffix) of ``f'--x={ref}'``: one formatted value, plain text around it."""
    formatted = [part for part in element.values if isinstance(part, ast.FormattedValue)]
    if len(formatted) != 1 or formatted[0].format_spec is not None or formatted[0].conversion not in (-1, 115):
        return None
    if ctx.kind(formatted[0].value) not in (Kind.DATA_REFERENCE, Kind.DATASET_INPUT):
        return None
    index = element.values.index(formatted[0])
    prefix = "".join(p.value for p in element.values[:index] if isinstance(p, ast.Constant))
    suffix = "".join(p.value for p in element.values[index + 1:] if isinstance(p, ast.Constant))
    return prefix, formatted[0].value, suffix


def job_edit(job: JobPlan, planner: JobPlanner) -> CallEdit:
    """The ScriptRunConfig call rewritten as ``command(...)``."""
    edit = CallEdit(job.at, func=v2("command"))
    edit.positional = list(SRC_PARAMETERS[: len(job.call.args)])
    given = job.keywords
    appended: list[tuple[str, str]] = []

    def put(v1_name: str | None, v2_name: str, text: str | None) -> None:
        """Write ``v2_name=text`` where ``v1_name`` was, else at the end; nothing for None."""
        if v1_name is not None and v1_name in given:
            if text is None:
                edit.drop.add(v1_name)
                return
            edit.rename[v1_name] = v2_name
            edit.values[v1_name] = text
        elif text is not None:
            appended.append((v2_name, text))

    source = job.settings.get("source_directory")
    code = "'.'" if source is None or planner.values.constant(source) == "" else \
        planner.values.literal_or_text(source, job.statement) or "'.'"
    put("source_directory", "code", code)
    command_slot = "script" if "script" in given else "command" if "command" in given else None
    runtime_inputs = None
    if job.runtime is not None:
        line = planner.ctx.fresh_name(f"{job.name}_command")
        runtime_inputs = planner.ctx.fresh_name(f"{job.name}_inputs")
        job.before.append(f"{line}, {runtime_inputs} = _estimator_command({job.runtime[0]}, {job.runtime[1]})")
        put(command_slot, "command", line)
    else:
        written = planner.ctx.text(given[command_slot]) if command_slot in given else "'"
        put(command_slot, "command", job.command.python(quote=written[0] if written[0] in "'\"" else "'"))
    for name in ("arguments", "script", "command"):
        if name in given and name != command_slot:
            edit.drop.add(name)
    put("compute_target", "compute", planner.compute_text(job))
    environment = job.environment
    assert environment is not None
    put("environment", "environment", environment.text)
    put("distributed_job_config", "distribution", job.distribution.distribution)
    put("max_run_duration_seconds", "timeout", planner.timeout_text(job))
    shm, docker_args, changes = planner.docker_texts(job)
    job.changes += changes
    put("docker_runtime_config", "shm_size", shm or "'2g'")
    if shm is None:
        job.notes.append("shm_size: v1 left it to the service default, 2g, written out")
    for name in ("run_config", "resume_from", "_telemetry_values"):
        if name in given:
            edit.drop.add(name)
    if job.instance_count is not None:
        appended.append(("instance_count", job.instance_count))
    if docker_args is not None:
        appended.append(("docker_args", docker_args))
    if job.variables:
        appended.append(("environment_variables", "{" + ", ".join(job.variables) + "}"))
    inputs = {name: data for name, data in job.inputs.items() if not data.output and data.listed}
    outputs = {name: data for name, data in job.inputs.items() if data.output and data.listed}
    literal = job.command.literal_inputs
    if inputs or literal or runtime_inputs:
        parts = [f"{name!r}: {data.text}" for name, data in inputs.items()] + \
            [f"{name!r}: {text}" for name, text in literal.items()]
        if runtime_inputs and not parts:
            appended.append(("inputs", runtime_inputs))
        else:
            appended.append(("inputs", "{" + ", ".join(([f"**{runtime_inputs}"] if runtime_inputs else []) + parts)
                             + "}"))
    if outputs:
        appended.append(("outputs", "{" + ", ".join(f"{name!r}: {data.text}" for name, data in outputs.items()) + "}"))
    edit.append += appended
    return edit
