from azureml.core import Experiment, Workspace
from azureml.core.compute import ComputeTarget, AmlCompute
from azureml.core.compute_target import ComputeTargetException
from azureml.train.estimator import Estimator
from azureml.train.sklearn import SKLearn

ws = Workspace.from_config()

cluster_name = "cpu-ds3"
try:
    compute_target = ComputeTarget(workspace=ws, name=cluster_name)
except ComputeTargetException:
    config = AmlCompute.provisioning_configuration(vm_size="STANDARD_DS3_V2", max_nodes=4)
    compute_target = ComputeTarget.create(ws, cluster_name, config)
    compute_target.wait_for_completion(show_output=True)

# requirements.txt and environment.yml live next to train.py in ./churn
sk_est = SKLearn(source_directory="./churn",
                 entry_script="train.py",
                 script_params={"--n-estimators": 300, "--max-depth": 12},
                 compute_target=compute_target,
                 pip_requirements_file="requirements.txt")

generic_est = Estimator(source_directory="./churn",
                        entry_script="explain.py",
                        compute_target=compute_target,
                        conda_dependencies_file="environment.yml")

exp = Experiment(ws, "churn-model")
for est in (sk_est, generic_est):
    run = exp.submit(est)
    run.wait_for_completion(show_output=True)
