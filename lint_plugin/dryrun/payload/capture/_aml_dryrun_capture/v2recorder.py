"""An azure-ai-ml job as the dry run's description of a v2 command job (read by the host's v2_job.py):
what the objects the script built hold, read from their own attributes. The code folder becomes
absolute, as the SDK resolves it against the job's base path; a local input keeps its path as written,
with the base path beside it (`base_path`)."""

import os

_ANONYMOUS = "CliV2AnonymousEnvironment"  # what the SDK names an inline environment: no name of the user's

_REMOTE = ("azureml:", "http://", "https://", "wasbs://", "wasb://", "abfss://", "abfs://", "adl://", "s3://",
           "gs://", "/subscriptions/")


def describe(job):
    if type(job).__name__ in ("Sweep", "SweepJob"):
        return _sweep(job)
    base = getattr(job, "base_path", None) or os.getcwd()
    definitions = dict(_get(_get(job, "component"), "inputs") or {})
    inputs = {}
    for name, value in (job.inputs or {}).items():
        inputs[name] = _input(_data(value), definitions.get(name))
    return _command(job, job, inputs, base)


def _command(job, source, inputs, base):
    resources = _get(source, "resources")
    limits = _get(job, "limits")
    return {
        "name": _get(job, "name"),
        "base_path": os.path.abspath(str(base)),
        "code": _local(_get(source, "code"), base),
        "command": _get(source, "command"),
        "inputs": inputs,
        "outputs": dict((name, _output(_data(value)))
                        for name, value in (_get(job, "outputs") or {}).items()),
        "environment": _environment(_get(source, "environment")),
        "environment_variables": dict(_get(source, "environment_variables") or {}),
        "instance_count": _get(resources, "instance_count"),
        "shm_size": _get(resources, "shm_size"),
        "distribution": _plain(_get(source, "distribution")),
        "timeout": _get(limits, "timeout"),
        "experiment_name": _get(job, "experiment_name"),
        "compute": _get(job, "compute"),
        "display_name": _get(job, "display_name"),
    }


def _sweep(job):
    base = getattr(job, "base_path", None) or os.getcwd()
    trial = job.trial
    definitions = dict(_get(trial, "inputs") or {})
    inputs = {}
    for name, value in (job.inputs or {}).items():
        inputs[name] = _input(_data(value), definitions.get(name))
    described = _command(job, trial, inputs, base)
    described["timeout"] = None  # a trial has the sweep's limits, not the command's
    limits = _get(job, "limits")
    objective = _get(job, "objective")
    described["sweep"] = {
        "search_space": dict((name, _plain(value)) for name, value in (job.search_space or {}).items()),
        "limits": dict((key, _get(limits, key)) for key in ("max_total_trials", "max_concurrent_trials",
                                                            "timeout", "trial_timeout")
                       if _get(limits, key) is not None),
        "sampling_algorithm": _plain(_get(job, "sampling_algorithm")),
        "primary_metric": _get(objective, "primary_metric"),
        "goal": _get(objective, "goal"),
    }
    return described


def _get(owner, name):
    if owner is None:
        return None
    if type(owner) is dict:  # the SDK's job nodes are dicts too: only a plain dict is read by key
        return owner.get(name)
    return getattr(owner, name, None)


def _data(value):
    """A job's input or output: what the script gave (a NodeInput wraps it in `_data`)."""
    return getattr(value, "_data", value)


def _input(value, definition):
    if value is None:  # no value: the component's default, if it has one
        default = _get(definition, "default")
        return None if default is None else {"type": _get(definition, "type"), "default": default}
    if isinstance(value, (str, int, float, bool)):
        return value
    described = {"type": _get(value, "type") or "uri_folder"}
    for key in ("path", "mode", "default"):
        if _get(value, key) is not None:
            described[key] = _get(value, key)
    return described


def _output(value):
    if value is None or isinstance(value, (str, int, float, bool)):
        return {"type": "uri_folder"}
    return dict((key, _get(value, key)) for key in ("type", "path", "mode") if _get(value, key) is not None)


def _local(path, base):
    if path is None:
        return None
    path = str(path)
    if path.startswith(_REMOTE) or os.path.isabs(path):
        return path
    return os.path.abspath(os.path.join(str(base), path))  # the base path may be relative (".")


def _environment(environment):
    if environment is None or isinstance(environment, str):
        return environment
    reference = getattr(environment, "_aml_dryrun_reference", None)
    if reference:
        return reference
    build = _get(environment, "build")
    name = _get(environment, "name")
    return {"name": None if name == _ANONYMOUS else name, "version": _get(environment, "version"),
            "image": _get(environment, "image"), "conda_file": _get(environment, "conda_file"),
            "build": None if build is None else {"path": str(_get(build, "path"))}}


def registered(environments):
    return dict((name, _environment(environment)) for name, environment in environments.items())


def _plain(value):
    """A distribution or a search space as the dict `_to_dict()` shows (its public attributes)."""
    if value is None or isinstance(value, (str, int, float, bool, list, dict)):
        return value
    return dict((key, item) for key, item in vars(value).items() if not key.startswith("_"))
