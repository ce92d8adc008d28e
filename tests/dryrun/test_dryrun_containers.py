"""Real containers through podman's Docker API (see conftest.py for how the engine is found)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
import zipfile
from pathlib import Path

import pytest

from dryrun_helpers import DRY_RUN, EXCHANGE, ROOT, Engine, write_project

pytestmark = pytest.mark.container

TRAIN = """
    import json, os, sys
    from azureml.core import Run

    run = Run.get_context()
    for step, loss in enumerate([0.9, 0.5, 0.25]):
        run.log("loss", loss)
        print("step", step, "loss", loss)
    run.tag("phase", "dry")
    with open("/tmp/report.txt", "w") as handle:
        handle.write("report")
    run.upload_file("notes/report.txt", "/tmp/report.txt")
    try:
        open("written-into-snapshot.txt", "w")
        snapshot_writable = True
    except OSError:
        snapshot_writable = False
    interfaces = [line.split(":")[0].strip() for line in open("/proc/net/dev").readlines()[2:]]
    pid1 = open("/proc/1/cmdline").read().split(chr(0))[0]
    with open("outputs/model.json", "w") as handle:
        json.dump({"argv": sys.argv[1:], "seed": os.environ.get("SEED"), "uid": os.getuid(),
                   "run_id": os.environ["AZUREML_RUN_ID"], "pid1": pid1,
                   "interfaces": interfaces, "snapshot_writable": snapshot_writable}, handle)
