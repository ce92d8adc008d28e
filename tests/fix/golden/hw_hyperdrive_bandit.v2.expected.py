"""Hand-written HyperDrive: a ScriptRunConfig tuned with random sampling and a Bandit policy."""
from azure.ai.ml import MLClient, command
from azure.ai.ml.entities import Environment
from azure.ai.ml.sweep import BanditPolicy, Choice, LogUniform
from azure.identity import DefaultAzureCredential

ws = MLClient.from_config(DefaultAzureCredential())
with open("training/requirements.txt") as requirements:
    env_pip = requirements.read().splitlines()
env = Environment(
    image='mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:20251130.v1',
    conda_file={
        'name': 'project_environment',
        'dependencies': ['python=3.8.13', {'pip': [*env_pip]}, 'pip'],
        'channels': ['anaconda', 'conda-forge'],
    },
)
src = command(code="training", command="python keras_train.py --learning-rate ${{inputs.learning_rate}} --batch-size ${{inputs.batch_size}} --epochs 30",
              compute="gpu-cluster", environment=env,
              timeout=2592000,
              shm_size='2g',
              inputs={'learning_rate': 0.01, 'batch_size': 64})

hyperdrive = src(learning_rate=LogUniform(min_value=-6, max_value=-1), batch_size=Choice(values=[16, 32, 64, 128])).sweep(
    compute="gpu-cluster",
    sampling_algorithm='random',
    primary_metric="val_accuracy",
    goal='Maximize',
    early_termination_policy=BanditPolicy(evaluation_interval=2, slack_factor=0.1, delay_evaluation=5),
)
hyperdrive.set_limits(max_total_trials=40, max_concurrent_trials=4, timeout=10800, trial_timeout=2592000)
hyperdrive_run = ws.jobs.create_or_update(hyperdrive, experiment_name="keras-tuning")
ws.jobs.stream(hyperdrive_run.name)
