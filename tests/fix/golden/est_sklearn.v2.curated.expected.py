from azureml.core import Environment, ScriptRunConfig, Workspace
from azureml.core.runconfig import DockerConfiguration

ws = Workspace.from_config()
est_env = Environment.get(ws, 'AzureML-Scikit-learn-0.20.3').clone('est-env')
est_env.python.conda_dependencies.add_pip_package("scikit-learn==0.22.2")
est_env.python.conda_dependencies.add_pip_package("joblib")
est = ScriptRunConfig(source_directory="src", script="train.py", compute_target="cpu-cluster",
                      arguments=["--kernel", "linear", "--penalty", 1.0],
                      environment=est_env,
                      docker_runtime_config=DockerConfiguration(use_docker=True, shm_size=None),
                      max_run_duration_seconds=None)
