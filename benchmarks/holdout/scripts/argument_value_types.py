"""Every kind of value the training script's argparse receives, and a shared package list."""
from azureml.core import Experiment, Workspace
from azureml.train.estimator import Estimator

ws = Workspace.from_config()
exp = Experiment(ws, "argument-types")

packages = ["lightgbm==3.1.1", "pandas"]

typed = Estimator(source_directory="ranker",
                  entry_script="train_ranker.py",
                  compute_target="cpu-cluster",
                  script_params={
                      "--num-leaves": 63,
                      "--feature-fraction": 0.8,
                      "--use-gpu": False,
                      "--verbose": True,
                      "--seed": 0,
                      "--checkpoint": None,
                      "--metrics": ["ndcg@5", "ndcg@10"],
                      "--group-sizes": (10, 20),
                      "--label-gains": [[0, 1], [3, 7]],
                      "": "ranking.conf",
                  },
                  pip_packages=packages)

plain = Estimator(source_directory="ranker",
                  entry_script="export.py",
                  compute_target="cpu-cluster",
                  pip_packages=packages)

for job in (typed, plain):
    exp.submit(job)
