"""Hypothesis strategies for programs that use the Azure ML SDK v1 in the shapes real projects do.

A program is built from statements (estimators of every class with random keyword subsets, literal and
non-literal values, DataReferences, RunConfiguration, ScriptRunConfig, HyperDrive, pipeline steps),
each placed in a random context (module level, function, method, ``if``/``try``/``with``/``for`` block,
comprehension, lambda, nested call) and reached through a random import style (plain, aliased, module
alias, fully qualified, star, private path, a name bound to the class). Every program is valid Python.
"""

from __future__ import annotations

from hypothesis import strategies as st

from lint_plugin.sdk.names import CLASSES, Kind, SdkClass

Lines = list[str]

ESTIMATORS = tuple(c for c in CLASSES if c.kind is Kind.ESTIMATOR)
BACKENDS = tuple(c for c in CLASSES if c.kind is Kind.DISTRIBUTED_BACKEND)
BY_NAME = {c.name: c for c in CLASSES}

PRELUDE = [
    "import os",
    "from azureml.core import Workspace, Experiment, Datastore, Environment",
    "from azureml.core.runconfig import RunConfiguration, MpiConfiguration",
    "from azureml.core.script_run_config import ScriptRunConfig",
    "from azureml.data.data_reference import DataReference",
    "from azureml.core.conda_dependencies import CondaDependencies",
    "from azureml.train.hyperdrive import HyperDriveConfig, HyperDriveRunConfig, PrimaryMetricGoal",
    "from azureml.pipeline.core import Pipeline",
    "from azureml.pipeline.steps import EstimatorStep, PythonScriptStep",
    "ws = Workspace.from_config()",
    "ds = ws.get_default_datastore()",
    "blob = Datastore(ws, 'blob')",
    "exp = Experiment(ws, 'exp')",
    "SRC = 'src'",
    "n = int(os.environ.get('NODES', '2'))",
    "common = {'compute_target': 'gpu-cluster'}",
]

VALUES: dict[str, tuple[str, ...]] = {
    "source_directory": ("'src'", "SRC", "os.path.join('.', 'src')", "f'{SRC}/train'", "'données/src'"),
    "entry_script": ("'train.py'", "'scripts/train.py'", "script_name", "'tr' + 'ain.py'"),
    "script_params": ("{'--lr': 0.01}", "{}", "params", "{'--data': ds.as_mount(), '--out': 'outputs'}",
                      "{'--data': DataReference(datastore=blob, path_on_datastore='x').as_download()}",
                      "dict(lr=0.1)", "{**params, '--seed': 1}", "{'--x': ds.path('p').as_mount()}"),
    "compute_target": ("'cpu-cluster'", "compute", "ws.compute_targets['gpu']", "'local'"),
    "node_count": ("2", "n", "int(os.environ.get('N', 1))", "1"),
    "process_count_per_node": ("4", "n", "1"),
    "distributed_training": ("Mpi()", "Nccl()", "Gloo()", "ParameterServer(worker_count=2)",
                             "MpiConfiguration()", "backend", "Mpi(process_count_per_node=2)"),
    "distributed_backend": ("'mpi'", "'nccl'", "'gloo'", "'ps'", "'horovod'", "backend_name"),
    "use_gpu": ("True", "False", "gpu"),
    "use_docker": ("True", "False"),
    "custom_docker_image": ("'myregistry.azurecr.io/train:1'", "image"),
    "pip_packages": ("['torch', 'numpy==1.21']", "pkgs", "[]", "['azureml-defaults'] + extra"),
    "conda_packages": ("['scikit-learn']", "conda_pkgs"),
    "framework_version": ("'1.6'", "'2.0'", "'1.13'", "'2.1'", "version", "'9.9'"),
    "environment_definition": ("env", "Environment('x')", "Environment.get(ws, 'AzureML-Minimal')"),
    "inputs": ("[ds.as_mount()]", "[dref]", "[dataset.as_named_input('d')]", "inputs"),
    "environment_variables": ("{'A': '1'}", "env_vars"),
    "max_run_duration_seconds": ("3600", "timeout"),
    "shm_size": ("'2g'",),
    "conda_dependencies_file": ("'env.yml'",),
    "pip_requirements_file": ("'requirements.txt'",),
    "script": ("'train.py'", "script_name"),
    "arguments": ("['--data', dref]", "['--lr', 0.1]", "args"),
    "run_config": ("rc", "RunConfiguration()"),
}
ESTIMATOR_KEYWORDS = tuple(k for k in VALUES if k not in {"script", "arguments", "run_config"})


