"""Run a submit script in the dry-run capture sandbox: python bootstrap.py CONFIG.json

The Azure ML service is replaced by offline stand-ins and every submission is recorded as the SDK
serialises it (records/submission-N.json); records/result.json says how the script ended. Exit code:
the script's (0 when it ran to the end), 3 when an SDK it needs (azureml-core, azure-ai-ml) cannot be
imported."""

import importlib
import json
import linecache
import os
import runpy
import sys
import traceback

NO_SDK = 3


def _write(config, name, data):
    with open(os.path.join(config["records"], name), "w") as handle:
        json.dump(data, handle, indent=1)


def _failure_line(tb, filename):
    line = None
    for frame, number in traceback.walk_tb(tb):
        if os.path.abspath(frame.f_code.co_filename) == filename:
            line = number
    return line


def _run(config):
    sys.argv = [config["argv0"]] + list(config["argv"])
    os.chdir(config["cwd"])
    filename = os.path.abspath(config["filename"])
    if config.get("module_text") is None:
        sys.path.insert(0, os.path.dirname(filename))
        runpy.run_path(filename, run_name="__main__")
        return
    # A notebook: its code cells as one module, with __file__ unset as in Jupyter; the text is put in
    # linecache so tracebacks show the notebook's lines, not the .ipynb's JSON.
    from _aml_dryrun_capture.notebook import writefile

    text = config["module_text"]
    linecache.cache[filename] = (len(text), None, text.splitlines(True), filename)
    namespace = {"__name__": "__main__", "__builtins__": __builtins__, "display": print}
    namespace["__aml_dryrun_writefile__"] = writefile(namespace)
    sys.path.insert(0, config["cwd"])
    exec(compile(text, filename, "exec"), namespace)


def main(config_path):
    with open(config_path) as handle:
        config = json.load(handle)
    # Our helpers stay importable, behind everything the submit script may import.
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path[:] = [entry for entry in sys.path if os.path.abspath(entry or ".") != here] + [here]
    from _aml_dryrun_capture import network

    network.block()
    versions = {}
    needs = config.get("needs", [["azureml.core", "azureml-core"]])
    for module, package in needs:
        try:
            imported = importlib.import_module(module)
            versions[package] = getattr(imported, "__version__", None) or getattr(imported, "VERSION", None)
        except ImportError as exc:
            _write(config, "result.json", {"status": "no-sdk", "error": str(exc), "package": package,
                                           "python": sys.executable})
            return NO_SDK
    from _aml_dryrun_capture.recorder import Recorder

    recorder = Recorder(config)
    needed = [module for module, _ in needs]
    if "azureml.core" in needed:
        from _aml_dryrun_capture.standins import StandIns

        StandIns(config, recorder).install()
    if "azure.ai.ml" in needed:
        from _aml_dryrun_capture.v2standins import V2StandIns

        V2StandIns(config, recorder.v2).install()
    result = {"status": "ok", "exit_code": 0, "sdk_versions": versions}
    try:
        _run(config)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        if code:
            result.update(status="failed", exit_code=code, error="SystemExit: %s" % exc.code)
    except BaseException as exc:  # the submit script's own failure, reported with its traceback
        traceback.print_exc()
        result.update(status="failed", exit_code=1, error="%s: %s" % (type(exc).__name__, exc),
                      line=_failure_line(exc.__traceback__, os.path.abspath(config["filename"])))
    result["submissions"] = recorder.count
    sys.stdout.flush()
    _write(config, "result.json", result)
    return result["exit_code"]


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
