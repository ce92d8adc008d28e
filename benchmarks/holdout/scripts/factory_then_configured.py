"""Build the training estimator in one place, adjust it where it is used."""
import logging

from azureml.core import Experiment, Workspace
from azureml.train.dnn import PyTorch

log = logging.getLogger(__name__)


def make_estimator(target, entry, framework_version="1.6", **script_params):
    return PyTorch(source_directory="nlp",
                   entry_script=entry,
                   compute_target=target,
                   script_params={"--" + k.replace("_", "-"): v for k, v in script_params.items()},
                   framework_version=framework_version,
                   use_gpu=True)


def main():
    ws = Workspace.from_config()
    est = make_estimator(ws.compute_targets["nc6-cluster"], "finetune.py", max_seq_len=128, epochs=3)
    est.conda_dependencies.add_pip_package("transformers==4.2.2")
    est.run_config.environment.environment_variables["TOKENIZERS_PARALLELISM"] = "false"
    log.info("arguments: %s", " ".join(map(str, est.run_config.arguments)))
    run = Experiment(ws, "bert-finetune").submit(est)
    run.wait_for_completion(show_output=True)


if __name__ == "__main__":
    main()
