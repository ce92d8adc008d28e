import json
import os

from azureml.core import Experiment, Workspace
from azureml.core.authentication import AzureCliAuthentication
from azureml.train.estimator import Estimator

cli_auth = AzureCliAuthentication()

# Get workspace
ws = Workspace.from_config(path="aml_config/config.json", auth=cli_auth)

# Attach Experiment
experiment_name = "devops-ai-demo"
exp = Experiment(workspace=ws, name=experiment_name)
print(exp.name, exp.workspace.name, sep="\n")

print("Submitting an experiment to the local user-managed environment")
est = Estimator(source_directory="./code",
                entry_script="training/train.py",
                compute_target="local",
                use_docker=False,
                user_managed=True)
run = exp.submit(est)

# Shows output of the run on stdout.
run.wait_for_completion(show_output=True, wait_post_processing=True)

# Raise exception if run fails
if run.get_status() == "Failed":
    raise Exception(
        "Training on local failed with following run status: {} and logs: \n {}".format(
            run.get_status(), run.get_details_with_logs()
        )
    )

# Writing the run id to /aml_config/run_id.json
run_id = {}
run_id["run_id"] = run.id
run_id["experiment_name"] = run.experiment.name
os.makedirs("aml_config", exist_ok=True)
with open("aml_config/run_id.json", "w") as outfile:
    json.dump(run_id, outfile)
