# Nightly re-training: HyperDrive inside a pipeline step, the config built inline.
from azureml.core import Environment, Experiment, Workspace
from azureml.pipeline.core import Pipeline, PipelineData
from azureml.pipeline.steps import HyperDriveStep
from azureml.train.hyperdrive import (HyperDriveConfig, PrimaryMetricGoal, RandomParameterSampling,
                                      choice, uniform)
from azureml.train.sklearn import SKLearn

workspace = Workspace.from_config()
experiment = Experiment(workspace, "re-train")
datastore = workspace.get_default_datastore()
dataset_train = workspace.datasets["subset_train"]
dataset_test = workspace.datasets["subset_test"]

estimator = SKLearn(source_directory="./retrain",
                    entry_script="train.py",
                    compute_target=workspace.compute_targets["cpu-cluster"],
                    environment_definition=Environment.from_conda_specification("retrain-env",
                                                                                "./retrain/conda.yml"))

param_sampling = RandomParameterSampling({"--C": uniform(0.01, 10.0), "--kernel": choice("linear", "rbf")})
metrics_data = PipelineData(name="metrics_data", datastore=datastore, pipeline_output_name="metrics_output")

hypertrain = HyperDriveStep(
    name="hypertrain",
    hyperdrive_config=HyperDriveConfig(
        estimator=estimator,
        hyperparameter_sampling=param_sampling,
        policy=None,
        primary_metric_name="accuracy",
        primary_metric_goal=PrimaryMetricGoal.MAXIMIZE,
        max_total_runs=40,
        max_concurrent_runs=None,
    ),
    estimator_entry_script_arguments=[],
    inputs=[dataset_train.as_named_input("subset_train"), dataset_test.as_named_input("subset_test")],
    outputs=[],
    metrics_output=metrics_data,
    allow_reuse=True,
)

pipeline = Pipeline(workspace=workspace, steps=hypertrain)
pipeline_run = experiment.submit(pipeline)
pipeline_run.wait_for_completion()
