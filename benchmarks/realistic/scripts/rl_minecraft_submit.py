"""Ray on Azure ML: a head node with a GPU and CPU workers for the rollouts."""
from azureml.contrib.train.rl import Ray, ReinforcementLearningEstimator, WorkerConfiguration
from azureml.core import Environment, Experiment, Workspace

ws = Workspace.from_config()
head_compute = ws.compute_targets["gpu-nc6"]
worker_compute = ws.compute_targets["cpu-d2"]
experiment = Experiment(ws, "minecraft-rl")

worker_env = Environment.get(ws, "minecraft-worker-env")
head_env = Environment.get(ws, "minecraft-head-env")

worker_conf = WorkerConfiguration(compute_target=worker_compute,
                                  node_count=4,
                                  environment=worker_env)

training_params = {
    "--run": "APEX",
    "--env": "MineRLNavigateDense-v0",
    "--config": '{"num_workers": 4, "num_gpus": 1}',
    "--stop": '{"episode_reward_mean": 90}',
}

training_estimator = ReinforcementLearningEstimator(
    source_directory="minecraft",
    entry_script="minecraft_train.py",
    script_params=training_params,
    compute_target=head_compute,
    environment=head_env,
    worker_configuration=worker_conf,
    rl_framework=Ray(),
    max_run_duration_seconds=6 * 3600,
)
training_run = experiment.submit(training_estimator)
training_run.wait_for_completion(show_output=True)

rollout_estimator = ReinforcementLearningEstimator(
    source_directory="minecraft",
    entry_script="minecraft_rollout.py",
    script_params={"--checkpoint": "outputs/checkpoint_last", "--episodes": 20},
    compute_target=head_compute,
    environment=head_env,
    rl_framework=Ray(),
)
rollout_run = experiment.submit(rollout_estimator)
