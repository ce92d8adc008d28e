"""script_params completed after its literal (conditionally too), and use_gpu known only at run time."""
from azureml.core import Workspace
from azureml.train.estimator import Estimator

ws = Workspace.from_config()
datastore = ws.get_default_datastore()
train = datastore.path("train").as_mount()
on_gpu = True

params = {"--alpha": 0.5, "--layers": [64, 32], "--choices": {"a": 1}}
params["--data"] = train
if on_gpu:
    params["--device"] = "cuda"
    params["--fp16"] = ""
params["--seed"] = None

est = Estimator(source_directory="src", entry_script="train.py", compute_target="gpu-cluster",
                script_params=params, use_gpu=on_gpu, inputs=[train])
