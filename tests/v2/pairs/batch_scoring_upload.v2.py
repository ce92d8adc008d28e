# batch_scoring_upload.v1.py migrated by hand to azure-ai-ml.
# declared: python.interpreterPath '/opt/conda/envs/scoring/bin/python': v2 runs the image's python (the image puts it first on PATH)
# declared: path_on_compute 'model' of the data reference model: v2 chooses the path, the script gets it as ${{inputs.model}}
from azure.ai.ml import Input, MLClient, Output, command
from azure.ai.ml.entities import Environment
from azure.identity import DefaultAzureCredential

ml_client = MLClient.from_config(DefaultAzureCredential())

env = Environment(image="myregistry.azurecr.io/team/scoring:1.4")  # user-managed: no conda file
src = command(
    code="scoring",
    command="python score.py --model ${{inputs.model}} --out ${{outputs.scores}} --batch 512",
    inputs={"model": Input(type="uri_folder", path="azureml://datastores/scoringstore/paths/models/v3",
                           mode="download")},
    outputs={"scores": Output(type="uri_folder", path="azureml://datastores/scoringstore/paths/outputs/scores",
                              mode="upload")},
    environment=env,
    environment_variables={"SCORING_MODE": "batch"},
    compute="cpu-cluster",
    shm_size="2g",
    timeout=3600,
)
run = ml_client.jobs.create_or_update(src, experiment_name="nightly-scoring")
print(run.studio_url)
