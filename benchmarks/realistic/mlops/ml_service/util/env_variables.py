"""Settings of the MLOps pipelines, read from the environment (a .env file locally, variables in CI)."""
import os
from dataclasses import dataclass

from dotenv import load_dotenv


@dataclass(frozen=True)
class Env:
    """Loads all environment variables into a predefined set of properties."""

    load_dotenv()

    workspace_name: str = os.environ.get("WORKSPACE_NAME", "")
    resource_group: str = os.environ.get("RESOURCE_GROUP", "")
    subscription_id: str = os.environ.get("SUBSCRIPTION_ID", "")
    compute_name: str = os.environ.get("AML_COMPUTE_CLUSTER_NAME", "train-cluster")
    vm_size: str = os.environ.get("AML_COMPUTE_CLUSTER_SKU", "STANDARD_NC6")
    vm_priority: str = os.environ.get("AML_CLUSTER_PRIORITY", "lowpriority")
    min_nodes: int = int(os.environ.get("AML_CLUSTER_MIN_NODES", 0))
    max_nodes: int = int(os.environ.get("AML_CLUSTER_MAX_NODES", 4))
    pipeline_name: str = os.environ.get("TRAINING_PIPELINE_NAME", "training-pipeline")
    experiment_name: str = os.environ.get("EXPERIMENT_NAME", "mlopspython")
    model_name: str = os.environ.get("MODEL_NAME", "text_classifier.pt")
    source_train_directory: str = os.environ.get("SOURCE_TRAIN_DIRECTORY", "text_classifier/training")
    train_script_path: str = os.environ.get("TRAIN_SCRIPT_PATH", "train.py")
    tf_version: str = os.environ.get("TF_VERSION", "2.0")
    use_gpu: bool = os.environ.get("USE_GPU", "true").lower() == "true"
    dataset_name: str = os.environ.get("DATASET_NAME", "support_tickets")
    datastore_name: str = os.environ.get("DATASTORE_NAME", "workspaceblobstore")
    max_total_runs: int = int(os.environ.get("HD_MAX_TOTAL_RUNS", 20))
    max_concurrent_runs: int = int(os.environ.get("HD_MAX_CONCURRENT_RUNS", 4))
