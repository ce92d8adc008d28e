"""Publish the example project's training pipeline (prepare -> train), 2019 style.

The preparation step runs on a RunConfiguration, which is still the supported way to configure a
PythonScriptStep; the training step is an EstimatorStep, which is deprecated.
"""
from azureml.core import Workspace
from azureml.core.conda_dependencies import CondaDependencies
from azureml.core.runconfig import RunConfiguration
from azureml.pipeline.core import Pipeline, PipelineData, PipelineParameter
from azureml.pipeline.steps import EstimatorStep, PythonScriptStep  # expect: AML102
from azureml.train.sklearn import SKLearn  # expect: AML102

ws = Workspace.from_config()
datastore = ws.get_default_datastore()

raw_data = datastore.path("legacy-project/data").as_mount()
prepared = PipelineData("prepared", datastore=datastore)
epochs = PipelineParameter(name="epochs", default_value=10)

prep_config = RunConfiguration()
prep_config.environment.python.conda_dependencies = CondaDependencies.create(pip_packages=["pandas"])
prepare = PythonScriptStep(name="prepare",
                           script_name="train.py",
                           arguments=["--data-dir", raw_data, "--output-dir", prepared, "--dry-run"],
                           inputs=[raw_data],
                           outputs=[prepared],
                           compute_target="cpu-cluster",
                           source_directory=".",
                           runconfig=prep_config)

trainer = SKLearn(source_directory=".",  # expect: AML101
                  entry_script="train.py",
                  compute_target="cpu-cluster")
train = EstimatorStep(name="train",  # expect: AML105
                      estimator=trainer,
                      estimator_entry_script_arguments=["--data-dir", prepared, "--epochs", epochs],
                      inputs=[prepared],
                      compute_target="cpu-cluster",
                      allow_reuse=False)

pipeline = Pipeline(workspace=ws, steps=[prepare, train])
pipeline.validate()
published = pipeline.publish(name="legacy-project-training", description="prepare and train")
print("published pipeline", published.id)
