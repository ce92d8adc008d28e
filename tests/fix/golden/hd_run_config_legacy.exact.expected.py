"""The deprecated HyperDriveRunConfig, by keyword and by position, module-qualified too."""
from azureml.core import Environment, ScriptRunConfig, Experiment, Workspace
from azureml.train import hyperdrive as hd
from azureml.train.hyperdrive import HyperDriveConfig
from azureml.core.runconfig import DockerConfiguration

ws = Workspace.from_config()
experiment = Experiment(ws, "legacy-tuning")
est_env = Environment('est-env')
est_env.spark.precache_packages = False
est = ScriptRunConfig(source_directory="training", script="train.py", compute_target="cpu-cluster",
                      arguments=["--epochs", 5],
                      environment=est_env,
                      docker_runtime_config=DockerConfiguration(use_docker=True, shm_size=None),
                      max_run_duration_seconds=None)
space = hd.RandomParameterSampling({"alpha": hd.uniform(0.01, 1.0)})
by_keyword = HyperDriveConfig(run_config=est, hyperparameter_sampling=space, primary_metric_name="r2",
                              primary_metric_goal=hd.PrimaryMetricGoal.MAXIMIZE, max_total_runs=10)
other_env = Environment('other-env')
other_env.spark.precache_packages = False
other = ScriptRunConfig(source_directory="training", script="train.py", compute_target="cpu-cluster", environment=other_env, docker_runtime_config=DockerConfiguration(use_docker=True, shm_size=None), max_run_duration_seconds=None)
by_position = hd.HyperDriveConfig(run_config=other, hyperparameter_sampling=hd.GridParameterSampling({"--depth": hd.choice(2, 4)}), primary_metric_name="r2",
                                  primary_metric_goal=hd.PrimaryMetricGoal.MAXIMIZE, max_total_runs=4)
for config in (by_keyword, by_position):
    experiment.submit(config)