IMPORT_STYLES = ("from", "alias", "module_alias", "qualified", "star", "rebound")
PLACES = ("module", "function", "method", "if", "try", "with", "for", "comprehension", "lambda", "nested")


@st.composite
def class_reference(draw: st.DrawFn, cls: SdkClass) -> tuple[Lines, str]:
    """Import lines and the expression that names ``cls`` in one of the ways users write it."""
    path = draw(st.sampled_from(cls.paths))
    module, _, name = path.rpartition(".")
    style = draw(st.sampled_from(IMPORT_STYLES))
    if style == "from":
        return [f"from {module} import {name}"], name
    if style == "alias":
        return [f"from {module} import {name} as {name}V1"], f"{name}V1"
    if style == "module_alias":
        return [f"import {module} as sdkmod"], f"sdkmod.{name}"
    if style == "qualified":
        return [f"import {module}"], path
    if style == "star":
        return [f"from {module} import *"], name
    return [f"from {module} import {name}", f"Chosen{name} = {name}"], f"Chosen{name}"


@st.composite
def call_arguments(draw: st.DrawFn, keywords: tuple[str, ...]) -> str:
    chosen = draw(st.lists(st.sampled_from(keywords), unique=True, max_size=8))
    parts = [f"{k}={draw(st.sampled_from(VALUES[k]))}" for k in chosen]
    if "source_directory" not in chosen and draw(st.booleans()):
        parts.insert(0, draw(st.sampled_from(VALUES["source_directory"])))
    if draw(st.integers(0, 5)) == 0:
        parts.append("**common")
    return ", ".join(parts)


@st.composite
def backend_lines(draw: st.DrawFn) -> tuple[Lines, Lines]:
    """Imports and bindings for the distributed backend names the keyword values use."""
    imports: Lines = []
    for cls in BACKENDS:
        if draw(st.booleans()):
            imports.append(f"from {draw(st.sampled_from(cls.paths)).rpartition('.')[0]} import {cls.name}")
    return imports, ["backend = Mpi()" if draw(st.booleans()) else "backend = MpiConfiguration()"]


@st.composite
def estimator_expression(draw: st.DrawFn) -> tuple[Lines, str]:
    cls = draw(st.sampled_from(ESTIMATORS))
    imports, name = draw(class_reference(cls))
    call = f"{name}({draw(call_arguments(ESTIMATOR_KEYWORDS))})"
    shape = draw(st.sampled_from(("plain", "plain", "nested", "listed", "conditional")))
    if shape == "nested":
        call = f"configure({call}, retries=2)"
    elif shape == "listed":
        call = f"[{call}][0]"
    elif shape == "conditional":
        call = f"{call} if use_estimator else None"
    return imports, call


def _scriptrunconfig(args: str) -> str:
    return f"src = ScriptRunConfig({args})"


