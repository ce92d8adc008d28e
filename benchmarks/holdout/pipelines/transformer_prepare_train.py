# Prepare a text dataset in one step, fine-tune a transformer in the next.
from azureml.core import Experiment, Workspace
from azureml.core.runconfig import RunConfiguration
from azureml.pipeline.core import Pipeline, PipelineData
from azureml.pipeline.steps import EstimatorStep, PythonScriptStep
from azureml.train.estimator import Estimator

workspace = Workspace.from_config()
experiment = Experiment(workspace, "ner-finetune")
compute_target = workspace.compute_targets["gpu-cluster"]
raw_dataset = workspace.datasets["conll2003"]
project_folder = "./ner"
data_dir = "conll"

run_config = RunConfiguration()
run_config.environment.python.conda_dependencies.add_pip_package("datasets==1.2.1")

prepared_dataset = PipelineData("prepared", datastore=workspace.get_default_datastore())

estimator = Estimator(
    source_directory=project_folder,
    compute_target=compute_target,
    entry_script="run_ner.py",
    use_gpu=True,
    pip_packages=["azureml-sdk", "pytorch-lightning==1.1.4", "transformers==4.2.1", "seqeval"],
)

prepare_step = PythonScriptStep(
    name="prepare step",
    script_name="prepare.py",
    arguments=["--output", prepared_dataset],
    inputs=[raw_dataset.as_named_input(data_dir).as_mount()],
    outputs=[prepared_dataset],
    source_directory=project_folder,
    compute_target=compute_target,
    runconfig=run_config,
    allow_reuse=True,
)

train_step = EstimatorStep(
    name="train step",
    estimator=estimator,
    estimator_entry_script_arguments=["--do_train", "--do_predict", "--data_dir", prepared_dataset],
    inputs=[prepared_dataset.as_mount()],
    compute_target=compute_target,
    allow_reuse=True,
)

pipeline = Pipeline(workspace, steps=[prepare_step, train_step])
run = experiment.submit(pipeline)
