# Older submit script of the recommender team: module-style imports, as in the 2019 samples.
import azureml.core
import azureml.train.estimator as aml_estimator
from azureml.core import Experiment, Workspace
from azureml.train import dnn

ws = Workspace.from_config()
target = ws.compute_targets["gpu-nc6-lowpri"]
experiment = Experiment(ws, "recsys-ncf")

prep = aml_estimator.Estimator(source_directory="recsys",
                               entry_script="prepare_movielens.py",
                               compute_target=target,
                               pip_packages=["pandas", "scikit-learn"],
                               script_params={"--min-ratings": 5, "--test-fraction": 0.2})
experiment.submit(prep).wait_for_completion(show_output=True)

ncf = dnn.PyTorch(source_directory="recsys",
                  entry_script="train_ncf.py",
                  compute_target=target,
                  framework_version="1.6",
                  use_gpu=True,
                  script_params={"--factors": 64, "--epochs": 20, "--negatives": 4})
run = experiment.submit(ncf)
print(azureml.core.VERSION, run.get_portal_url())
