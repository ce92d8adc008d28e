"""Start the job's processes on one node, the way the service's launcher does.

Usage: python launch.py NODE_SPEC.json

The spec names the script and its arguments, or (an SDK v2 command that is not `python SCRIPT ...`)
a command for the shell, and one environment per process (rank variables).
Each process's output is streamed live (prefixed with its rank when there are several) and saved
to logs/std_log_process_<rank>.txt. The exit code is the first non-zero one in rank order.
"""

import importlib.util
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading


def _stream(process, rank, prefix, log_path, lock):
    label = ("[rank %s] " % rank).encode() if prefix else b""
    with open(log_path, "ab") as log:
        for line in iter(process.stdout.readline, b""):
            log.write(line)
            log.flush()
            with lock:
                sys.stdout.buffer.write(label + line)
                sys.stdout.buffer.flush()


def _installed(module):
    try:
        return importlib.util.find_spec(module) is not None
    except ImportError:  # the parent package (azureml) is missing
        return False


def _python_path(spec):
    """PYTHONPATH for the job: the run shim first when azureml-core is not installed."""
    current = os.environ.get("PYTHONPATH", "")
    shim = spec.get("shim_dir")
    if not shim or _installed("azureml.core"):
        return current
    return shim + (os.pathsep + current if current else "")


def _python_on_path():
    """PATH for a shell command: `python` is there on the service's images; where an image has only
    `python3`, a `python` that is this interpreter comes first."""
    path = os.environ.get("PATH", os.defpath)
    if shutil.which("python"):
        return path
    folder = tempfile.mkdtemp(prefix="aml-dry-run-bin-")
    os.symlink(sys.executable, os.path.join(folder, "python"))
    return folder + os.pathsep + path


def main(path):
    with open(path) as handle:
        spec = json.load(handle)
    os.chdir(spec["workdir"])
    python_path = _python_path(spec)
    shell = spec.get("command")
    if shell is not None:
        command = ["/bin/sh", "-c", shell]
        search_path = _python_on_path()
    else:
        command = [sys.executable, "-u", spec["script"]] + spec["arguments"]
        search_path = os.environ.get("PATH", os.defpath)
    prefix = len(spec["processes"]) > 1 or spec.get("distributed", False)
    lock = threading.Lock()
    children, threads = [], []
    for process_env in spec["processes"]:
        env = dict(os.environ, **process_env)
        env["PYTHONPATH"] = python_path
        env["PATH"] = search_path
        rank = process_env.get("RANK") or process_env.get("OMPI_COMM_WORLD_RANK") or str(spec["node_index"])
        child = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        log_path = os.path.join(spec["logs_dir"], "std_log_process_%s.txt" % rank)
        thread = threading.Thread(target=_stream, args=(child, rank, prefix, log_path, lock))
        thread.start()
        children.append(child)
        threads.append(thread)

    def forward(signum, frame):
        for child in children:
            if child.poll() is None:
                child.send_signal(signum)

    signal.signal(signal.SIGTERM, forward)
    signal.signal(signal.SIGINT, forward)
    codes = [child.wait() for child in children]
    for thread in threads:
        thread.join()
    for code in codes:
        if code != 0:
            return code if code > 0 else 128 - code
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
