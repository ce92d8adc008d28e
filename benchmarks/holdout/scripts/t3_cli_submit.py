"""Submit a t3 self-play training job to Azure ML.

    python -m tools.t3_cli_submit --compute-target cpu-d16 --image myacr.azurecr.io/t3:latest --tags owner:ana
"""
import argparse
from pathlib import Path

from azureml.core import Experiment, Workspace
from azureml.train.estimator import Estimator


def add_default_parsers(parser):
    parser.add_argument("--compute-target", dest="compute_target", required=True)
    parser.add_argument("--image", dest="image", required=True)
    parser.add_argument("--workspace-config", default="config.json")


def main(args):
    ws = Workspace.from_config(path=args.workspace_config)
    experiment = Experiment(workspace=ws, name=args.name)
    docker_image = args.image

    estimator = Estimator(
        compute_target=args.compute_target,
        entry_script="./ml/t3_loop.py",
        script_params={
            "-c": args.config,
            "-v": "",
            "--tensorboard-dir": "outputs/tensorboard",
            "--policy-last": "",
            "--log": "info",
            "--fresh-model": "",
            "--training-num-epochs": "100",
        },
        source_directory=Path(__file__).absolute().parents[1],
        user_managed=True,
        process_count_per_node=1,
        custom_docker_image=docker_image,
        use_gpu=False,
    )

    run = experiment.submit(estimator, tags={k: v for k, v in (t.split(":") for t in args.tags)})
    print(run.get_portal_url())


if __name__ == "__main__":
    parser = argparse.ArgumentParser("Submit an Azure ML t3 job")
    add_default_parsers(parser)
    parser.add_argument("--config", default="problems/tictactoe/config.yaml")
    parser.add_argument("--tags", nargs="*", default=[])
    parser.add_argument("--name", default="t3-selfplay")
    main(parser.parse_args())
