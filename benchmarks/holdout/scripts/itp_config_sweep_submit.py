"""Submit one job per experiment config to the shared Kubernetes cluster (ITP)."""
import argparse
import json
import pprint

from azureml.core import Datastore, Experiment, Workspace
from azureml.core.compute import ComputeTarget
from azureml.train.dnn import PyTorch

parser = argparse.ArgumentParser()
parser.add_argument("--cfg", default="configs/itp_sweep.json")
parser.add_argument("--dry", action="store_true")
args, _ = parser.parse_known_args()

with open(args.cfg) as handle:
    cfg = json.load(handle)

ws = Workspace.from_config()
cluster = ComputeTarget(workspace=ws, name=cfg["cluster"])
store = Datastore(workspace=ws, name=cfg["datastore"])

experiment_files = list(cfg["params"].pop("experiment_files"))
for experiment_file in experiment_files:
    print("submitting {}".format(experiment_file))

    job_args = {}
    for key, value in cfg["params"].items():
        job_args[f"--{key}"] = value
    job_args["--workdir"] = store.path(".").as_mount()
    job_args["--experiment_file"] = experiment_file

    est = PyTorch(
        compute_target=cluster,
        use_gpu=True,
        # node_count=cfg["nodes"],
        use_docker=True,
        custom_docker_image=cfg["image"],
        user_managed=True,
        source_directory=cfg["code_dir"],
        entry_script=cfg["entry"],
        script_params=job_args,
    )

    from azureml.contrib.core.k8srunconfig import K8sComputeConfiguration

    k8s = K8sComputeConfiguration()
    k8s.configuration = {
        "preemption_allowed": False,
        "gpu_count": cfg["params"]["gpus"],
        "enable_ssh": False,
    }
    est.run_config.cmk8scompute = k8s

    if args.dry:
        continue
    run = Experiment(workspace=ws, name=cfg["experiment"]).submit(est)
    pprint.pprint(run)
