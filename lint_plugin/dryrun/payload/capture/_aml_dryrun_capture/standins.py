"""Offline stand-ins for what a submit script asks the Azure ML service: the workspace, datastores,
datasets, compute targets, environments, experiments. Everything else the SDK does runs as written.

The patches sit on the SDK's own classes, so `Workspace.from_config()`, `ws.datastores["x"]`,
`Datastore.get(ws, "x")` and `ComputeTarget(ws, "x")` all come back offline, whatever import path the
script used. A call that still reaches for the service fails at once with `ServiceAccess`, naming it."""

import json
import os


class ServiceAccess(RuntimeError):
    """The submit script asked the Azure ML service for something the stand-ins do not cover."""


class StandIn(object):
    """Whatever a submit script does with what the service would have returned after a submission
    (`run.wait_for_completion()`, `run.get_portal_url()`, ...): accepted, and nothing happens."""

    def __init__(self, label):
        self._label = label

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return StandIn("%s.%s" % (self._label, name))

    def __call__(self, *args, **kwargs):
        return StandIn("%s()" % self._label)

    def __getitem__(self, key):
        return StandIn("%s[%r]" % (self._label, key))

    def __iter__(self):
        return iter(())

    def __len__(self):
        return 0

    def __bool__(self):
        return True

    def __str__(self):
        return "<dry-run stand-in: %s>" % self._label

    __repr__ = __str__

    def __format__(self, spec):
        return str(self)


class SubmittedRun(StandIn):
    """What `Experiment.submit` returns: the run that was recorded, never started."""

    def __init__(self, experiment, index):
        StandIn.__init__(self, "run")
        self.id = "dryrun-submission-%d" % index
        self.number = index
        self.experiment = experiment

    def wait_for_completion(self, *args, **kwargs):
        return {"runId": self.id, "status": "Completed"}

    def get_status(self):
        return "Completed"

    def get_portal_url(self):
        return "(aml-migrate dry-run: nothing was submitted)"

    def get_metrics(self, *args, **kwargs):
        return {}

    def get_details(self, *args, **kwargs):
        return {"runId": self.id, "status": "Completed"}


class _Lookup(dict):
    """`ws.datastores` / `ws.compute_targets`: every name the script asks for exists."""

    def __init__(self, make):
        dict.__init__(self)
        self._make = make

    def __missing__(self, key):
        value = self[key] = self._make(key)
        return value

    def get(self, key, default=None):
        return self[key]


def _patch(owner, name, value, kind=None):
    setattr(owner, name, staticmethod(value) if kind == "static" else
            classmethod(value) if kind == "class" else value)


