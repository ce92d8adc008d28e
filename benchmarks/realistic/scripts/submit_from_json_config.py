# Launch the distributed BERT pretraining job described in run_config.json.
import json
import os

from azureml.core import Experiment, Workspace
from azureml.core.compute import AmlCompute
from azureml.train.dnn import Mpi, TensorFlow

HERE = os.path.dirname(os.path.abspath(__file__))

with open(os.path.join(HERE, "run_config.json")) as handle:
    cfg = json.load(handle)

ws = Workspace.from_config()
compute = AmlCompute(ws, cfg["compute_name"])

script_params = {
    "--epochs": cfg["epochs"],
    "--train-batch-size": cfg["batch_size"],
    "--max-seq-length": cfg.get("max_seq_length", 128),
}
if cfg.get("fp16"):
    script_params["--fp16"] = ""
if cfg.get("output_dir"):
    script_params["--output-dir"] = cfg["output_dir"]

estimator = TensorFlow(
    source_directory=os.path.join(HERE, "pretrain"),
    entry_script="run_pretraining.py",
    script_params=script_params,
    compute_target=compute,
    node_count=cfg["nodes"],
    distributed_training=Mpi(process_count_per_node=cfg["gpus_per_node"]),
    framework_version=cfg["tf_version"],
    use_gpu=True,
    pip_packages=["horovod==0.19.1", "sentencepiece"],
)

experiment = Experiment(workspace=ws, name=cfg["experiment"])
run = experiment.submit(estimator, tags={"config": os.path.basename(cfg.get("name", "default"))})
run.wait_for_completion(show_output=False)
print(run.get_metrics())
