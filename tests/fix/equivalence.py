"""Is a rewritten program SDK-equivalent to the original? Every job the original defines is compared with
the rewrite's job of the same key (``sdk_offline.Execution.jobs``): the whole description, source
directory, script, arguments and run configuration included.

The only differences accepted are those SDK_FACTS.md justifies, and each is accepted by turning the
ORIGINAL side into what the new API must send for the same setting (:func:`expected_run_configuration`);
the rewrite's side is compared untouched, so no accepted difference can hide a change the rewrite made.
The one exception is random names, random on both sides, which both sides rename after what they name.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from sdk_offline import CURATED_IMAGE_PREFIX, Execution, Job, curated_environment, run_configurations

from azureml.core.environment import Environment

# The curated environment documented for each estimator scenario (SDK_FACTS.md section 5, "Framework
# table", last column), keyed by the scenario file's (framework, version, processor). None is
# documented for Chainer 7.0.0 nor TensorFlow 2.3 CPU.
DOCUMENTED_CURATED: dict[tuple[str, str, str], tuple[str, ...]] = {
    **{("chainer", "5.1.0", p): (f"AzureML-Chainer-5.1.0-{p.upper()}",) for p in ("cpu", "gpu")},
    **{("pytorch", v, p): (f"AzureML-PyTorch-{v}-{p.upper()}",)
       for v in ("1.0", "1.1", "1.2", "1.3", "1.4", "1.5", "1.6") for p in ("cpu", "gpu")},
    **{("tensorflow", v, p): (f"AzureML-TensorFlow-{v}-{p.upper()}",)
       for v in ("1.10", "1.12", "1.13", "2.0", "2.1", "2.2") for p in ("cpu", "gpu")},
    ("tensorflow", "2.3", "gpu"): ("AzureML-TensorFlow-2.3-GPU",),
    ("sklearn", "0.20.3", "cpu"): ("AzureML-Scikit-learn-0.20.3", "AzureML-Tutorial"),
}


@dataclass
class Original:
    """The original program run twice, as written (AmlCompute targets in a region with cached framework
    images) and on the full-build path (SDK_FACTS.md section 5), and what its fix declares it changes."""

    as_written: Execution
    full_build: Execution
    declared: list[str]


def differences(original: Original, rewrite: Execution, style: str, rewritten: bool = True) -> list[str]:
    """Every difference between what the original and the rewrite send, one line each. ``rewritten``
    False (the program was left as it was): compared as they are."""
    found = []
    for key, old in original.as_written.jobs.items():
        new = rewrite.jobs.get(key)
        if new is None:
            found.append(f"{key}: the rewrite defines no such job (it has {sorted(rewrite.jobs)})")
        elif not rewritten:
            found += [f"{key}: {line}" for line in _diff(_canonical(old.sent), _canonical(new.sent), "")]
        else:
            found += [f"{key}: {line}" for line in _job_differences(original, key, new, style)]
    extra = [k for k in rewrite.jobs if k.startswith("submission") and k not in original.as_written.jobs]
    return found + [f"{key}: the original submits no such job" for key in extra]


def _job_differences(original: Original, key: str, new: Job, style: str) -> list[str]:
    """Against the job as written; where the estimator took the framework-image path (SDK_FACTS.md
    section 5, path 1) and the fix declares the prebuilt image it gave up, against the full-build job,
    which a rewrite that cannot know the compute target's type reproduces."""
    as_written, full_build = original.as_written.jobs[key], original.full_build.jobs[key]
    references = {**original.as_written.references, **original.full_build.references}
    found = compare_job(as_written, new, style, full_build, references)
    if not found or _canonical(full_build.sent) == _canonical(as_written.sent):
        return found
    prebuilt = sorted({rc["environment"]["docker"]["baseImage"] for rc in run_configurations(as_written.sent)
                       if rc and rc["environment"]["docker"]["baseImageRegistry"]["address"]})
    if prebuilt and any(image in change for image in prebuilt for change in original.declared):
        return compare_job(full_build, new, style, full_build, references)
    return found


