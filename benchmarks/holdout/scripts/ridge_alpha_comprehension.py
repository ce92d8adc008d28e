"""Grid of ridge regressions, one estimator per alpha, built in a list comprehension."""
import os

from azureml.core import Experiment, Workspace
from azureml.train.sklearn import SKLearn

ws = Workspace.from_config()
cpu = ws.compute_targets["cpu-d4"]
exp = Experiment(ws, "ridge-alpha-grid")
src_dir = os.path.join(os.path.dirname(os.path.abspath(__file__)), "ridge")

alphas = [0.01, 0.1, 1.0, 10.0]
estimators = [SKLearn(source_directory=src_dir,
                      entry_script="ridge.py",
                      script_params={"--alpha": a, "--folds": 5},
                      compute_target=cpu) for a in alphas]

runs = [exp.submit(e, tags={"alpha": str(a)}) for e, a in zip(estimators, alphas)]
for run in runs:
    run.wait_for_completion()
    print(run.get_metrics().get("rmse"))
