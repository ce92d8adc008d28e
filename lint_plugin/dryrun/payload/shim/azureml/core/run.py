"""An offline `Run` for dry runs: what a training script logs is recorded as JSON lines in
outputs/dryrun_run_log.jsonl (one object per call, with the rank), and uploaded files are copied
into outputs/, so users can see their metrics without a workspace."""

import json
import os
import shutil
import time

LOG_NAME = "dryrun_run_log.jsonl"


def _outputs():
    return os.environ.get("AML_DRYRUN_OUTPUTS", "outputs")


def _rank():
    for name in ("RANK", "OMPI_COMM_WORLD_RANK"):
        if name in os.environ:
            return int(os.environ[name])
    return 0


def _jsonable(value):
    try:
        json.dumps(value)
        return value
    except (TypeError, ValueError):
        return repr(value)


class _Experiment(object):
    def __init__(self, name):
        self.name = name
        self.workspace = None


class Run(object):
    """Records what the script logs; there is no service behind it."""

    _context = None

    def __init__(self):
        self.id = os.environ.get("AZUREML_RUN_ID", "dry-run")
        self.experiment = _Experiment(os.environ.get("AZUREML_EXPERIMENT_NAME", "dry-run"))
        self.parent = None
        self.input_datasets = {}
        self._tags = {}
        self._metrics = {}
        for key, value in os.environ.items():
            if key.startswith("AZUREML_DATAREFERENCE_"):
                self.input_datasets[key.split("_", 2)[2]] = value

    @classmethod
    def get_context(cls, allow_offline=True, **kwargs):
        if cls._context is None:
            cls._context = cls()
        return cls._context

    def _record(self, kind, **fields):
        record = {"kind": kind, "rank": _rank(), "time": time.time()}
        record.update({key: _jsonable(value) for key, value in fields.items()})
        os.makedirs(_outputs(), exist_ok=True)
        # One short append per record: lines from concurrent ranks do not interleave.
        with open(os.path.join(_outputs(), LOG_NAME), "a") as handle:
            handle.write(json.dumps(record) + "\n")

    def log(self, name, value, description="", step=None):
        self._metrics.setdefault(name, []).append(value)
        self._record("log", name=name, value=value, step=step)

    def log_list(self, name, value, description=""):
        self._metrics.setdefault(name, []).extend(value)
        self._record("log_list", name=name, value=list(value))

    def log_row(self, name, description=None, **kwargs):
        self._record("log_row", name=name, value=kwargs)

    def log_table(self, name, value, description=""):
        self._record("log_table", name=name, value=value)

    def log_image(self, name, path=None, plot=None, description=""):
        self._record("log_image", name=name, value=path)

    def tag(self, key, value=None):
        self._tags[key] = value
        self._record("tag", name=key, value=value)

    def set_tags(self, tags):
        for key, value in tags.items():
            self.tag(key, value)

    def get_tags(self):
        return dict(self._tags)

    def get_metrics(self, name=None):
        return {name: self._metrics.get(name)} if name else dict(self._metrics)

    def upload_file(self, name, path_or_stream):
        target = os.path.join(_outputs(), "uploads", name)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        if hasattr(path_or_stream, "read"):
            with open(target, "wb") as handle:
                data = path_or_stream.read()
                handle.write(data.encode() if isinstance(data, str) else data)
        else:
            shutil.copyfile(path_or_stream, target)
        self._record("upload_file", name=name, value=os.path.relpath(target, _outputs()))

    def upload_folder(self, name, path):
        for root, _, files in os.walk(path):
            for filename in files:
                source = os.path.join(root, filename)
                self.upload_file(os.path.join(name, os.path.relpath(source, path)), source)

    def complete(self):
        self._record("status", value="Completed")

    def fail(self, error_details=None, **kwargs):
        self._record("status", value="Failed", error=error_details)

    def flush(self):
        pass