def compare_job(old: Job, new: Job, style: str, full_build: Job, references: dict[str, Any]) -> list[str]:
    """Differences between the expected (the original in the new API's spelling) and the rewrite. In
    curated style a run configuration whose environment the rewrite takes from ``Environment.get`` is
    compared without it; :func:`_curated_differences` checks that environment on its own."""
    counts = (len(list(run_configurations(old.sent))), len(list(run_configurations(new.sent))))
    if counts[0] != counts[1]:
        return [f"{counts[0]} run configuration(s) expected, {counts[1]} sent"]
    expected = json.loads(json.dumps(old.sent))
    for config, estimator in zip(run_configurations(expected), old.estimators):
        if config is not None and estimator is None:
            _registered_references(config, references)
    expected, actual = _canonical(expected), _canonical(new.sent)
    pairs = zip(run_configurations(expected), run_configurations(actual), old.estimators, new.estimators,
                run_configurations(_canonical(full_build.sent)))
    found = []
    for index, (config, sent, estimator, still_estimator, built) in enumerate(pairs):
        if config is None or sent is None:
            continue
        if still_estimator is None:
            expected_run_configuration(config, sent, estimator)
        if style == "curated" and _is_curated(sent["environment"]) and not _is_curated(config["environment"]):
            found += [f"run configuration {index}: environment: {line}"
                      for line in _curated_differences(estimator, built["environment"], sent["environment"])]
            config["environment"] = sent["environment"]
    _expected_steps(expected, old, new)
    return found + _diff(expected, actual, "")


def expected_run_configuration(expected: dict[str, Any], sent: dict[str, Any], estimator: Any) -> None:
    """Turn the run configuration an estimator built into what the new API sends for the same setting.
    ``sent`` (the rewrite's) is read only where the SDK accepts two spellings, to pick one of them."""
    if estimator is None:
        return
    # SDK_FACTS.md section 6, "Comparing old and new distributed settings": the deprecated objects send
    # class-name communicators and lower-case frameworks where MpiConfiguration, PyTorchConfiguration and
    # TensorflowConfiguration send IntelMpi / gloo / nccl and Python / PyTorch / TensorFlow.
    expected["communicator"] = {"Mpi": "IntelMpi", "Gloo": "gloo", "Nccl": "nccl"}.get(
        expected["communicator"], expected["communicator"])
    expected["framework"] = {"python": "Python", "pytorch": "PyTorch", "tensorflow": "TensorFlow"}.get(
        expected["framework"], expected["framework"])
    # Section 6 table: Mpi() and distributed_backend='mpi' leave mpi.nodeCount at its default 1 where
    # MpiConfiguration(P, node_count=N) sends N; either is the estimator's setting.
    if expected["communicator"] == "IntelMpi" and expected["mpi"]["nodeCount"] == 1 \
            and sent["mpi"]["nodeCount"] != 1:
        expected["mpi"]["nodeCount"] = expected["nodeCount"]
    # Sections 6 and 12.1: Gloo()/Nccl() and distributed_backend='gloo'/'nccl' never fill the pytorch
    # section, left at its default; PyTorchConfiguration(backend, node_count=N) sends (backend, no process
    # count, N). The untouched default sent again is the estimator's own wire, so it stays acceptable.
    untouched = {"communicationBackend": "nccl", "processCount": None, "nodeCount": 1}
    if expected["communicator"] in ("gloo", "nccl") and expected["pytorch"] == untouched \
            and sent["pytorch"] != untouched:
        expected["pytorch"] = {"communicationBackend": expected["communicator"], "processCount": None,
                               "nodeCount": expected["nodeCount"]}
    # Section 2, row "(implicit)": the estimator always writes clusterMaxNodeCount, which only a run-based
    # 'amlcompute' target reads; a ScriptRunConfig leaves it unset.
    if expected["target"] != "amlcompute":
        expected["amlcompute"]["clusterMaxNodeCount"] = None
    # Section 2, row environment_variables: without them the estimator sends null, RunConfiguration {}.
    if expected["environmentVariables"] is None:
        expected["environmentVariables"] = {}
    # Section 4: the estimator's environment is RunConfiguration's placeholder "default-environment";
    # the rewrite names its Environment, and the name is a label.
    if expected["environment"]["name"] == "default-environment":
        expected["environment"]["name"] = sent["environment"]["name"]