@st.composite
def statement(draw: st.DrawFn) -> tuple[Lines, Lines]:
    """(imports, lines) of one SDK statement; the estimator ones bind ``est``."""
    kind = draw(st.sampled_from(("estimator", "estimator", "estimator", "datareference", "runconfig",
                                 "scriptrunconfig", "hyperdrive", "pipeline", "submit")))
    if kind == "estimator":
        imports, call = draw(estimator_expression())
        return imports, [f"est = {call}"]
    if kind == "datareference":
        return [], [draw(st.sampled_from((
            "dref = DataReference(datastore=ds, data_reference_name='d', path_on_datastore='p')",
            "dref = ds.as_mount()", "dref = blob.path('x').as_download()",
            "dref = DataReference(ds, 'name', 'path', mode='download')")))]
    if kind == "runconfig":
        return [], ["rc = RunConfiguration()", draw(st.sampled_from((
            "rc.environment.python.conda_dependencies = CondaDependencies.create(pip_packages=['x'])",
            "rc.target = 'cpu'", "rc.data_references = {'d': dref.to_config()}",
            "rc.framework = 'PySpark'", "rc.environment.docker.enabled = True")))]
    if kind == "scriptrunconfig":
        return [], [_scriptrunconfig(draw(call_arguments(
            ("source_directory", "script", "arguments", "run_config", "compute_target",
             "environment_definition"))))]
    if kind == "hyperdrive":
        cls = draw(st.sampled_from(("HyperDriveConfig", "HyperDriveRunConfig")))
        target = draw(st.sampled_from(("estimator=est", "run_config=src", "est")))
        return [], [f"hd = {cls}({target}, hyperparameter_sampling=ps, primary_metric_name='acc', "
                    "primary_metric_goal=PrimaryMetricGoal.MAXIMIZE, max_total_runs=4)"]
    if kind == "pipeline":
        return [], ["step = EstimatorStep(name='train', estimator=est, estimator_entry_script_arguments="
                    "['--d', dref], inputs=[dref], compute_target=compute)",
                    "pipeline = Pipeline(workspace=ws, steps=[step])"]
    return [], [draw(st.sampled_from(("run = exp.submit(est)", "run = exp.submit(config=hd)",
                                      "runs = [exp.submit(e) for e in (est, src)]")))]


def _indent(lines: Lines, depth: int = 1) -> Lines:
    return ["    " * depth + line for line in lines]


@st.composite
def placed(draw: st.DrawFn, body: Lines) -> Lines:
    """``body`` in a random context; expressions may also move into a comprehension or lambda."""
    where = draw(st.sampled_from(PLACES))
    if where == "function":
        return ["def build(ws, ds, params=None):", *_indent(body), "    return locals()"]
    if where == "method":
        return ["class Job:", "    def make(self, ds):", *_indent(body, 2), "        return self"]
    if where == "if":
        return ["if os.environ.get('REMOTE'):", *_indent(body), "else:", "    pass"]
    if where == "try":
        return ["try:", *_indent(body), "except Exception as error:", "    raise SystemExit(error)"]
    if where == "with":
        return ["with open(os.devnull) as sink:", *_indent(body)]
    if where == "for":
        return ["for attempt in range(2):", *_indent(body)]
    if len(body) == 1 and " = " in body[0]:
        target, value = body[0].split(" = ", 1)
        if where == "comprehension":
            return [f"{target}s = [{value} for _ in range(2)]"]
        if where == "lambda":
            return [f"make_{target} = lambda: {value}"]
        if where == "nested":
            return [f"jobs.append(({value}, 'tag'))"]
    return body


@st.composite
def program(draw: st.DrawFn) -> str:
    """A whole module: backend bindings, then one to five statements, each in its own context."""
    imports, bindings = draw(backend_lines())
    blocks: Lines = []
    for _ in range(draw(st.integers(1, 5))):
        statement_imports, body = draw(statement())
        local = not any(line.endswith("*") for line in statement_imports)
        if local and draw(st.integers(0, 3)) == 0:  # the import inside the block, as functions do
            body, statement_imports = [*statement_imports, *body], []
        imports.extend(statement_imports)
        blocks.extend(draw(placed(body)))
    return "\n".join([*PRELUDE, *imports, *bindings, *blocks]) + "\n"
