"""Framework estimators: version and CPU/GPU to base image, packages and curated environment.

Read from the SDK's scenario files (``azureml/train/estimator/scenarios/*.yml``, azureml-train-core
1.62.0) and the documented curated environment names (Azure ML docs, September 2020 list and the
estimator migration guide). ``curated`` is ``None`` where no curated environment was documented.
"""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_CPU_IMAGE = "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:20251130.v1"
DEFAULT_GPU_IMAGE = "mcr.microsoft.com/azureml/openmpi4.1.0-cuda11.8-cudnn8-ubuntu22.04"
FRAMEWORK_IMAGE_REGISTRY = "viennaprivate.azurecr.io"
SCENARIO_PYTHON = "python=3.6.2"


@dataclass(frozen=True)
class FrameworkEnvironment:
    framework: str
    version: str
    gpu: bool
    base_image: str
    pip: tuple[str, ...]
    curated: str | None

    @property
    def framework_image(self) -> str:
        return f"{self.framework.lower()}:{self.version}-{'gpu' if self.gpu else 'cpu'}"


@dataclass(frozen=True)
class Framework:
    name: str
    versions: tuple[str, ...]
    default_version: str
    backends: tuple[str, ...]


FRAMEWORKS: dict[str, Framework] = {
    "PyTorch": Framework("PyTorch", ("1.0", "1.1", "1.2", "1.3", "1.4", "1.5", "1.6"), "1.4",
                         ("mpi", "gloo", "nccl")),
    "TensorFlow": Framework("TensorFlow", ("1.10", "1.12", "1.13", "2.0", "2.1", "2.2", "2.3"), "1.13",
                            ("mpi", "ps")),
    "Chainer": Framework("Chainer", ("5.1.0", "7.0.0"), "5.1.0", ("mpi",)),
    "SKLearn": Framework("SKLearn", ("0.20.3",), "0.20.3", ()),
}
ESTIMATOR_BACKENDS: tuple[str, ...] = ("mpi",)

_INTEL_CPU = "mcr.microsoft.com/azureml/base:intelmpi2018.3-ubuntu16.04"
_INTEL_CPU_TAGGED = "mcr.microsoft.com/azureml/intelmpi2018.3-ubuntu16.04:20200423.v1"
_OPENMPI3_CPU = "mcr.microsoft.com/azureml/base:openmpi3.1.2-ubuntu16.04"
_CUDA10_GPU = "mcr.microsoft.com/azureml/base-gpu:openmpi3.1.2-cuda10.0-cudnn7-ubuntu16.04"
_CUDA11_GPU = "mcr.microsoft.com/azureml/base-gpu:openmpi4.1.0-cuda11.1-cudnn8-ubuntu20.04"
_TF_OPENMPI4_CPU = "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu20.04:20200423.v1"
_TF_CUDA11_GPU = "mcr.microsoft.com/azureml/openmpi4.1.0-cuda11.1-cudnn8-ubuntu20.04:20200423.v1"
_TORCH_EXTRAS = ("tensorboard==1.14.0", "future==0.17.1")
_DATASET_RUNTIME = "azureml-dataset-runtime[fuse,pandas]"


def _env(framework: str, version: str, gpu: bool, image: str, pip: tuple[str, ...],
         curated: str | None) -> FrameworkEnvironment:
    return FrameworkEnvironment(framework, version, gpu, image, ("azureml-defaults", *pip), curated)


def _torch(version: str, torch: str, vision: str, horovod: str, extras: tuple[str, ...],
           cpu_image: str, gpu_image: str) -> list[FrameworkEnvironment]:
    pip = (f"torch=={torch}", f"torchvision=={vision}", f"horovod=={horovod}", *extras)
    return [_env("PyTorch", version, gpu, gpu_image if gpu else cpu_image, pip,
                 f"AzureML-PyTorch-{version}-{'GPU' if gpu else 'CPU'}") for gpu in (False, True)]


def _tensorflow(version: str, cpu_image: str, gpu_image: str, tail: tuple[str, ...],
                dataset_runtime: bool, curated_cpu: bool = True) -> list[FrameworkEnvironment]:
    envs = []
    for gpu in (False, True):
        package = f"tensorflow{'-gpu' if gpu else ''}=={tail[0]}"
        pip = ((_DATASET_RUNTIME,) if dataset_runtime else ()) + (package, *tail[1:])
        curated = f"AzureML-TensorFlow-{version}-{'GPU' if gpu else 'CPU'}" if gpu or curated_cpu else None
        envs.append(_env("TensorFlow", version, gpu, gpu_image if gpu else cpu_image, pip, curated))
    return envs


