# Data references with explicit names, addressed through $AZUREML_DATAREFERENCE_ in the arguments.
from azureml.core import Datastore, Experiment, Workspace
from azureml.train.estimator import Estimator

ws = Workspace.from_config()
store = Datastore.get(ws, "training")

train_ref = store.path("mnist/train", data_reference_name="train_data").as_mount()
test_ref = store.path("mnist/test", data_reference_name="test_data").as_download(path_on_compute="/tmp/test")

est = Estimator(source_directory="mnist_job",
                entry_script="train.py",
                compute_target="cpu-cluster",
                script_params={"--train": "$AZUREML_DATAREFERENCE_train_data",
                               "--test": str(test_ref)},
                inputs=[train_ref, test_ref],
                source_directory_data_store=store,
                conda_packages=["scikit-learn"])

Experiment(ws, "mnist-refs").submit(est)
