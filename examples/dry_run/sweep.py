"""Sweep the learning rate of the fruit model with HyperDrive; the job is built by helper functions.

Static mode cannot follow helper functions. Capture mode runs this script, with the Azure ML service
replaced by offline stand-ins, and dry-runs one trial of the sweep:

    aml-migrate dry-run --capture examples/dry_run/sweep.py --data data-dir=examples/dry_run/data \
        -- --epochs 30
"""

import argparse
import json
import os

from azureml.core import Environment, Experiment, ScriptRunConfig, Workspace
from azureml.train.hyperdrive import HyperDriveConfig, PrimaryMetricGoal, RandomParameterSampling, uniform

HERE = os.path.dirname(os.path.abspath(__file__))


def fruit_job(ws: Workspace, settings: dict, epochs: int) -> ScriptRunConfig:
    data = ws.get_default_datastore().path(settings["data_path"]).as_mount()
    src = ScriptRunConfig(
        source_directory=os.path.join(HERE, "src"),
        script="train.py",
        arguments=["--data-dir", str(data), "--epochs", epochs],
        compute_target=settings["compute"],
        environment=Environment.get(ws, settings["environment"]),
    )
    src.run_config.data_references = {data.data_reference_name: data.to_config()}
    return src


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--epochs", type=int, default=20)
    args = parser.parse_args()
    with open(os.path.join(HERE, "sweep.json")) as handle:
        settings = json.load(handle)

    ws = Workspace.from_config()
    sampling = RandomParameterSampling({"--learning-rate": uniform(*settings["learning_rate"])})
    sweep = HyperDriveConfig(
        run_config=fruit_job(ws, settings, args.epochs),
        hyperparameter_sampling=sampling,
        primary_metric_name="loss",
        primary_metric_goal=PrimaryMetricGoal.MINIMIZE,
        max_total_runs=settings["trials"],
    )
    run = Experiment(ws, settings["experiment"]).submit(sweep)
    run.wait_for_completion(show_output=True)


if __name__ == "__main__":
    main()
