# Copyright (c) 2019 the image-models team
#
# Released under the MIT License.

#%% [markdown]
## Tune the image classifier with HyperDrive on AML compute

#%%
from azureml.core import Experiment, Workspace
from azureml.train.estimator import *  # noqa: F401,F403
from azureml.train.dnn import PyTorch
import azureml.train.hyperdrive as hd

#%%
ws = Workspace.from_config()
images = ws.datastores["labelled_images"]
ct = ws.compute_targets["gpu-nc12"]

#%% [markdown]
#### Static script parameters; the tuned ones come from the sampler below

#%%
script_params = {
    "--data-dir": images.as_mount(),
    "--num-epochs": 120,
    "--momentum": 0.9,
    "--num-dataload-workers": 6,
    "--epochs-before-unfreeze-all": "0",
}
conda_packages = ["scikit-learn"]
pip_packages = ["torchvision==0.5.0", "pillow-simd"]

#%%
estimator = PyTorch(source_directory="./image-models",
                    compute_target=ct,
                    entry_script="train_network.py",
                    script_params=script_params,
                    node_count=1,
                    process_count_per_node=1,
                    conda_packages=conda_packages,
                    pip_packages=pip_packages,
                    use_gpu=True)

#%%
ps = hd.RandomParameterSampling({
    "--network-name": hd.choice("densenet121", "resnet50", "resnet34"),
    "--minibatch-size": hd.choice(8, 16),
    "--learning-rate": hd.uniform(0.00001, 0.001),
    "--momentum": hd.uniform(0.8, 0.99),
})
etp = hd.BanditPolicy(slack_factor=0.2, evaluation_interval=10, delay_evaluation=15)

#%%
hrc = hd.HyperDriveRunConfig(
    estimator = estimator,
    hyperparameter_sampling = ps,
    policy = etp,
    primary_metric_name = "Loss - test",
    primary_metric_goal = hd.PrimaryMetricGoal.MINIMIZE,
    max_total_runs = 12,
    max_concurrent_runs = 4,
)

#%%
hd_run = Experiment(workspace=ws, name="hyperdrive-images").submit(hrc)
print(hd_run.get_portal_url())
