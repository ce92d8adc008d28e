"""An estimator class from an azureml.contrib package: reported, left to a human with the reason."""
from azureml.contrib.gbdt import LightGBM
from azureml.core import Experiment, Workspace
from azureml.core.compute import AmlCompute

ws = Workspace.from_config()
cluster = AmlCompute(ws, "cpu-cluster")
lgbm = LightGBM(source_directory="training", compute_target=cluster, lightgbm_config="train.conf",
                data="binary.train", valid="binary.test")
run = Experiment(ws, "lightgbm").submit(lgbm)
