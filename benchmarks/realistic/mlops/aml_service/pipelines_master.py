import json
import os

from azureml.core import Datastore, Experiment, Workspace
from azureml.core.authentication import AzureCliAuthentication
from azureml.data.data_reference import DataReference
from azureml.pipeline.core import Pipeline, PipelineData
from azureml.pipeline.steps import EstimatorStep
from azureml.train.dnn import PyTorch
from azureml.train.sklearn import SKLearn

ws = Workspace.from_config(auth=AzureCliAuthentication())
cpu_cluster = ws.compute_targets["cpu-cluster"]
gpu_cluster = ws.compute_targets["gpu-cluster"]

telemetry_ds = Datastore.get(ws, "telemetry")
input_data = DataReference(
    datastore=telemetry_ds,
    data_reference_name="input_data",
    path_on_datastore="raw/2020",
)

preprocessing_est = SKLearn(source_directory="010-preprocessing",
                            compute_target=cpu_cluster,
                            entry_script="dataprep.py",
                            conda_packages=["pandas"],
                            pip_packages=["fastavro"])

prepared = PipelineData("prepared", datastore=telemetry_ds)
preprocessing_step = EstimatorStep(name="Preprocessing_Train",
                                   estimator=preprocessing_est,
                                   estimator_entry_script_arguments=["--data_dir", input_data,
                                                                     "--output_data_dir", prepared],
                                   inputs=[input_data],
                                   outputs=[prepared],
                                   compute_target=cpu_cluster,
                                   allow_reuse=True)

pytorch_est = PyTorch(source_directory="020-ann",
                      compute_target=gpu_cluster,
                      entry_script="pytorch_train.py",
                      use_gpu=True,
                      framework_version="1.3")

model_dir = PipelineData("model", datastore=telemetry_ds)
train_step = EstimatorStep(name="Train_ANN",
                           estimator=pytorch_est,
                           estimator_entry_script_arguments=["--data_dir", prepared, "--output_dir", model_dir],
                           runconfig_pipeline_params=None,
                           inputs=[prepared],
                           outputs=[model_dir],
                           compute_target=gpu_cluster)

pipeline = Pipeline(workspace=ws, steps=[preprocessing_step, train_step])
pipeline.validate()
print("Pipeline validation complete")

published = pipeline.publish(name="telemetry-training", description="preprocess + train", continue_on_step_failure=False)
run = Experiment(ws, "telemetry-training").submit(pipeline, pipeline_parameters={})
run.wait_for_completion(show_output=True)

os.makedirs("configuration", exist_ok=True)
with open("./configuration/run_id.json", "w") as outfile:
    json.dump({"run_id": run.id, "experiment_name": run.experiment.name, "pipeline": published.id}, outfile)