class StandIns(object):
    def __init__(self, config, record):
        self.config = config
        self.record = record  # callable(experiment, config_object) -> index of the submission
        self.curated = config.get("curated", {})
        self.datasets = 0

    def install(self):
        self._auth()
        self._workspace()
        self._datastores()
        self._datasets()
        self._compute()
        self._environments()
        self._experiments()

    # --- authentication: anything that would fetch a token fails at once, naming the call --------
    def _auth(self):
        from azureml.core.authentication import AbstractAuthentication

        class OfflineAuthentication(AbstractAuthentication):
            def __init__(self):
                pass

            def _refuse(self, *args, **kwargs):
                raise ServiceAccess("this call needs the Azure ML service; the dry-run capture runs "
                                    "offline and stands in only for workspace, datastores, datasets, "
                                    "compute targets, environments and Experiment.submit")

            get_authentication_header = _get_arm_token = _get_graph_token = _refuse
            _get_all_subscription_ids = signed_session = get_token = _refuse
            _get_azureml_client_token = _get_adal_auth_object = _refuse

        self.auth = OfflineAuthentication()
        for name in ("InteractiveLoginAuthentication", "ServicePrincipalAuthentication",
                     "MsiAuthentication", "AzureCliAuthentication"):
            import azureml.core.authentication as module

            cls = getattr(module, name, None)
            if cls is not None:
                _patch(cls, "__init__", lambda self, *args, **kwargs: None)
                for method in ("get_authentication_header", "_get_arm_token", "get_token", "signed_session"):
                    setattr(cls, method, OfflineAuthentication._refuse)

    # --- workspace ---------------------------------------------------------------------------
    def _workspace(self):
        from azureml.core._portal import HasWorkspacePortal
        from azureml.core.workspace import Workspace

        stand_ins = self
        original_init = Workspace.__init__
        defaults = self.config.get("workspace", {})

        def init(self, subscription_id=None, resource_group=None, workspace_name=None, *args, **kwargs):
            original_init(self, subscription_id or defaults.get("subscription_id"),
                          resource_group or defaults.get("resource_group"),
                          workspace_name or defaults.get("workspace_name"),
                          auth=stand_ins.auth, _location="dryrun", _disable_service_check=True)

        def from_config(path=None, auth=None, _logger=None, _file_name=None):
            found = _read_config(path, _file_name)
            return Workspace(found.get("subscription_id"), found.get("resource_group"),
                             found.get("workspace_name"))

        def get(name, auth=None, subscription_id=None, resource_group=None, *args, **kwargs):
            return Workspace(subscription_id, resource_group, name)

        def create(name, *args, **kwargs):
            return get(name, **_only(kwargs, "subscription_id", "resource_group"))

        _patch(Workspace, "__init__", init)
        _patch(HasWorkspacePortal, "_get_portal_domain", lambda workspace: "https://ml.azure.com", "static")
        _patch(Workspace, "from_config", from_config, "static")
        _patch(Workspace, "get", get, "static")
        _patch(Workspace, "create", create, "static")
        _patch(Workspace, "list", lambda *args, **kwargs: {}, "static")
        _patch(Workspace, "get_details", lambda self: {"name": self.name, "location": "dryrun"})
        _patch(Workspace, "write_config", lambda self, *args, **kwargs: None)
        Workspace.datastores = property(lambda self: _Lookup(lambda name: stand_ins.datastore(self, name)))
        Workspace.compute_targets = property(lambda self: _Lookup(lambda name: stand_ins.compute(self, name)))
        Workspace.environments = property(
            lambda self: dict((name, stand_ins.environment(name)) for name in stand_ins.curated))

    # --- datastores ----------------------------------------------------------------------------
    def datastore(self, workspace, name):
        from azureml.data.azure_storage_datastore import AzureBlobDatastore

        return AzureBlobDatastore(workspace, name, "dryrun-container", "dryrunaccount")

    def _datastores(self):
        from azureml.data.datastore_client import _DatastoreClient

        stand_ins = self

        def named(workspace, datastore_name, *args, **kwargs):
            return stand_ins.datastore(workspace, datastore_name)

        _patch(_DatastoreClient, "get", named, "static")
        _patch(_DatastoreClient, "get_default",
               lambda workspace: stand_ins.datastore(workspace, "workspaceblobstore"), "static")
        _patch(_DatastoreClient, "list", lambda workspace, *args, **kwargs: [], "static")
        _patch(_DatastoreClient, "set_default", lambda *args, **kwargs: None, "static")
        for name in dir(_DatastoreClient):
            if name.startswith("register_"):
                _patch(_DatastoreClient, name, named, "static")

    # --- datasets ------------------------------------------------------------------------------
    def dataset(self, workspace, cls, name=None, origin=None):
        from azureml.data.abstract_dataset import _DatasetRegistration

        self.datasets += 1
        dataset = cls()
        dataset._registration = _DatasetRegistration(
            workspace, "dryrun-dataset-%d" % self.datasets, registered_id=name and "dryrun-%s" % name,
            name=name, version=1 if name else None)
        dataset._aml_dryrun_origin = origin
        return dataset

    def _datasets(self):
        from azureml.data.abstract_dataset import AbstractDataset
        from azureml.data.dataset_factory import FileDatasetFactory, TabularDatasetFactory
        from azureml.data.file_dataset import FileDataset
        from azureml.data.tabular_dataset import TabularDataset

        stand_ins = self

        def by_name(workspace, name, version="latest", **kwargs):
            return stand_ins.dataset(workspace, FileDataset, name=name)

        def factory(cls):
            def make(path=None, *args, **kwargs):
                store = _first_store(path)
                return stand_ins.dataset(getattr(store, "workspace", None), cls, origin=_describe_path(path))
            return make

        def register(self, workspace, name, *args, **kwargs):
            self._registration.name = name
            self._registration.workspace = workspace
            return self

        _patch(AbstractDataset, "get_by_name", by_name, "static")
        _patch(AbstractDataset, "_get_by_name", by_name, "static")
        _patch(AbstractDataset, "get_by_id",
               lambda workspace, id, **kwargs: stand_ins.dataset(workspace, FileDataset), "static")
        _patch(AbstractDataset, "register", register)
        _patch(AbstractDataset, "_ensure_saved_internal", lambda self, workspace: self._registration.saved_id)
        _patch(AbstractDataset, "_track_output_reference_lineage", lambda *args, **kwargs: None, "static")
        _patch(FileDatasetFactory, "from_files", factory(FileDataset), "static")
        for name in ("from_delimited_files", "from_parquet_files", "from_json_lines_files", "from_sql_query"):
            _patch(TabularDatasetFactory, name, factory(TabularDataset), "static")

    # --- compute targets -----------------------------------------------------------------------
    def compute(self, workspace, name, cls=None):
        from azureml.core.compute import AmlCompute

        target = object.__new__(cls if cls is not None and cls._compute_type else AmlCompute)
        target.workspace, target.name, target.id, target.tags = workspace, name, None, None
        target.type = type(target)._compute_type
        target.location = target.cluster_location = "dryrun"
        target.provisioning_state = "Succeeded"
        return target

    def _compute(self):
        from azureml.core.compute import ComputeTarget

        stand_ins = self

        def new(cls, workspace=None, name=None):
            return stand_ins.compute(workspace, name, cls)

        _patch(ComputeTarget, "__new__", new)
        _patch(ComputeTarget, "__init__", lambda self, *args, **kwargs: None)
        _patch(ComputeTarget, "create", lambda workspace, name, configuration=None, **kwargs:
               stand_ins.compute(workspace, name), "static")
        _patch(ComputeTarget, "attach", lambda workspace, name, *args, **kwargs:
               stand_ins.compute(workspace, name), "static")
        _patch(ComputeTarget, "list", lambda workspace: [], "static")
        _patch(ComputeTarget, "wait_for_completion", lambda self, *args, **kwargs: None)
        _patch(ComputeTarget, "get_status", lambda self, *args, **kwargs: StandIn("compute status"))
        _patch(ComputeTarget, "delete", lambda self, *args, **kwargs: None)

    # --- environments --------------------------------------------------------------------------
    def environment(self, name):
        """A curated environment as the service defines it (base image and conda/pip packages), or,
        for a name the dry run does not know, an empty one that remembers its name."""
        from azureml.core import Environment
        from azureml.core.conda_dependencies import CondaDependencies

        env = Environment(name)
        env._environment_variables = {}  # not the example variable a new Environment carries
        known = self.curated.get(name)
        if known:
            env.docker.base_image = known["base_image"]
            deps = CondaDependencies()
            deps.set_python_version(known["python"])
            deps.set_pip_requirements(list(known["pip"]))
            env.python.conda_dependencies = deps
        else:  # only what the script adds is known
            env.docker.base_image = None
            env.python.conda_dependencies.set_pip_requirements([])
        object.__setattr__(env, "_aml_dryrun_curated", name)  # images are pinned by it (clone keeps it)
        return env

    def _environments(self):
        from azureml.core import Environment

        stand_ins = self
        _patch(Environment, "get", lambda workspace, name, version=None, label=None:
               stand_ins.environment(name), "static")
        _patch(Environment, "list", lambda workspace: dict(
            (name, stand_ins.environment(name)) for name in stand_ins.curated), "static")
        _patch(Environment, "register", lambda self, workspace: self)
        clone = Environment.clone

        def curated_clone(self, new_name):
            copy = clone(self, new_name)
            if getattr(self, "_aml_dryrun_curated", None):
                object.__setattr__(copy, "_aml_dryrun_curated", self._aml_dryrun_curated)
            return copy

        _patch(Environment, "clone", curated_clone)
        for name in ("build", "build_local", "get_image_details"):
            _patch(Environment, name, lambda self, *args, **kwargs: StandIn("environment build"))

    # --- experiments and submissions ------------------------------------------------------------
    def _experiments(self):
        from azureml.core import Experiment

        stand_ins = self

        def init(self, workspace, name, *args, **kwargs):
            self._workspace, self._name = workspace, name
            self._id = self._archived_time = None
            self._extract_from_dto(None)
            super(Experiment, self).__init__(experiment=self, _ident="Experiment#" + name)

        def submit(self, config, tags=None, **kwargs):
            index = stand_ins.record(self, config)
            return SubmittedRun(self, index)

        _patch(Experiment, "__init__", init)
        _patch(Experiment, "submit", submit)
        _patch(Experiment, "list", lambda workspace, *args, **kwargs: [], "static")
        _patch(Experiment, "get_runs", lambda self, *args, **kwargs: iter(()))


