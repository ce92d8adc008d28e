"""Chest X-ray training step, submitted as a one-step pipeline; writes the run id for the release job."""
import json
import os

from azureml.core import Datastore, Experiment, Workspace
from azureml.pipeline.core import PipelineData
from azureml.pipeline.steps import EstimatorStep
from azureml.train.dnn import TensorFlow

ws = Workspace.from_config()
exp = Experiment(ws, "xray-train")
gpu_compute_target = ws.compute_targets["gpu-nc6"]
datastore = Datastore.get(ws, "xray_datastore")

preprocessed = PipelineData("PreProcessingData", datastore=datastore)

est = TensorFlow(source_directory="./scripts",
                 compute_target=gpu_compute_target,
                 entry_script="train/estimator_training.py",
                 pip_packages=["keras<=2.3.1", "matplotlib", "opencv-python", "azure-storage-blob==2.1.0"],
                 conda_packages=["scikit-learn==0.22.1"],
                 framework_version="2.0",
                 use_gpu=True)

est_step = EstimatorStep(name="Estimator_Train",
                         estimator=est,
                         estimator_entry_script_arguments=["--PreProcessingData", preprocessed],
                         inputs=[preprocessed],
                         runconfig_pipeline_params=None,
                         compute_target=gpu_compute_target)

run = exp.submit(est_step)
run.wait_for_completion(show_output=True, wait_post_processing=True)

if run.get_status() == "Failed":
    raise Exception("Training failed: {}".format(run.get_details_with_logs()))

os.makedirs("aml_config", exist_ok=True)
with open("aml_config/run_id.json", "w") as handle:
    json.dump({"run_id": run.id, "experiment_name": exp.name}, handle)
