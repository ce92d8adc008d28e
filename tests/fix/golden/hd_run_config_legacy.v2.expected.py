"""The deprecated HyperDriveRunConfig, by keyword and by position, module-qualified too."""
from azure.ai.ml import Input, MLClient, command
from azure.ai.ml.entities import Environment
from azure.ai.ml.sweep import Choice, Uniform
from azure.identity import DefaultAzureCredential

ws = MLClient.from_config(DefaultAzureCredential())
est_env = Environment(
    image='mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:20251130.v1',
    conda_file={
        'name': 'project_environment',
        'dependencies': ['python=3.8.13', {'pip': ['azureml-defaults']}],
        'channels': ['anaconda', 'conda-forge'],
    },
)
est = command(code="training", command="python train.py --epochs 5 $[[--alpha ${{inputs.alpha}}]]", compute="cpu-cluster",
              environment=est_env,
              shm_size='2g',
              inputs={'alpha': Input(type='number', optional=True)})
by_keyword = est(alpha=Uniform(min_value=0.01, max_value=1.0)).sweep(
    compute="cpu-cluster",
    sampling_algorithm='random',
    primary_metric="r2",
    goal='Maximize',
)
by_keyword.set_limits(max_total_trials=10, max_concurrent_trials=10, timeout=604800)
other_env = Environment(
    image='mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:20251130.v1',
    conda_file={
        'name': 'project_environment',
        'dependencies': ['python=3.8.13', {'pip': ['azureml-defaults']}],
        'channels': ['anaconda', 'conda-forge'],
    },
)
other = command(code="training", command="python train.py $[[--depth ${{inputs.depth}}]]", compute="cpu-cluster", environment=other_env, shm_size='2g', inputs={'depth': Input(type='integer', optional=True)})
by_position = other(depth=Choice(values=[2, 4])).sweep(
    compute="cpu-cluster",
    sampling_algorithm='grid',
    primary_metric="r2",
    goal='Maximize',
)
by_position.set_limits(max_total_trials=4, max_concurrent_trials=4, timeout=604800)
for config in (by_keyword, by_position):
    ws.jobs.create_or_update(config, experiment_name="legacy-tuning")