_CHAINER_GPU_IMAGE = "mcr.microsoft.com/azureml/base-gpu:intelmpi2018.3-cuda9.0-cudnn7-ubuntu16.04"
_TF1_GPU_CUDA9 = "mcr.microsoft.com/azureml/intelmpi2018.3-cuda9.0-cudnn7-ubuntu16.04:20200704.v1"
_TF1_GPU_CUDA10 = "mcr.microsoft.com/azureml/intelmpi2018.3-cuda10.0-cudnn7-ubuntu16.04:20200704.v1"

ENVIRONMENTS: tuple[FrameworkEnvironment, ...] = (
    _env("Chainer", "5.1.0", False, _INTEL_CPU, ("chainer==5.1.0", "mpi4py==3.0.0"), "AzureML-Chainer-5.1.0-CPU"),
    _env("Chainer", "5.1.0", True, _CHAINER_GPU_IMAGE, ("chainer==5.1.0", "mpi4py==3.0.0", "cupy-cuda90==5.2.0"),
         "AzureML-Chainer-5.1.0-GPU"),
    _env("Chainer", "7.0.0", False, _INTEL_CPU, ("chainer==7.0.0", "mpi4py==3.0.0"), None),
    _env("Chainer", "7.0.0", True, _CHAINER_GPU_IMAGE, ("chainer==7.0.0", "mpi4py==3.0.0", "cupy-cuda90==7.0.0"),
         None),
    *_torch("1.0", "1.0", "0.4.1", "0.18.1", (), _INTEL_CPU, _CUDA10_GPU),
    *_torch("1.1", "1.1", "0.4.1", "0.18.1", _TORCH_EXTRAS, _INTEL_CPU, _CUDA10_GPU),
    *_torch("1.2", "1.2", "0.4.1", "0.18.1", _TORCH_EXTRAS, _INTEL_CPU, _CUDA10_GPU),
    *_torch("1.3", "1.3.1", "0.4.1", "0.18.1", _TORCH_EXTRAS, _INTEL_CPU, _CUDA11_GPU),
    *_torch("1.4", "1.4.0", "0.5.0", "0.18.1", _TORCH_EXTRAS, _OPENMPI3_CPU, _CUDA11_GPU),
    *_torch("1.5", "1.5.0", "0.5.0", "0.19.1", _TORCH_EXTRAS, _OPENMPI3_CPU, _CUDA11_GPU),
    *_torch("1.6", "1.6.0", "0.5.0", "0.19.5", _TORCH_EXTRAS, "mcr.microsoft.com/azureml/openmpi3.1.2-ubuntu16.04",
            "mcr.microsoft.com/azureml/openmpi4.1.0-cuda11.1-cudnn8-ubuntu20.04"),
    _env("SKLearn", "0.20.3", False, _INTEL_CPU_TAGGED, ("scikit-learn==0.20.3", "scipy==1.2.1", "joblib==0.13.2"),
         "AzureML-Scikit-learn-0.20.3"),
    *_tensorflow("1.10", _INTEL_CPU_TAGGED, _TF1_GPU_CUDA9, ("1.10.0", "horovod==0.15.2"), True),
    *_tensorflow("1.12", _INTEL_CPU_TAGGED, _TF1_GPU_CUDA9, ("1.12.0", "horovod==0.15.2"), True),
    *_tensorflow("1.13", _INTEL_CPU_TAGGED, _TF1_GPU_CUDA10, ("1.13.1", "horovod==0.16.1"), True),
    *_tensorflow("2.0", _TF_OPENMPI4_CPU, "mcr.microsoft.com/azureml/openmpi4.1.0-cuda11.1-cudnn8-ubuntu20.04"
                 ":20200704.v1", ("2.0.0", "horovod==0.18.1"), True),
    *_tensorflow("2.1", _TF_OPENMPI4_CPU, _TF_CUDA11_GPU, ("2.1.0", "horovod==0.19.1"), False),
    *_tensorflow("2.2", _TF_OPENMPI4_CPU, _TF_CUDA11_GPU, ("2.2.0", "horovod==0.19.5"), False),
    *_tensorflow("2.3", _TF_OPENMPI4_CPU, _TF_CUDA11_GPU, ("2.3.0", "cmake==3.18.2", "horovod==0.20.0"), False,
                 curated_cpu=False),
)

_BY_KEY: dict[tuple[str, str, bool], FrameworkEnvironment] = {
    (env.framework, env.version, env.gpu): env for env in ENVIRONMENTS
}


def framework_environment(framework: str, version: str | None, gpu: bool) -> FrameworkEnvironment | None:
    """The scenario a framework estimator uses; ``version=None`` means the class default."""
    spec = FRAMEWORKS.get(framework)
    if spec is None:
        return None
    return _BY_KEY.get((framework, version or spec.default_version, gpu))


def curated_environment(framework: str, version: str | None, gpu: bool) -> str | None:
    env = framework_environment(framework, version, gpu)
    return env.curated if env else None
