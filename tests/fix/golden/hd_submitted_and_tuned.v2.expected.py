"""An estimator submitted on its own first, then tuned by HyperDrive (the PyTorch tutorial's shape)."""
from azure.ai.ml import MLClient, command
from azure.ai.ml.entities import Environment
from azure.ai.ml.sweep import BanditPolicy, Uniform
from azure.identity import DefaultAzureCredential


ws = MLClient.from_config(DefaultAzureCredential())
estimator_env = Environment(
    image='mcr.microsoft.com/azureml/base-gpu:openmpi4.1.0-cuda11.1-cudnn8-ubuntu20.04',
    conda_file={
        'name': 'project_environment',
        'dependencies': ['python=3.6.2', {'pip': ['pillow==5.4.1', 'azureml-defaults', 'torch==1.4.0', 'torchvision==0.5.0', 'horovod==0.18.1', 'tensorboard==1.14.0', 'future==0.17.1']}],
        'channels': ['anaconda', 'conda-forge'],
    },
)
estimator = command(code="training", compute="gpu-cluster",
                    command="python pytorch_train.py --num_epochs 30 --output_dir ./outputs --learning_rate ${{inputs.learning_rate}} --momentum ${{inputs.momentum}}", environment=estimator_env,
                    shm_size='2g',
                    environment_variables={'NCCL_TREE_THRESHOLD': '0'},
                    inputs={'learning_rate': 0.001, 'momentum': 0.9})
run = ws.jobs.create_or_update(estimator, experiment_name="fowl")

hyperdrive_config = estimator(learning_rate=Uniform(min_value=0.0005, max_value=0.005), momentum=Uniform(min_value=0.9, max_value=0.99)).sweep(
    compute="gpu-cluster",
    sampling_algorithm='random',
    primary_metric="best_val_acc",
    goal='Maximize',
    early_termination_policy=BanditPolicy(evaluation_interval=1, slack_factor=0.15, delay_evaluation=10),
)
hyperdrive_config.set_limits(max_total_trials=8, max_concurrent_trials=4, timeout=604800)
hyperdrive_run = ws.jobs.create_or_update(hyperdrive_config, experiment_name="fowl")