"""


def _metrics(run_dir: Path) -> list[dict]:
    return [
        json.loads(line) for line in (run_dir / "outputs" / "dryrun_run_log.jsonl").read_text().splitlines()
    ]


def test_job_writes_outputs_and_metrics(tmp_path: Path, engine: Engine, container_run) -> None:
    submit = write_project(
        tmp_path,
        """
        from azureml.core import Environment, ScriptRunConfig
        env = Environment("train-env")
        src = ScriptRunConfig(source_directory="src", script="train.py", arguments=["--epochs", 3],
                              environment=env)
        src.run_config.environment_variables = {"SEED": "11"}
    """,
        {"train.py": TRAIN},
    )
    result = container_run(
        [str(submit), "--image", engine.image, "--output", str(tmp_path / "run")], tmp_path
    )
    assert result.code == 0, result.stderr
    assert "step 2 loss 0.25" in result.stdout  # streamed live
    model = json.loads((tmp_path / "run" / "outputs" / "model.json").read_text())
    assert model["argv"] == ["--epochs", "3"] and model["seed"] == "11"
    assert model["run_id"].startswith("dryrun_")
    assert "python" not in model["pid1"] and "init" in model["pid1"]      # an init process reaps and signals
    assert model["interfaces"] == ["lo"]                                  # --network=none by default
    assert model["snapshot_writable"] is False and model["uid"] == os.getuid()
    metrics = _metrics(tmp_path / "run")
    assert [m["value"] for m in metrics if m["kind"] == "log"] == [0.9, 0.5, 0.25]
    assert {"kind": "tag", "name": "phase", "value": "dry"}.items() <= next(
        m for m in metrics if m["kind"] == "tag"
    ).items()
    assert "step 2 loss 0.25" in (tmp_path / "run" / "logs" / "std_log_process_0.txt").read_text()
    assert (tmp_path / "run" / "outputs" / "uploads" / "notes" / "report.txt").read_text() == "report"
    assert any(m["kind"] == "upload_file" and m["name"] == "notes/report.txt" for m in metrics)


def test_arguments_and_data_placeholders_with_mounted_folder(
    tmp_path: Path, engine: Engine, container_run
) -> None:
    submit = write_project(
        tmp_path,
        """
        from azureml.core import Dataset, Environment, ScriptRunConfig, Workspace
        from azureml.data.data_reference import DataReference

        ws = Workspace.from_config()
        store = ws.get_default_datastore()
        images = store.path("raw/images").as_mount()
        labels = DataReference(datastore=store, data_reference_name="labels", path_on_datastore="raw/labels")
        table = Dataset.get_by_name(ws, name="fruit").as_named_input("fruit").as_mount()
        LR = 0.1
        src = ScriptRunConfig(
            source_directory="src", script="probe.py",
            arguments=["--images", str(images), "--labels=$AZUREML_DATAREFERENCE_labels", "--table", table,
                       "--lr", LR * 2],
            environment=Environment("probe-env"))
        src.run_config.data_references = {labels.data_reference_name: labels.to_config(),
                                          images.data_reference_name: images.to_config()}
    """,
        {
            "probe.py": """
        import json, os, sys
        args = sys.argv[1:]
        found = {"images": sorted(os.listdir(args[1])), "table": sorted(os.listdir(args[4])),
                 "labels": sorted(os.listdir(args[2].split("=", 1)[1]))}
        try:
            open(os.path.join(args[1], "new.txt"), "w")
            found["readonly"] = False
        except OSError:
            found["readonly"] = True
        found["argv"] = args
        found["env_labels"] = os.environ.get("AZUREML_DATAREFERENCE_labels")
        json.dump(found, open("outputs/probe.json", "w"))
    """
        },
    )
    images, labels = tmp_path / "images", tmp_path / "labels"
    images.mkdir()
    labels.mkdir()
    (images / "a.png").write_text("x")
    (labels / "a.txt").write_text("cat")
    result = container_run(
        [
            str(submit),
            "--image",
            engine.image,
            "--output",
            str(tmp_path / "run"),
            "--data",
            f"images={images}",
            "--data",
            f"labels={labels}",
        ],
        tmp_path,
    )
    assert result.code == 0, result.stderr
    # The dataset had no --data: it is mounted empty, and the warning names it.
    assert "input_3/fruit/table" in result.stderr and "EMPTY" in result.stderr
    probe = json.loads((tmp_path / "run" / "outputs" / "probe.json").read_text())
    assert probe["images"] == ["a.png"]
    assert probe["labels"] == ["a.txt"]
    assert probe["table"] == []
    assert probe["readonly"] is True
    assert probe["argv"][2] == "--labels=" + probe["env_labels"]
    assert probe["argv"][-2:] == ["--lr", "0.2"]


def test_failing_job_keeps_outputs_and_propagates_exit_code(
    tmp_path: Path, engine: Engine, container_run
) -> None:
    submit = write_project(
        tmp_path,
        """
        from azureml.core import Environment, ScriptRunConfig
        src = ScriptRunConfig(source_directory="src", script="fail.py", environment=Environment("e"))
    """,
        {
            "fail.py": """
        import sys
        open("outputs/partial.txt", "w").write("half done")
        print("about to fail", flush=True)
        sys.exit(3)
    """
        },
    )
    result = container_run(
        [str(submit), "--image", engine.image, "--output", str(tmp_path / "run")], tmp_path
    )
    assert result.code == 3
    assert (tmp_path / "run" / "outputs" / "partial.txt").read_text() == "half done"
    assert "about to fail" in (tmp_path / "run" / "logs" / "std_log_process_0.txt").read_text()
    assert "job exited with 3" in result.stderr


def test_timeout_kills_job_and_removes_container(tmp_path: Path, engine: Engine, container_run) -> None:
    # The job ignores SIGTERM, as a Python PID 1 would: only our kill and the init process stop it.
    submit = write_project(
        tmp_path,
        """
        from azureml.core import Environment, ScriptRunConfig
        src = ScriptRunConfig(source_directory="src", script="hang.py", environment=Environment("e"),
                              max_run_duration_seconds=3)
    """,
        {
            "hang.py": """
        import signal, time
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        print("started", flush=True)
        time.sleep(120)
    """
        },
    )
    started = time.monotonic()
    result = container_run(
        [str(submit), "--image", engine.image, "--output", str(tmp_path / "run"), "--timeout", "30"], tmp_path
    )
    assert result.code == 124
    assert time.monotonic() - started < 25
    assert (
        "time limit of 3s reached (max_run_duration_seconds): job killed, containers removed" in result.stderr
    )
    assert "started" in result.stdout


def _wheel(folder: Path, version: str) -> Path:
    """A minimal pure-Python wheel, so the build needs no package index."""
    name = f"dryrun_probe-{version}"
    path = folder / f"{name}-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as wheel:
        wheel.writestr("dryrun_probe.py", f"VERSION = {version!r}\n")
        wheel.writestr(
            f"{name}.dist-info/METADATA", f"Metadata-Version: 2.1\nName: dryrun-probe\nVersion: {version}\n"
        )
        wheel.writestr(
            f"{name}.dist-info/WHEEL",
            "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
        )
        wheel.writestr(f"{name}.dist-info/RECORD", "")
    return path


def test_derived_image_from_wheelhouse_is_built_once(tmp_path: Path, engine: Engine, container_run) -> None:
    version = f"1.0.{time.time_ns()}"  # a fresh environment hash: the first run must build
    wheelhouse = tmp_path / "wheels"
    wheelhouse.mkdir()
    _wheel(wheelhouse, version)
    submit = write_project(
        tmp_path,
        f"""
        from azureml.core import Environment, ScriptRunConfig
        from azureml.core.conda_dependencies import CondaDependencies
        env = Environment("probe-env")
        env.python.conda_dependencies = CondaDependencies.create(pip_packages=["dryrun-probe=={version}"])
        src = ScriptRunConfig(source_directory="src", script="use.py", environment=env)
    """,
        {"use.py": "import dryrun_probe\nprint('probe version', dryrun_probe.VERSION)\n"},
        pyproject=f"""
        [tool.aml-migrate.dry-run]
        images = {{ "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:20251130.v1" = "{engine.image}" }}
    """,
    )
    args = [str(submit), "--wheelhouse", str(wheelhouse)]
    first = container_run(args + ["--output", str(tmp_path / "run1")], tmp_path)
    tag = json.loads((tmp_path / "run1" / "plan.json").read_text())["image"]["build"]["tag"]
    try:
        assert first.code == 0, first.stderr
        assert f"probe version {version}" in first.stdout
        assert f"building {tag}" in first.stderr
        assert "pip install" in (tmp_path / "run1" / "Dockerfile").read_text()
        second = container_run(args + ["--output", str(tmp_path / "run2")], tmp_path)
        assert second.code == 0, second.stderr
        assert f"reusing image {tag}" in second.stderr and "building" not in second.stderr
        assert f"probe version {version}" in second.stdout
    finally:
        engine.client.images.remove(tag, force=True)


def _exchange(tmp_path: Path, engine: Engine, container_run, config: str) -> tuple[dict, str]:
    submit = write_project(
        tmp_path,
        f"""
        from azureml.core import Environment, ScriptRunConfig
        from azureml.core.runconfig import MpiConfiguration, PyTorchConfiguration
        src = ScriptRunConfig(source_directory="src", script="exchange.py", environment=Environment("e"),
                              distributed_job_config={config})
    """,
        {"exchange.py": EXCHANGE},
    )
    result = container_run(
        [str(submit), "--image", engine.image, "--output", str(tmp_path / "run"), "--timeout", "120"],
        tmp_path,
    )
    assert result.code == 0, result.stdout + result.stderr
    return json.loads((tmp_path / "run" / "outputs" / "rank0.json").read_text()), result.stdout


def test_mpi_two_nodes_two_processes_exchange_messages(tmp_path: Path, engine: Engine, container_run) -> None:
    rank0, stdout = _exchange(
        tmp_path, engine, container_run, "MpiConfiguration(process_count_per_node=2, node_count=2)"
    )
    senders = [message.split() for message in rank0["messages"]]
    assert [(rank, local) for rank, local, _ in senders] == [("1", "1"), ("2", "0"), ("3", "1")]
    hosts = {rank: host for rank, _, host in senders}
    assert hosts["1"] == rank0["host"]  # same node as rank 0
    assert hosts["2"] == hosts["3"] != rank0["host"]  # the second container
    assert all(f"[rank {rank}] rank {rank} done" in stdout for rank in range(4))  # prefixed live logs


def test_pytorch_two_nodes_exchange_messages(tmp_path: Path, engine: Engine, container_run) -> None:
    rank0, _ = _exchange(
        tmp_path, engine, container_run, "PyTorchConfiguration(communication_backend='Gloo', node_count=2)"
    )
    [message] = rank0["messages"]
    rank, local, host = message.split()
    assert (rank, local) == ("1", "0") and host != rank0["host"]


def test_example_job_runs_end_to_end(tmp_path: Path, engine: Engine, container_run) -> None:
    example = ROOT / "examples" / "dry_run"
    result = container_run([str(example / "submit.py"), "--image", engine.image, "--data",
                            f"data-dir={example / 'data'}", "--output", str(tmp_path / "run")], tmp_path)
    assert result.code == 0, result.stderr
    model = json.loads((tmp_path / "run" / "outputs" / "model.json").read_text())
    assert model["rows"] == 5 and 1.5 < model["a"] < 2.5          # weight ~ 2 x diameter
    losses = [m["value"] for m in _metrics(tmp_path / "run") if m["name"] == "loss"]
    assert len(losses) == 20 and losses[-1] < losses[0]


def test_ctrl_c_kills_the_job_and_removes_containers(tmp_path: Path, engine: Engine, container_run) -> None:
    submit = write_project(tmp_path, """
        from azureml.core import Environment, ScriptRunConfig
        src = ScriptRunConfig(source_directory="src", script="hang.py", environment=Environment("e"))
    """, {"hang.py": "import time\nprint('started', flush=True)\ntime.sleep(120)\n"})
    process = subprocess.Popen([*DRY_RUN, str(submit), "--image", engine.image,
                                "--output", str(tmp_path / "run")], cwd=tmp_path, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "PYTHONPATH": str(ROOT), "DOCKER_HOST": engine.docker_host})
    assert process.stdout is not None and process.stdout.readline().strip() == "started"
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 130
    assert "interrupted: job killed, containers removed" in stderr


def test_failed_build_is_one_clear_line_with_log_kept(tmp_path: Path, engine: Engine, container_run) -> None:
    (tmp_path / "wheels").mkdir()
    submit = write_project(tmp_path, f"""
        from azureml.core import Environment, ScriptRunConfig
        env = Environment("broken")
        env.docker.base_image = "{engine.image}"
        env.python.conda_dependencies.set_pip_requirements(["not-in-the-wheelhouse==9"])
        src = ScriptRunConfig(source_directory="src", script="t.py", environment=env)
    """, {"t.py": "print('never runs')\n"})
    result = container_run([str(submit), "--wheelhouse", str(tmp_path / "wheels"), "--output",
                            str(tmp_path / "run")], tmp_path)
    assert result.code == 2 and "never runs" not in result.stdout
    [error] = [line for line in result.stderr.splitlines() if "error" in line]
    assert error.startswith("aml-migrate dry-run: error: image build failed")
    assert "No matching distribution found for not-in-the-wheelhouse==9" in error
    assert "not-in-the-wheelhouse" in (tmp_path / "run" / "build.log").read_text()
    dangling = {"dangling": True, "label": "ai.aml-migrate.dry-run.image"}
    assert engine.client.images.list(filters=dangling) == []          # failed layers pruned


def test_tensorflow_workers_reach_the_parameter_server(tmp_path: Path, engine: Engine, container_run) -> None:
    submit = write_project(tmp_path, """
        from azureml.core import Environment, ScriptRunConfig
        from azureml.core.runconfig import TensorflowConfiguration
        src = ScriptRunConfig(source_directory="src", script="tf.py", environment=Environment("e"),
                              distributed_job_config=TensorflowConfiguration(worker_count=2,
                                                                             parameter_server_count=1))
    """, {"tf.py": """
        import json, os, socket, time
        config = json.loads(os.environ["TF_CONFIG"])
        task = config["task"]
        if task["type"] == "ps":                       # the parameter server collects a hello per worker
            host, port = config["cluster"]["ps"][0].split(":")
            server = socket.create_server(("0.0.0.0", int(port)))
            hellos = []
            while len(hellos) < len(config["cluster"]["worker"]):
                conn, _ = server.accept()
                with conn:
                    hellos.append(conn.recv(100).decode())
            json.dump(sorted(hellos), open("outputs/ps.json", "w"))
        else:
            host, port = config["cluster"]["ps"][0].split(":")
            for _ in range(200):
                try:
                    with socket.create_connection((host, int(port)), timeout=5) as conn:
                        conn.sendall(("worker %d" % task["index"]).encode())
                    break
                except OSError:
                    time.sleep(0.1)
    """})
    result = container_run([str(submit), "--image", engine.image, "--output", str(tmp_path / "run"),
                            "--timeout", "120"], tmp_path)
    assert result.code == 0, result.stdout + result.stderr
    assert json.loads((tmp_path / "run" / "outputs" / "ps.json").read_text()) == ["worker 0", "worker 1"]


def test_passed_variable_and_memory_and_cpu_limits_reach_the_container(
    tmp_path: Path, engine: Engine, container_run
) -> None:
    # The job reports what it sees, then waits for the test to inspect its container while it runs.
    submit = write_project(tmp_path, """
        from azureml.core import Environment, ScriptRunConfig
        src = ScriptRunConfig(source_directory="src", script="probe.py", environment=Environment("e"))
    """, {"probe.py": """
        import json, os, time
        try:
            memory = open("/sys/fs/cgroup/memory.max").read().strip()
        except OSError:
            memory = None
        seen = {"passed": os.environ.get("DRYRUN_PASSED"), "other": os.environ.get("DRYRUN_OTHER"),
                "memory_max": memory}
        json.dump(seen, open("outputs/seen.json.tmp", "w"))
        os.rename("outputs/seen.json.tmp", "outputs/seen.json")
        for _ in range(300):
            if os.path.exists("outputs/go"):
                break
            time.sleep(0.05)
    """})
    run = tmp_path / "run"
    process = subprocess.Popen(
        [*DRY_RUN, str(submit), "--image", engine.image, "--output", str(run), "--timeout", "30",
         "--memory", "96m", "--cpus", "0.5", "--pass-env", "DRYRUN_PASSED"],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT), "DOCKER_HOST": engine.docker_host,
             "DRYRUN_PASSED": "passed-value", "DRYRUN_OTHER": "not-passed"})
    try:
        deadline = time.monotonic() + 20
        while not (run / "outputs" / "seen.json").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        run_id = json.loads((run / "plan.json").read_text())["run_id"]
        [container] = engine.client.containers.list(filters={"label": f"ai.aml-migrate.dry-run={run_id}"})
        host_config = container.attrs["HostConfig"]
        (run / "outputs" / "go").write_text("")
        _, stderr = process.communicate(timeout=30)
    finally:
        process.kill()
    assert process.returncode == 0, stderr
    seen = json.loads((run / "outputs" / "seen.json").read_text())
    assert seen["passed"] == "passed-value" and seen["other"] is None
    if seen["memory_max"] is not None:        # cgroup v2 visible inside the container
        assert seen["memory_max"] == str(96 * 1024**2)
    assert host_config["Memory"] == 96 * 1024**2     # what the engine enforces, whatever the job sees
    assert host_config["NanoCpus"] == 500_000_000 or host_config["CpuQuota"] == 50_000
    assert "passed-value" not in (run / "plan.json").read_text()


def test_symlinks_leaving_the_source_folder_are_left_out_of_the_snapshot(
    tmp_path: Path, engine: Engine, container_run
) -> None:
    submit = write_project(tmp_path, """
        from azureml.core import Environment, ScriptRunConfig
        src = ScriptRunConfig(source_directory="src", script="probe.py", environment=Environment("e"))
    """, {"probe.py": """
        import json, os
        seen = {name: os.path.lexists(name) for name in ("secret-link", "etc-link", "config-link")}
        seen["config"] = open("config-link").read()
        json.dump(seen, open("outputs/seen.json", "w"))
    """, "config.txt": "inside"})
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "secret.txt").write_text("host secret")
    (tmp_path / "src" / "secret-link").symlink_to(tmp_path / "outside" / "secret.txt")
    (tmp_path / "src" / "etc-link").symlink_to("../" * 12 + "etc/passwd")
    (tmp_path / "src" / "config-link").symlink_to("config.txt")
    result = container_run([str(submit), "--image", engine.image, "--output", str(tmp_path / "run")],
                           tmp_path)
    assert result.code == 0, result.stderr
    seen = json.loads((tmp_path / "run" / "outputs" / "seen.json").read_text())
    assert seen == {"secret-link": False, "etc-link": False, "config-link": True, "config": "inside"}
    warnings = [line for line in result.stderr.splitlines() if "symlink points outside" in line]
    assert [line.split(" -> ")[0] for line in warnings] == ["dry-run: warning: etc-link",
                                                             "dry-run: warning: secret-link"]
    assert all(line.endswith("left out of the snapshot") for line in warnings)
    assert not os.path.lexists(tmp_path / "run" / "snapshot" / "secret-link")
