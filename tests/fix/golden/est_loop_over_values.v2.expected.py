"""A hand-rolled sweep: one estimator per value of a list written out, appended and submitted in loops."""
from azureml.core import Environment, ScriptRunConfig, Experiment, Workspace
from azureml.core.runconfig import DockerConfiguration

ws = Workspace.from_config()
exp = Experiment(ws, "manual-lr-sweep")
learning_rates = [0.3, 0.1, 0.03]

estimators = []
for lr in learning_rates:
    src_env = Environment('src-env')
    src_env.python.conda_dependencies.add_conda_package("py-xgboost=0.90")
    src_env.spark.precache_packages = False
    estimators.append(ScriptRunConfig(source_directory="training",
                                      script="train.py",
                                      compute_target="cpu-cluster",
                                      arguments=["--eta", lr, "--rounds", 400],
                                      environment=src_env,
                                      docker_runtime_config=DockerConfiguration(use_docker=True, shm_size=None),
                                      max_run_duration_seconds=None))

for seed in (1, 2):
    src_env_2 = Environment('src-env-2')
    src_env_2.spark.precache_packages = False
    estimators.append(ScriptRunConfig(source_directory="training", script="train.py", compute_target="cpu-cluster",
                                      arguments=["--seed", seed, "--tag", f"seed-{seed}"],
                                      environment=src_env_2,
                                      docker_runtime_config=DockerConfiguration(use_docker=True, shm_size=None),
                                      max_run_duration_seconds=None))

runs = [exp.submit(est) for est in estimators]
