# hyperdrive_bandit.v1.py migrated by hand to azure-ai-ml.
from azure.ai.ml import Input, MLClient, command
from azure.ai.ml.sweep import BanditPolicy, Choice, LogUniform
from azure.identity import DefaultAzureCredential

ml_client = MLClient.from_config(DefaultAzureCredential())

src = command(
    code="src",
    command="python train.py --data ${{inputs.train}} --learning-rate ${{inputs.learning_rate}} --epochs 15 "
            "--batch-size ${{inputs.batch_size}}",
    inputs={"train": Input(type="uri_folder", path="azureml:fashion-mnist:2", mode="ro_mount"),
            "learning_rate": 0.01, "batch_size": 16},
    environment="azureml:AzureML-sklearn-1.0-ubuntu20.04-py38-cpu@latest",
    compute="gpu-cluster",
    environment_variables={"OMP_NUM_THREADS": "4"},
    shm_size="2g",
    timeout=2592000,
)
hd_config = src(learning_rate=LogUniform(min_value=-6, max_value=-1), batch_size=Choice([16, 32, 64])).sweep(
    compute="gpu-cluster",
    sampling_algorithm="random",
    primary_metric="val_accuracy",
    goal="Maximize",
    early_termination_policy=BanditPolicy(slack_factor=0.15, evaluation_interval=1, delay_evaluation=10),
)
hd_config.set_limits(max_total_trials=40, max_concurrent_trials=8, timeout=240 * 60, trial_timeout=2592000)
hd_run = ml_client.jobs.create_or_update(hd_config, experiment_name="fashion-hd")
ml_client.jobs.stream(hd_run.name)
