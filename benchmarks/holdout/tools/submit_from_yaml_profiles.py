"""Submit a training profile from profiles.yml: python submit_from_yaml_profiles.py resnet-small"""
import sys

import yaml
from azureml.core import Experiment, Workspace
from azureml.train.dnn import PyTorch, TensorFlow

with open("profiles.yml") as handle:
    config = yaml.safe_load(handle)

profile_name = sys.argv[1] if len(sys.argv) > 1 else config["default"]
profile = config["profiles"][profile_name]

ws = Workspace.from_config()
common = dict(source_directory=profile["source"],
              entry_script=profile["entry"],
              compute_target=profile.get("cluster", "gpu-cluster"),
              script_params=profile.get("args", {}),
              use_gpu=profile.get("gpu", True))

if profile["framework"] == "pytorch":
    est = PyTorch(**common, framework_version=str(profile["version"]))
else:
    est = TensorFlow(**common, framework_version=str(profile["version"]), pip_packages=profile.get("pip", []))

run = Experiment(ws, profile.get("experiment", profile_name)).submit(est, tags={"profile": profile_name})
print(run.get_portal_url())
