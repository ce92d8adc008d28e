"""Each submission as the SDK itself serialises it for the service.

A ScriptRunConfig goes through `get_run_config_from_script_run`, then `_update_args_and_io` (datasets
in the arguments become `DatasetConsumption:NAME` and entries of `data`), then `_serialize_to_dict`: what
`azureml.core.script_run_config.submit` sends. A HyperDriveConfig's trial configuration is its own
platform config (`_get_platform_config_data_from_run_config`), with the search space beside it. An
estimator still in the script is converted the way the SDK converts it (`_get_script_run_config`). An
azure-ai-ml job is described from its own attributes (`v2recorder.py`)."""

import json
import os
import sys


def _line_in(filename):
    """The line of the submit script that made the current call (innermost frame of that file)."""
    frame = sys._getframe(1)
    while frame is not None:
        if os.path.abspath(frame.f_code.co_filename) == filename:
            return frame.f_lineno
        frame = frame.f_back
    return None


class Recorder(object):
    def __init__(self, config):
        self.folder = config["records"]
        self.filename = os.path.abspath(config["filename"])
        self.count = 0

    def __call__(self, experiment, config):
        return self._record(experiment.name, config, lambda: self._describe(experiment, config))

    def v2(self, job, settings, environments):
        """An azure-ai-ml job given to `jobs.create_or_update(job, experiment_name=..., ...)`."""
        from _aml_dryrun_capture import v2recorder

        def describe():
            described = v2recorder.describe(job)
            for name in ("experiment_name", "compute"):
                if settings.get(name) is not None:
                    described[name] = settings[name]
            return {"kind": "v2", "job": described, "environments": v2recorder.registered(environments)}

        return self._record(settings.get("experiment_name") or getattr(job, "experiment_name", None), job,
                            describe)

    def _record(self, experiment, config, describe):
        self.count += 1
        record = {"index": self.count, "line": _line_in(self.filename), "experiment": experiment,
                  "type": type(config).__name__, "problems": []}
        try:
            record.update(describe())
        except Exception as exc:  # recorded, not raised: the script goes on as after a real submit
            record.update({"kind": "failed", "error": "%s: %s" % (type(exc).__name__, exc)})
        path = os.path.join(self.folder, "submission-%d.json" % self.count)
        with open(path, "w") as handle:
            json.dump(record, handle, indent=1, default=lambda value: _unserialisable(record, value))
        return self.count

    def _describe(self, experiment, config):
        from azureml.core import ScriptRunConfig

        workspace = experiment.workspace
        if isinstance(config, ScriptRunConfig):
            return self._script_run("script_run", workspace, config)
        if type(config).__name__ == "HyperDriveConfig":
            return self._hyperdrive(workspace, config)
        if hasattr(config, "_get_script_run_config"):  # an estimator the fixer left as it was
            return self._script_run("estimator", workspace, config._get_script_run_config())
        return {"kind": "unsupported"}

    def _script_run(self, kind, workspace, src):
        from azureml.core._serialization_utils import _serialize_to_dict
        from azureml.core.script_run_config import _update_args_and_io, get_run_config_from_script_run

        run_config = get_run_config_from_script_run(src)
        datasets = _datasets(run_config)  # before the SDK turns them into names and ids
        _update_args_and_io(workspace, run_config)
        return dict(self._common(src), kind=kind, run_config=_serialize_to_dict(run_config),
                    datasets=datasets)

    def _hyperdrive(self, workspace, hyperdrive):
        from azureml.core.script_run_config import get_run_config_from_script_run

        src = hyperdrive.run_config or hyperdrive.estimator._get_script_run_config()
        datasets = _datasets(get_run_config_from_script_run(src))
        platform = hyperdrive._get_platform_config_data_from_run_config(workspace)
        generator = hyperdrive._generator_config
        return dict(self._common(src), kind="hyperdrive", run_config=platform["Definition"]["Overrides"],
                    datasets=datasets,
                    hyperdrive={"sampling": generator.get("name"), "space": generator.get("parameter_space"),
                                "primary_metric": hyperdrive._primary_metric_config.get("name"),
                                "max_total_runs": hyperdrive._max_total_runs})

    @staticmethod
    def _common(src):
        env = src.run_config.environment
        return {"source_directory": os.path.abspath(src.source_directory or "."),
                "curated": getattr(env, "_aml_dryrun_curated", None)}


def _datasets(run_config):
    """Where each dataset input came from (a registered name, or the datastore paths it was made of)."""
    from azureml.data.dataset_consumption_config import DatasetConsumptionConfig

    found = {}
    arguments = run_config.arguments if isinstance(run_config.arguments, list) else []
    for item in list(arguments) + list((run_config.data or {}).values()):
        if isinstance(item, DatasetConsumptionConfig):
            found[item.name] = {"registered_name": item.dataset.name,
                                "origin": getattr(item.dataset, "_aml_dryrun_origin", None)}
    return found


def _unserialisable(record, value):
    text = str(value)
    record["problems"].append("%s in the run configuration is not serialisable: recorded as %r"
                              % (type(value).__name__, text))
    return text
