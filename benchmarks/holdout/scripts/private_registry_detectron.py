"""Detectron2 fine-tuning from a prebuilt image in the team's private registry."""
import os

from azureml.core import ContainerRegistry, Experiment, Workspace
from azureml.train.estimator import Estimator

ws = Workspace.from_config()

registry = ContainerRegistry()
registry.address = "visionteam.azurecr.io"
registry.username = os.environ["ACR_USERNAME"]
registry.password = os.environ["ACR_PASSWORD"]

images = ws.datastores["images"]

est = Estimator(source_directory="detectron_job",
                entry_script="finetune.py",
                compute_target=ws.compute_targets["nc12-cluster"],
                script_params={"--config-file": "configs/mask_rcnn_R_50_FPN_3x.yaml",
                               "--num-gpus": 2},
                custom_docker_image="trainers/detectron2:0.6-cu111",
                image_registry_details=registry,
                user_managed=True,
                environment_variables={"NCCL_DEBUG": "INFO", "OMP_NUM_THREADS": "1"},
                shm_size="16g",
                use_gpu=True,
                inputs=[images.path("coco2017").as_mount()])

run = Experiment(ws, "detectron2-finetune").submit(est)
print(run.get_portal_url())
