# A scikit-learn job on a TabularDataset registered from delimited files, run on the local machine.
from azureml.core import Dataset, Environment, Experiment, ScriptRunConfig, Workspace

ws = Workspace.from_config()
datastore = ws.get_default_datastore()
credit = Dataset.Tabular.from_delimited_files(path=(datastore, "credit/credit.csv"))
credit = credit.register(workspace=ws, name="credit-card", create_new_version=True)

sklearn_env = Environment.from_conda_specification("credit", "envs/credit.yml")
sklearn_env.docker.base_image = "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04"
sklearn_env.environment_variables = {"MLFLOW_TRACKING_DISABLED": "false"}

config = ScriptRunConfig(source_directory=".", script="train_credit.py",
                         arguments=["--data", credit.as_named_input("credit"), "--n-estimators", 200,
                                    "--criterion", "gini"],
                         environment=sklearn_env, max_run_duration_seconds=1800)
run = Experiment(ws, "credit-default").submit(config)
run.wait_for_completion()
