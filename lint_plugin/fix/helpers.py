"""Small private functions a rewrite adds to the module it migrates, for what only run time knows.

An estimator converted ``script_params`` and registered its ``inputs`` when it was built (SDK_FACTS.md
sections 3 and 7). Where the dict or the list is only known at run time (a function's parameter, an
attribute, a dict filled in a loop), the rewrite calls one of these, which apply the SDK's own
algorithm to the value then. They are plain code against the public SDK classes: the migrated module
does not depend on aml-migrate. Each is added once, after the module's imports, and only when used.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Helper:
    name: str
    source: str  # the whole ``def``, without a final blank line


_DATA_IMPORTS = """\
    from azureml.data.azure_storage_datastore import AbstractAzureStorageDatastore
    from azureml.data.data_reference import DataReference
    from azureml.data.dataset_consumption_config import DatasetConsumptionConfig
"""

ARGUMENTS = Helper("_estimator_arguments", '''\
def _estimator_arguments(script_params, run_config):
    """The arguments an azureml estimator made of script_params: keys and values in order, lists
    flattened, None and '' dropped; DataReferences, Datastores and datasets become their placeholders
    and are registered in run_config as the estimator registered them. (Added by aml-migrate.)"""
    from collections.abc import Iterable

''' + _DATA_IMPORTS + '''\
    from azureml.data.output_dataset_config import OutputDatasetConfig

    def processed(item):
        if isinstance(item, AbstractAzureStorageDatastore):
            item = item._get_data_reference()
        if isinstance(item, DataReference):
            run_config.data_references[item.data_reference_name] = item.to_config()
            return str(item)
        if isinstance(item, DatasetConsumptionConfig):
            run_config.data[item.name] = item
            if item.mode.lower() in ("mount", "download"):
                return "DatasetConsumptionConfig:" + item.name
        if isinstance(item, OutputDatasetConfig):
            run_config.output_data[item.name] = item._to_output_data()
            return "DatasetOutputConfig:" + item.name
        return item

    pairs = {}
    for key, value in (script_params or {}).items():
        key = processed(key)
        pairs[key] = processed(value)
    arguments = []
    for key, value in pairs.items():
        arguments.append(key)
        if isinstance(value, Iterable) and not isinstance(value, str):
            arguments.extend(str(item) if isinstance(item, Iterable) else item for item in value)
        else:
            arguments.append(value)
    return [item for item in arguments if item is not None and item != ""]''')

INPUTS = Helper("_register_estimator_inputs", '''\
def _register_estimator_inputs(inputs, run_config):
    """Register an azureml estimator's inputs in run_config as the estimator did: DataReferences and
    Datastores in data_references, datasets in data. (Added by aml-migrate.)"""
''' + _DATA_IMPORTS + '''
    for item in inputs or []:
        if isinstance(item, AbstractAzureStorageDatastore):
            item = item._get_data_reference()
        if isinstance(item, DataReference):
            run_config.data_references[item.data_reference_name] = item.to_config()
        elif isinstance(item, DatasetConsumptionConfig):
            run_config.data[item.name] = item
        else:
            raise TypeError("Type {0} is not supported for inputs.".format(type(item)))''')

SWEEP = Helper("_hyperdrive_run_config", '''\
def _hyperdrive_run_config(config, hyperparameter_sampling):
    """The job HyperDrive ran for an estimator: the same, less the arguments (read as key/value pairs)
    its parameter space also sets. HyperDrive dropped those for estimators only, not for a
    ScriptRunConfig. (Added by aml-migrate.)"""
    from azureml.core import ScriptRunConfig

    tuned = {name.lstrip("-") for name in hyperparameter_sampling.to_json()["parameter_space"]}
    arguments = list(config.arguments or [])
    pairs = dict(zip(arguments[::2], arguments[1::2]))
    if not any(key.lstrip("-") in tuned for key in pairs):
        return config
    kept = [item for key, value in pairs.items() if key.lstrip("-") not in tuned for item in (key, value)]
    return ScriptRunConfig(config.source_directory, config.script,
                           arguments=[item for item in kept if item is not None and item != ""],
                           run_config=config.run_config)''')

COMMAND = Helper("_estimator_command", '''\
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
    return " ".join(["python", shlex.quote(str(script)), *words]), inputs''')

BY_NAME = {helper.name: helper for helper in (ARGUMENTS, INPUTS, SWEEP, COMMAND)}


def definitions(names: set[str], newline: str = "\n") -> str:
    """The helpers' source, in a fixed order, two blank lines between them (PEP 8's spacing)."""
    chosen = [helper.source.replace("\n", newline) for helper in (ARGUMENTS, INPUTS, SWEEP, COMMAND)
              if helper.name in names]
    return (newline * 3).join(chosen) + newline if chosen else ""
