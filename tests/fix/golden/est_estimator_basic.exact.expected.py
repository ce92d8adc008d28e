"""Generic Estimator with packages, every script_params shape, env vars and docker settings."""
from azureml.core import Environment, ScriptRunConfig, Experiment, Workspace
from azureml.core.runconfig import DockerConfiguration

ws = Workspace.from_config()

# train on the CPU cluster
est_env = Environment('est-env')
est_env.python.conda_dependencies.set_pip_requirements(['azureml-defaults', "pandas", "scikit-learn==1.0"])
est_env.python.conda_dependencies.add_conda_package("numpy")
est_env.spark.precache_packages = False
est = ScriptRunConfig(
    source_directory="./src",
    script="train.py",
    arguments=[
        "--epochs", 10,
        "--flag-empty",
        "--flag-none",
        "--layers", 64, 32,
        "--nested", 1, "x", '[2, 3]',
        "--choices", "a", "b",
        "positional",
        "--on", True,
    ],
    compute_target="cpu-cluster",
    max_run_duration_seconds=3600,
    environment=est_env,
    docker_runtime_config=DockerConfiguration(use_docker=True, shm_size="8g"),
)
est.run_config.environment_variables = {"MODE": "train"}