def _registered_references(expected: dict[str, Any], references: dict[str, Any]) -> None:
    """SDK_FACTS.md sections 3 and 13 (AML301, AML302): a ScriptRunConfig neither converts a DataReference
    or Datastore object in its arguments nor registers a reference the arguments name, so the job mounts
    nothing. The fixed job passes ``str(reference)`` and registers it in data_references, as an
    estimator did: that is what the original meant. (An estimator's own job is its specification.)"""
    registered = expected["dataReferences"]
    for index, argument in enumerate(expected["arguments"]):
        if isinstance(argument, dict) and "<reference>" in argument:
            name = argument["<reference>"]
            expected["arguments"][index] = f"$AZUREML_DATAREFERENCE_{name}"
            registered.setdefault(name, argument["config"])
        elif isinstance(argument, str) and argument in references:
            registered.setdefault(argument.removeprefix("$AZUREML_DATAREFERENCE_"), references[argument])


def _expected_steps(expected: dict[str, Any], old: Job, new: Job) -> None:
    """SDK_FACTS.md section 10: an EstimatorStep clears its run configuration's target (and keeps the
    script there); the step sends both as its own parameters (compared with the step). The equivalent
    PythonScriptStep(runconfig=src.run_config) carries a ScriptRunConfig's run configuration: the
    target set, the script on the ScriptRunConfig (section 8)."""
    def steps(job: Job) -> list[Any]:
        return list(job.source.steps) if hasattr(job.source, "steps") else [job.source]

    described = expected.get("steps") or ([expected] if "step" in expected else [])
    for step, replacement, description in zip(steps(old), steps(new), described):
        fields = description["step"]
        replaced = type(step).__name__ == "EstimatorStep" != type(replacement).__name__
        if not replaced or fields["run_config"] is None:
            continue
        config = fields["run_config"]
        if config["script"] == fields["script_name"]:
            config["script"] = None
        if config["target"] is None:
            compute = fields["compute_target"]
            config["target"] = compute["<ComputeTarget>"] if isinstance(compute, dict) else compute


def _is_curated(environment: dict[str, Any]) -> bool:
    return str(environment["docker"]["baseImage"]).startswith(CURATED_IMAGE_PREFIX)


def _curated_differences(estimator: Any, built: dict[str, Any], sent: dict[str, Any]) -> list[str]:
    """The documented curated environment for the estimator's scenario plus exactly the packages the
    user added to the scenario's and the environment variables the estimator set; nothing else.
    ``built``: the estimator's full-build environment (SDK_FACTS.md section 5, path 3)."""
    scenario = _scenario(estimator)
    names = DOCUMENTED_CURATED.get(scenario, ()) if scenario else ()
    if not names:
        return [f"a curated environment where none is documented ({scenario or 'not a framework estimator'})"]
    used = str(sent["docker"]["baseImage"])[len(CURATED_IMAGE_PREFIX):].split(":")[0]
    environment = curated_environment(next((n for n in names if n.lower() == used), names[0]))
    _, framework = estimator._load_from_scenario_file()
    dependencies = built["python"]["condaDependencies"]["dependencies"]
    for package in _pip(dependencies):
        if package not in list(framework.pip_packages):
            environment.python.conda_dependencies.add_pip_package(package)
    for package in (d for d in dependencies if isinstance(d, str)):
        if package not in list(framework.conda_packages):
            environment.python.conda_dependencies.add_conda_package(package)
    # PyTorch's NCCL_TREE_THRESHOLD=0 (section 5) is on the environment; issue 11: reproduced, not declared.
    environment.environment_variables.update(built["environmentVariables"] or {})
    expected = json.loads(json.dumps(Environment._serialize_to_dict(environment)))
    _changed_afterwards(expected, estimator, built)
    expected["name"] = sent["name"]  # a label: Environment.get(...).clone(label) renames it
    return _diff(expected, sent, "")


