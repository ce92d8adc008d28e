"""An estimator submitted on its own first, then tuned by HyperDrive (the PyTorch tutorial's shape)."""
from azureml.core import Environment, ScriptRunConfig, Experiment, Workspace
from azureml.train.hyperdrive import (BanditPolicy, HyperDriveConfig, PrimaryMetricGoal, RandomParameterSampling,
                                      uniform)
from azureml.core.runconfig import DockerConfiguration


def _hyperdrive_run_config(config, hyperparameter_sampling):
    """The job HyperDrive ran for an estimator: the same, less the arguments (read as key/value pairs)
    its parameter space also sets. HyperDrive dropped those for estimators only, not for a
    ScriptRunConfig. (Added by aml-migrate.)"""
    from azureml.core import ScriptRunConfig

    tuned = {name.lstrip("-") for name in hyperparameter_sampling.to_json()["parameter_space"]}
    arguments = list(config.arguments or [])
    pairs = dict(zip(arguments[::2], arguments[1::2]))
    if not any(key.lstrip("-") in tuned for key in pairs):
        return config
    kept = [item for key, value in pairs.items() if key.lstrip("-") not in tuned for item in (key, value)]
    return ScriptRunConfig(config.source_directory, config.script,
                           arguments=[item for item in kept if item is not None and item != ""],
                           run_config=config.run_config)


ws = Workspace.from_config()
experiment = Experiment(ws, "fowl")
estimator_env = Environment.get(ws, 'AzureML-PyTorch-1.4-GPU').clone('estimator-env')
estimator_env.python.conda_dependencies.add_pip_package("pillow==5.4.1")
estimator_env.environment_variables['NCCL_TREE_THRESHOLD'] = '0'
estimator = ScriptRunConfig(source_directory="training", arguments=["--num_epochs", 30, "--output_dir", "./outputs", "--learning_rate", 0.001, "--momentum", 0.9], compute_target="gpu-cluster",
                            script="pytorch_train.py", environment=estimator_env,
                            docker_runtime_config=DockerConfiguration(use_docker=True, shm_size=None),
                            max_run_duration_seconds=None)
run = experiment.submit(estimator)

sampling = RandomParameterSampling({"--learning_rate": uniform(0.0005, 0.005), "--momentum": uniform(0.9, 0.99)})
policy = BanditPolicy(slack_factor=0.15, evaluation_interval=1, delay_evaluation=10)
hyperdrive_config = HyperDriveConfig(run_config=_hyperdrive_run_config(estimator, sampling), hyperparameter_sampling=sampling, policy=policy,
                                     primary_metric_name="best_val_acc", primary_metric_goal=PrimaryMetricGoal.MAXIMIZE,
                                     max_total_runs=8, max_concurrent_runs=4)
hyperdrive_run = experiment.submit(hyperdrive_config)
