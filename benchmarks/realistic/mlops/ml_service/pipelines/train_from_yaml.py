"""Submit one training run described by config/train.yml (the file reviewers change in PRs)."""
import sys

import yaml
from azureml.core import Experiment, Workspace
from azureml.train.estimator import Estimator

CONFIG = sys.argv[1] if len(sys.argv) > 1 else "config/train.yml"

with open(CONFIG) as f:
    cfg = yaml.safe_load(f)

ws = Workspace.from_config()
compute = ws.compute_targets[cfg["compute"]]

est = Estimator(source_directory=cfg["source_dir"],
                entry_script=cfg["entry_script"],
                script_params=cfg["script_params"],
                compute_target=compute,
                pip_packages=cfg.get("pip_packages", []),
                use_gpu=cfg.get("use_gpu", False))

run = Experiment(ws, cfg["experiment"]).submit(est, tags=cfg.get("tags", {}))
print(run.get_portal_url())
run.wait_for_completion(show_output=True)
