# A quick run and a full run sharing one parameter dict that changes in between.
from azureml.core import Experiment, Workspace
from azureml.train.sklearn import SKLearn

ws = Workspace.from_config()
exp = Experiment(ws, "churn-gbm")
target = ws.compute_targets["cpu-cluster"]

params = {"--epochs": 5, "--learning-rate": 0.1}
quick = SKLearn(source_directory="churn", entry_script="gbm.py", script_params=params,
                compute_target=target)
exp.submit(quick, tags={"kind": "smoke"})

params["--epochs"] = 50
params.update({"--early-stop": ""})
full = SKLearn(source_directory="churn", entry_script="gbm.py", script_params=params,
               compute_target=target)
exp.submit(full, tags={"kind": "full"})
