"""Submit the same estimator twice: once as written, once as a one-epoch smoke test with other data."""
from azureml.core import Dataset, Experiment, Workspace
from azureml.train.dnn import PyTorch

ws = Workspace.from_config()
exp = Experiment(ws, "overrides")
full_data = Dataset.get_by_name(ws, "reviews-full")
sample_data = Dataset.get_by_name(ws, "reviews-sample")

est = PyTorch(source_directory="sentiment",
              entry_script="train.py",
              compute_target="gpu-cluster",
              script_params={"--epochs": 8, "--data": full_data.as_named_input("reviews").as_mount()},
              framework_version="1.6",
              use_gpu=True)

smoke = exp.submit(est, script_params={"--epochs": 1}, inputs=[sample_data.as_named_input("sample")])
smoke.wait_for_completion(raise_on_error=True)
exp.submit(est, tags={"stage": "full"})
