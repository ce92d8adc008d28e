from azureml.core import Workspace
from azureml.train.estimator import Estimator

ws = Workspace.from_config()
ds = ws.get_default_datastore()
train_ref = ds.path("mnist/train").as_mount()
est = Estimator(source_directory="src", entry_script="train.py", compute_target="cpu-cluster",
                inputs=[ds.path("mnist/labels").as_download()],
                script_params={"--train": train_ref, "--test": ds.path("mnist/test").as_mount()})