def _changed_afterwards(expected: dict[str, Any], estimator: Any, built: dict[str, Any]) -> None:
    """What the program itself set on the estimator's environment once the estimator was built
    (``est._estimator_config.environment.python.interpreter_path = ...``) is set on the curated one too.
    Package lists are left to the package comparison above."""
    when_built = getattr(estimator, "_environment_when_built", None)
    if when_built is None:
        return
    when_built = json.loads(json.dumps(when_built))
    built = json.loads(json.dumps(Environment._serialize_to_dict(estimator._estimator_config.environment)))

    def walk(expected_part: dict[str, Any], before: dict[str, Any], after: dict[str, Any]) -> None:
        for key, value in after.items():
            if isinstance(value, dict) and isinstance(before.get(key), dict) and isinstance(expected_part.get(key), dict):
                walk(expected_part[key], before[key], value)
            elif not isinstance(value, (dict, list)) and before.get(key) != value:
                expected_part[key] = value

    walk(expected, when_built, built)


def _scenario(estimator: Any) -> tuple[str, str, str] | None:
    if estimator is None or not hasattr(estimator, "_framework_name"):
        return None
    return (estimator._framework_name.lower(), str(estimator._framework_version),
            estimator._framework_processor)


def _pip(dependencies: list[Any]) -> list[str]:
    return next((d["pip"] for d in dependencies if isinstance(d, dict) and "pip" in d), [])


_REFERENCE = re.compile(r"[0-9a-f]{32}")
_INPUT = re.compile(r"input__[0-9a-f]{8}")


def _canonical(sent: dict[str, Any]) -> dict[str, Any]:
    """SDK_FACTS.md intro and section 7: ``datastore.path()`` names its reference ``uuid4().hex`` and an
    unnamed dataset input is ``input__<8 hex>``. Both sides rename each after what it points at (datastore
    and path, or dataset; and its rank among those pointing at the same), wherever the name appears."""
    text = json.dumps(sent)
    renames: dict[str, str] = {}
    for name, what in _random_names(sent):
        rank = sum(1 for value in renames.values() if value.startswith(what))
        renames[name] = f"{what}#{rank + 1}>"
    for name, canonical in renames.items():
        text = re.sub(rf"(?<![0-9a-f]){name}(?![0-9a-f])", canonical, text)
    return json.loads(text)


def _random_names(sent: Any) -> list[tuple[str, str]]:
    found = []
    for config in filter(None, run_configurations(sent)):
        objects = [a for a in config.get("arguments") or [] if isinstance(a, dict) and "<reference>" in a]
        references = {a["<reference>"]: a["config"] for a in objects}
        references.update(config.get("dataReferences") or {})
        for name, reference in references.items():
            if _REFERENCE.fullmatch(name):
                where = f"{reference['dataStoreName']}:{reference['pathOnDataStore']}"
                found.append((name, f"<reference {where}"))
        for name, data in (config.get("data") or {}).items():
            if _INPUT.fullmatch(name):
                found.append((name, f"<input {data['dataLocation']['dataset']['id']}"))
    return list(dict.fromkeys(found))


def _diff(expected: Any, actual: Any, path: str) -> list[str]:
    if isinstance(expected, dict) and isinstance(actual, dict):
        found = []
        for key in [*expected, *(k for k in actual if k not in expected)]:
            if key not in actual or key not in expected:
                found.append(f"{path}.{key}: expected {expected.get(key, '<absent>')!r}, "
                             f"sent {actual.get(key, '<absent>')!r}")
            else:
                found += _diff(expected[key], actual[key], f"{path}.{key}")
        return found
    if isinstance(expected, list) and isinstance(actual, list) and len(expected) == len(actual):
        return [line for i, pair in enumerate(zip(expected, actual)) for line in _diff(*pair, f"{path}[{i}]")]
    if expected != actual or type(expected) is not type(actual):
        return [f"{path or '.'}: expected {expected!r}, sent {actual!r}"]
    return []
