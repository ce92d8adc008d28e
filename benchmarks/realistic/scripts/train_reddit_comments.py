import os

from azureml.core import Dataset, Experiment, Workspace
from azureml.train.estimator import Estimator

azureml_workspace = Workspace.from_config()

gaming_comments = Dataset.get_by_name(azureml_workspace, name="reddit_gaming_comments", version="latest")

# Configure the training run
est = Estimator(
    entry_script="train.py",
    script_params={
        "--alpha": 0.5,
        "--ngram-max": 2,
    },
    source_directory=os.path.dirname(os.path.realpath(__file__)),
    compute_target="cpu-d13",
    inputs=[
        gaming_comments.as_named_input("comments")
    ],
    pip_packages=[
        "azureml-sdk",
        "azureml-mlflow",
        "scikit-learn",
        "pandas",
        "numpy",
    ],
)

# Submit an experiment run
experiment = Experiment(azureml_workspace, "reddit-gaming-toxicity")
run = experiment.submit(est)
run.wait_for_completion(show_output=True)
