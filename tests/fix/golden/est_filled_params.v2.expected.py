"""script_params completed after its literal (conditionally too), and use_gpu known only at run time."""
from azure.ai.ml import Input, MLClient, command
from azure.ai.ml.entities import Environment
from azure.identity import DefaultAzureCredential


def _estimator_command(script, script_params):
    """An azure-ai-ml command line for a script and the script_params of an azureml estimator, known only
    at run time: keys and values in order, lists flattened, None and '' dropped, each word quoted for the
    shell. An azure.ai.ml Input among the values becomes an input named after its key, written
    ${{inputs.NAME}} in the line; SDK v1 data raises. Returns the line and the inputs. (Added by aml-migrate.)"""
    import shlex
    from collections.abc import Iterable

    from azure.ai.ml import Input

    inputs = {}

    def word(key, item):
        if isinstance(item, Input):
            name = "".join(c if c.isalnum() else "_" for c in str(key).lstrip("-")) or "data"
            inputs[name] = item
            return "${{inputs.%s}}" % name
        if type(item).__module__.split(".")[0] == "azureml":
            raise TypeError(f"{key}: {type(item).__name__} is SDK v1 data; pass an azure.ai.ml Input instead")
        return shlex.quote(str(item))

    pairs = []
    for key, value in (script_params or {}).items():
        pairs.append((key, key))
        if isinstance(value, Iterable) and not isinstance(value, (str, Input)):
            pairs.extend((key, str(item) if isinstance(item, Iterable) else item) for item in value)
        else:
            pairs.append((key, value))
    words = [word(key, item) for key, item in pairs if item is not None and item != ""]
    return " ".join(["python", shlex.quote(str(script)), *words]), inputs


ws = MLClient.from_config(DefaultAzureCredential())
datastore = ws.datastores.get_default()
train = Input(type='uri_folder', path=f'azureml://datastores/{datastore.name}/paths/train', mode='ro_mount')
on_gpu = True

params = {"--alpha": 0.5, "--layers": [64, 32], "--choices": {"a": 1}}
params["--data"] = train
if on_gpu:
    params["--device"] = "cuda"
    params["--fp16"] = ""
params["--seed"] = None

est_env = Environment(
    image='mcr.microsoft.com/azureml/openmpi4.1.0-cuda11.8-cudnn8-ubuntu22.04',
    conda_file={
        'name': 'project_environment',
        'dependencies': ['python=3.8.13', {'pip': ['azureml-defaults']}],
        'channels': ['anaconda', 'conda-forge'],
    },
)
est_command, est_inputs = _estimator_command("train.py", params)
est = command(code="src", command=est_command, compute="gpu-cluster",
              environment=est_env,
              shm_size='2g',
              inputs=est_inputs)