def _only(mapping, *names):
    return dict((key, value) for key, value in mapping.items() if key in names)


def _read_config(path, file_name):
    """The workspace config `Workspace.from_config()` would read, if there is one; else defaults."""
    candidates = []
    names = [file_name] if file_name else ["config.json"]
    start = os.path.abspath(path or os.getcwd())
    if os.path.isfile(start):
        candidates.append(start)
    folder = start if os.path.isdir(start) else os.path.dirname(start)
    while True:
        for name in names:
            candidates += [os.path.join(folder, name), os.path.join(folder, ".azureml", name)]
        parent = os.path.dirname(folder)
        if parent == folder:
            break
        folder = parent
    for candidate in candidates:
        try:
            with open(candidate) as handle:
                found = json.load(handle)
        except (OSError, ValueError):
            continue
        if isinstance(found, dict):
            return dict((key.replace("-", "_"), value) for key, value in found.items())
    return {}


def _first_store(path):
    items = path if isinstance(path, (list, tuple)) else [path]
    for item in items:
        if isinstance(item, tuple) and item:
            return item[0]
        if hasattr(item, "datastore"):
            return item.datastore
    return None


def _describe_path(path):
    items = path if isinstance(path, list) else [path]
    described = []
    for item in items:
        if isinstance(item, tuple) and len(item) == 2:
            described.append("%s:%s" % (getattr(item[0], "name", item[0]), item[1]))
        elif hasattr(item, "datastore"):
            described.append("%s:%s" % (item.datastore.name, item.path_on_datastore))
        else:
            described.append(str(item))
    return ", ".join(described)
