from azureml.core import Environment, ScriptRunConfig, Workspace
from azureml.core.runconfig import DockerConfiguration

ws = Workspace.from_config()
est_env = Environment('est-env')
est_env.docker.base_image = 'mcr.microsoft.com/azureml/intelmpi2018.3-ubuntu16.04:20200423.v1'
est_env.python.conda_dependencies.set_python_version('3.6.2')
est_env.python.conda_dependencies.set_pip_requirements(["scikit-learn==0.22.2", "joblib", 'azureml-defaults', 'scipy==1.2.1'])
est_env.spark.precache_packages = False
est = ScriptRunConfig(source_directory="src", script="train.py", compute_target="cpu-cluster",
                      arguments=["--kernel", "linear", "--penalty", 1.0],
                      environment=est_env,
                      docker_runtime_config=DockerConfiguration(use_docker=True, shm_size=None),
                      max_run_duration_seconds=None)
