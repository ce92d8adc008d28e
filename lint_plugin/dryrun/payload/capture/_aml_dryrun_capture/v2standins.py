"""Offline stand-ins for azure-ai-ml's `MLClient`: nothing reaches the network, nothing is submitted.

The patches sit on the SDK's own class, so `MLClient(...)`, `MLClient.from_config(...)` and any import
path give an offline client. `ml_client.jobs.create_or_update(job)` (and `ml_client.create_or_update(job)`)
records the job; `ml_client.environments` keeps what the script registers, so a job that names a
registered environment (`"my-env:1"`) gets its contents. Other operation groups accept any call and
return stand-ins (`ml_client.data.get(...)` an asset whose path is remote: give it with --data)."""

from _aml_dryrun_capture.standins import StandIn, _read_config


class SubmittedJob(StandIn):
    """What `jobs.create_or_update` returns: the job that was recorded, never started."""

    def __init__(self, job, index):
        StandIn.__init__(self, "job")
        self.name = "dryrun-submission-%d" % index
        self.display_name = getattr(job, "display_name", None) or self.name
        self.experiment_name = getattr(job, "experiment_name", None)
        self.status = "Completed"
        self.studio_url = "(aml-migrate dry-run: nothing was submitted)"
        self.id = self.name


class _Poller(StandIn):
    def __init__(self, value):
        StandIn.__init__(self, "poller")
        self._value = value

    def result(self, *args, **kwargs):
        return self._value

    def done(self):
        return True


class OfflineJobs(StandIn):
    def __init__(self, client):
        StandIn.__init__(self, "ml_client.jobs")
        self._client = client

    def create_or_update(self, job, *args, **kwargs):
        return self._client._aml_dryrun_submit(job, kwargs)

    def stream(self, *args, **kwargs):
        return None

    def list(self, *args, **kwargs):
        return iter(())


class OfflineEnvironments(StandIn):
    """Environments the script registers, by name; `get` of any other name is a reference to it."""

    def __init__(self):
        StandIn.__init__(self, "ml_client.environments")
        self.registered = {}

    def create_or_update(self, environment, *args, **kwargs):
        if getattr(environment, "version", None) is None:
            environment.version = "1"
        self.registered[environment.name] = environment
        return environment

    def get(self, name, version=None, label=None, *args, **kwargs):
        if name in self.registered:
            return self.registered[name]
        from azure.ai.ml.entities import Environment

        environment = Environment(name=name, version=version)
        reference = "%s:%s" % (name, version) if version is not None else "%s@%s" % (name, label or "latest")
        object.__setattr__(environment, "_aml_dryrun_reference", reference)
        return environment

    def list(self, *args, **kwargs):
        return iter(self.registered.values())


class _DataAsset(StandIn):
    def __init__(self, name, version, label):
        StandIn.__init__(self, "data asset %s" % name)
        self.name = name
        self.version = version or "1"
        self.id = ("azureml:%s:%s" % (name, version) if version
                   else "azureml:%s@%s" % (name, label or "latest"))
        self.path = self.id
        self.type = "uri_folder"


class OfflineData(StandIn):
    def __init__(self):
        StandIn.__init__(self, "ml_client.data")

    def get(self, name, version=None, label=None, *args, **kwargs):
        return _DataAsset(name, version, label)


class V2StandIns(object):
    def __init__(self, config, record):
        self.config = config
        self.record = record  # callable(job, settings, environments) -> index of the submission

    def install(self):
        from azure.ai.ml import MLClient

        stand_ins = self
        defaults = self.config.get("workspace", {})

        def init(self, credential=None, subscription_id=None, resource_group_name=None, workspace_name=None,
                 *args, **kwargs):
            self._aml_dryrun_names = {
                "subscription_id": subscription_id or defaults.get("subscription_id"),
                "resource_group_name": resource_group_name or defaults.get("resource_group"),
                "workspace_name": workspace_name or defaults.get("workspace_name"),
            }
            self._aml_dryrun_groups = {"jobs": OfflineJobs(self), "environments": OfflineEnvironments(),
                                       "data": OfflineData()}

        def from_config(cls, credential=None, *args, **kwargs):
            found = _read_config(kwargs.get("path"), kwargs.get("file_name"))
            return cls(credential, found.get("subscription_id"), found.get("resource_group"),
                       found.get("workspace_name"))

        def submit(self, job, settings):
            environments = self._aml_dryrun_groups["environments"].registered
            index = stand_ins.record(job, settings, environments)
            return SubmittedJob(job, index)

        def create_or_update(self, entity, *args, **kwargs):
            if _is_job(entity):
                return submit(self, entity, kwargs)
            return entity

        def group(name):
            def get(self):
                groups = self._aml_dryrun_groups
                if name not in groups:
                    groups[name] = StandIn("ml_client.%s" % name)
                return groups[name]
            return property(get)

        MLClient.__init__ = init
        MLClient.from_config = classmethod(from_config)
        MLClient._aml_dryrun_submit = submit
        MLClient.create_or_update = create_or_update
        MLClient.begin_create_or_update = lambda self, entity, *args, **kwargs: _Poller(
            create_or_update(self, entity, **kwargs))
        for name, value in list(vars(MLClient).items()):
            if isinstance(value, property):
                if name in ("subscription_id", "resource_group_name", "workspace_name"):
                    setattr(MLClient, name, property(lambda self, key=name: self._aml_dryrun_names[key]))
                else:
                    setattr(MLClient, name, group(name))


def _is_job(entity):
    return type(entity).__name__ in ("Command", "Sweep", "CommandJob", "SweepJob")
