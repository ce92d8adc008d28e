import logging
import os

import azureml.core
from azureml.core import Experiment, Workspace
from azureml.core.compute import AmlCompute, ComputeTarget
from azureml.train.dnn import TensorFlow

logging.basicConfig(level=logging.INFO)
logger = logging.getLogger(__name__)

logger.info("azureml-core %s", azureml.core.VERSION)
ws = Workspace.from_config()

experiment_name = "anomaly_detection_experiment"
experiment = Experiment(workspace=ws, name=experiment_name)

compute_name = os.environ.get("AML_COMPUTE_CLUSTER_NAME", "gpu-nc6s-v3")
if compute_name in ws.compute_targets:
    compute_target = ws.compute_targets[compute_name]
else:
    provisioning = AmlCompute.provisioning_configuration(vm_size="STANDARD_NC6S_V3", min_nodes=0, max_nodes=2)
    compute_target = ComputeTarget.create(ws, compute_name, provisioning)
    compute_target.wait_for_completion(show_output=True)

estimator = TensorFlow(
    source_directory="./autoencoder",
    entry_script="train_autoencoder.py",
    compute_target=compute_target,
    framework_version="2.1",
    use_gpu=True,
    pip_packages=["tensorflow-addons", "pandas", "scikit-learn"],
    environment_variables={"TF_FORCE_GPU_ALLOW_GROWTH": "true", "PYTHONUNBUFFERED": "1"},
    shm_size="16g",
    max_run_duration_seconds=3 * 60 * 60,
)

logger.info("Submitting run to %s", compute_name)
run = experiment.submit(estimator)
run.wait_for_completion(show_output=True)
logger.info("Run finished with status %s", run.get_status())
