"""SDK v2 (azure-ai-ml) submit scripts, in the shapes public ones have: `MLClient.from_config` and
`ml_client.jobs.create_or_update(job, experiment_name=...)`, `command(...)` with `${{inputs.*}}` and
`${{outputs.*}}`, `Input`/`Output` with `AssetTypes`, an inline `Environment(image, conda_file)`, an
environment registered then named (`f"{env.name}:{env.version}"`), MPI jobs, a job built by a function
and swept (`job(lr=Uniform(...)).sweep(...)`, `ml_client.create_or_update(sweep_job)`). Each is a small
project under a root: `submit.py`, `src/` and the files it reads (`write_shape` of shapes.py)."""

from __future__ import annotations

import textwrap

from dryrun_helpers import EXCHANGE
from shapes import Shape

# What a v2 job sees, reported: its arguments, its data (a folder listed, a file read), the variables
# the service sets for inputs and outputs; a model written to `--model-dir` (an Output).
TRAIN_V2 = """\
import json, os, sys
args = sys.argv[1:]
def value(flag):
    return args[args.index(flag) + 1] if flag in args else None
found = {"argv": args, "cwd": os.getcwd(),
         "env": {k: v for k, v in os.environ.items() if k.startswith(("AZURE_ML_", "FRUIT_"))}}
data = value("--data")
if data is not None:
    found["data"] = sorted(os.listdir(data)) if os.path.isdir(data) else open(data).read()
if value("--model-dir"):
    with open(os.path.join(value("--model-dir"), "model.txt"), "w") as handle:
        handle.write("weights")
os.makedirs("outputs", exist_ok=True)
with open("outputs/report.json", "w") as handle:
    json.dump(found, handle)
print("trained with", " ".join(args))
"""

PLAIN_SUBMIT = """
    \"\"\"Train the fruit classifier on Azure ML (SDK v2).\"\"\"
    from azure.ai.ml import Input, MLClient, Output, command
    from azure.ai.ml.constants import AssetTypes, InputOutputModes
    from azure.ai.ml.entities import Environment
    from azure.identity import DefaultAzureCredential

    ml_client = MLClient.from_config(credential=DefaultAzureCredential())

    env = Environment(
        image="mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04",
        conda_file={"name": "fruit", "channels": ["conda-forge"],
                    "dependencies": ["python=3.10", "pip", {"pip": ["dryrun-probe==1.0"]}]},
    )
    job = command(
        code="./src",
        command="python train.py --data ${{inputs.fruit}} --epochs ${{inputs.epochs}} --lr ${{inputs.lr}} "
                "--model-dir ${{outputs.model}}",
        inputs={
            "fruit": Input(type=AssetTypes.URI_FOLDER, mode=InputOutputModes.RO_MOUNT,
                           path="azureml://datastores/workspaceblobstore/paths/fruit/"),
            "epochs": 4,
            "lr": 0.01,
        },
        outputs={"model": Output(type=AssetTypes.URI_FOLDER)},
        environment=env,
        environment_variables={"FRUIT_SEED": "7"},
        compute="cpu-cluster",
        display_name="fruit-train",
    )
    job.environment_variables["FRUIT_MODE"] = "fast"
    returned_job = ml_client.jobs.create_or_update(job, experiment_name="fruit")
    print(returned_job.studio_url)
    ml_client.jobs.stream(returned_job.name)
    """
# A notebook's cells are the script's paragraphs.
PLAIN = Shape("v2-command", PLAIN_SUBMIT, {"src/train.py": TRAIN_V2},
              cells=textwrap.dedent(PLAIN_SUBMIT).strip().split("\n\n"))

# Ranks talk to rank 0 over TCP, as an MPI or PyTorch job's processes would (EXCHANGE of dryrun_helpers).
MPI = Shape(
    "v2-mpi",
    """
    from azure.ai.ml import MLClient, MpiDistribution, command
    from azure.identity import DefaultAzureCredential

    ml_client = MLClient(DefaultAzureCredential(), "00000000-0000-0000-0000-000000000000", "rg", "ws")
    job = command(
        code="src",
        command="python exchange.py",
        environment="azureml:AzureML-PyTorch-1.6-GPU@latest",
        compute="gpu-cluster",
        instance_count=2,
        distribution=MpiDistribution(process_count_per_instance=1),
        shm_size="256m",
    )
    ml_client.jobs.create_or_update(job)
    """,
    {"src/exchange.py": textwrap.dedent(EXCHANGE)},
)

TIMEOUT = Shape(
    "v2-timeout",
    """
    from azure.ai.ml import MLClient, command
    from azure.identity import DefaultAzureCredential

    ml_client = MLClient.from_config(DefaultAzureCredential())
    job = command(code="src", command="echo in $PWD && python hang.py",  # a shell command
                  environment="AzureML-Scikit-learn-0.20.3@latest", compute="cpu-cluster", timeout=3)
    ml_client.jobs.create_or_update(job)
    """,
    {"src/hang.py": "import signal, time\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
                    "print('started', flush=True)\ntime.sleep(120)\n"},
)

SWEEP = Shape(
    "v2-sweep-from-functions",
    """
    import argparse

    from azure.ai.ml import Input, MLClient, command
    from azure.ai.ml.entities import Environment
    from azure.ai.ml.sweep import Choice, Uniform
    from azure.identity import DefaultAzureCredential


    def training_environment(ml_client):
        env = Environment(name="fruit-sweep-env", image="mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04",
                          conda_file="environment.yml")
        return ml_client.environments.create_or_update(env)


    def training_job(env, epochs=3):
        return command(
            code="./src",
            command="python train.py --data ${{inputs.table}} --epochs ${{inputs.epochs}} "
                    "--lr ${{inputs.lr}} --kernel ${{inputs.kernel}} $[[--seed ${{inputs.seed}}]]",
            inputs={"table": Input(type="uri_file", path="data/fruit.csv"), "epochs": epochs, "lr": 0.1,
                    "kernel": "linear", "seed": Input(type="integer", optional=True)},
            environment=f"{env.name}:{env.version}",
            compute="cpu-cluster",
            experiment_name="fruit-sweep",  # azure-ai-ml forgets it when the job is called (a sweep)
        )


    def main():
        parser = argparse.ArgumentParser()
        parser.add_argument("--epochs", type=int, default=5)
        args = parser.parse_args()
        ml_client = MLClient.from_config(credential=DefaultAzureCredential())
        job = training_job(training_environment(ml_client), args.epochs)
        job_for_sweep = job(lr=Uniform(min_value=0.01, max_value=0.09),
                            kernel=Choice(values=["rbf", "linear"]))
        sweep_job = job_for_sweep.sweep(compute="cpu-cluster", sampling_algorithm="random",
                                        primary_metric="accuracy", goal="Maximize")
        sweep_job.set_limits(max_total_trials=8, max_concurrent_trials=2, trial_timeout=30)
        returned = ml_client.create_or_update(sweep_job)
        print(returned.studio_url)


    if __name__ == "__main__":
        main()
    """,
    {"src/train.py": TRAIN_V2, "data/fruit.csv": "diameter,weight\n7,150\n",
     "environment.yml": "name: fruit\ndependencies:\n  - python=3.10\n  - pip\n  - pip:\n"
                        "    - dryrun-probe==1.0\n"},
)

V2_SHAPES = [PLAIN, MPI, TIMEOUT, SWEEP]
