"""`aml-migrate dry-run SUBMIT.py`: run the migrated job locally, in a real container.

Importing this module must stay cheap (the CLI imports it to build its parser): everything
heavy, the docker package above all, is imported inside `run`."""

from __future__ import annotations

import argparse
import ast
import json
import sys
from contextlib import ExitStack
from pathlib import Path
from typing import Any

DEFAULT_MAX_RANKS = 8
DEFAULT_CAPTURE_TIMEOUT = 120
ENV_STYLES = ("exact", "curated")  # the fixer's own choices (lint_plugin.fix.api.ENV_STYLES)
TARGETS = ("scriptrunconfig", "v2")  # lint_plugin.dryrun.migrate.TARGETS, without importing it


def configure_parser(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "submit", metavar="SUBMIT.py", help="control script (.py or .ipynb) that submits the job"
    )
    parser.add_argument(
        "--plan",
        action="store_true",
        help="print the resolved run spec and the exact engine calls as JSON; run nothing",
    )
    parser.add_argument(
        "--engine",
        choices=("auto", "docker", "podman", "local"),
        default="auto",
        help="container engine (Docker API: DOCKER_HOST, docker context, usual sockets), "
        "or 'local' to run the script as a subprocess without isolation",
    )
    parser.add_argument("--job", metavar="NAME|LINE",
                        help="which job (ScriptRunConfig, estimator or azure-ai-ml command), when there are "
                        "several")
    parser.add_argument("--image", help="run in this image, whatever the environment says")
    parser.add_argument(
        "--data",
        action="append",
        default=[],
        metavar="NAME=PATH",
        help="local folder for a data input (by reference/dataset name or argument flag)",
    )
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        dest="sets",
        help="value for a name that cannot be resolved statically (Python literal or text); with "
        "--capture, a hyperparameter of a HyperDrive sweep",
    )
    parser.add_argument(
        "--timeout",
        type=int,
        metavar="SECONDS",
        help="kill the job after this long (max_run_duration_seconds also applies)",
    )
    parser.add_argument("--output", metavar="DIR", help="run folder (default .aml-dry-run/<run id>/)")
    parser.add_argument(
        "--wheelhouse", metavar="DIR",
        help="install the environment's packages (and the capture sandbox's SDK) offline from here"
    )
    parser.add_argument(
        "--network", metavar="MODE", help="container network for a single-node job (default: none)"
    )
    parser.add_argument(
        "--memory",
        metavar="SIZE",
        help="memory limit of each container: bytes, or a number with k, m or g (e.g. 512m, 2g)",
    )
    parser.add_argument(
        "--cpus", type=float, metavar="N", help="CPU limit of each container (e.g. 1.5)"
    )
    parser.add_argument(
        "--pass-env",
        action="append",
        default=[],
        metavar="NAME",
        dest="pass_env",
        help="pass this variable of your environment into the job and the capture sandbox "
        "(repeatable; by default none is)",
    )
    parser.add_argument(
        "--max-ranks",
        type=int,
        default=DEFAULT_MAX_RANKS,
        metavar="N",
        help=f"cap the processes of a distributed simulation (default {DEFAULT_MAX_RANKS})",
    )
    parser.add_argument(
        "--no-run-shim", action="store_true", help="do not provide the offline Run.get_context() stand-in"
    )
    parser.add_argument(
        "--env-style",
        choices=ENV_STYLES,
        default="exact",
        help="how estimator code is migrated in memory (as `aml-migrate fix --env-style`; default exact: "
        "the estimator's own image and packages)",
    )
    parser.add_argument(
        "--target",
        choices=TARGETS,
        default="scriptrunconfig",
        help="what v1 job code is migrated to in memory, as `aml-migrate fix --target`: scriptrunconfig "
        "(default), or v2 to dry-run the script as its azure-ai-ml command job would run",
    )
    capture = parser.add_argument_group(
        "capture mode",
        "run SUBMIT.py itself (with azureml-core) in a sandbox, every submission recorded as the SDK "
        "serialises it and nothing sent; its own arguments go after --",
    )
    capture.add_argument(
        "--capture", action="store_true", help="capture the run spec by running the submit script"
    )
    capture.add_argument(
        "--python",
        metavar="PATH",
        help="run the submit script in a subprocess with this interpreter (it needs azureml-core); "
        "default: a container when an engine is there, else this Python",
    )
    capture.add_argument(
        "--capture-image",
        metavar="IMAGE",
        help="base image of the capture sandbox; azureml-core is added on top once "
        "(default python:3.11-slim)",
    )
    capture.add_argument(
        "--capture-timeout",
        type=int,
        default=DEFAULT_CAPTURE_TIMEOUT,
        metavar="SECONDS",
        help=f"stop the submit script after this long (default {DEFAULT_CAPTURE_TIMEOUT})",
    )
    parser.epilog = "Arguments after -- are the submit script's: its argparse defaults are overridden " \
                    "with them, and with --capture it gets them in sys.argv."
    _split_script_arguments(parser)


def _split_script_arguments(parser: argparse.ArgumentParser) -> None:
    """Everything after the first `--` belongs to the submit script (`dry-run SUBMIT.py --plan -- --lr
    0.2`): argparse alone would refuse options there once SUBMIT.py is taken."""
    parse = parser.parse_known_args

    def parse_known_args(args: Any = None, namespace: Any = None) -> Any:
        given = list(sys.argv[1:] if args is None else args)
        split = given.index("--") if "--" in given else len(given)
        mine, script = given[:split], given[split + 1:]
        parsed, extra = parse(mine, namespace)
        parsed.script_args = script
        return parsed, extra

    parser.parse_known_args = parse_known_args  # type: ignore[method-assign]


def run(args: argparse.Namespace) -> int:
    from .spec import DryRunError

    from .waiting import INTERRUPT_EXIT

    try:
        return _run(args)
    except DryRunError as exc:
        print(f"aml-migrate dry-run: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        # Outside the wait loop (building, creating); the runners have removed what they made.
        print("aml-migrate dry-run: interrupted", file=sys.stderr)
        return INTERRUPT_EXIT


def _literal(text: str) -> Any:
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text


def _run(args: argparse.Namespace) -> int:
    from .data import parse_pairs
    from .extract import load_spec
    from .plan import new_run_folder

    overrides = {name: _literal(value) for name, value in parse_pairs(args.sets, "--set").items()}
    _check_capture_options(args)
    folder = new_run_folder(args.output)
    with ExitStack() as stack:  # the capture's copy of the project lives until the snapshot is taken
        if args.capture:
            spec = _captured_spec(args, overrides, folder.run_id, stack)
            if spec is None:  # --plan listed the submissions to choose from
                return 0
        else:
            spec = load_spec(Path(args.submit), args.job, overrides, args.env_style, args.script_args,
                             args.target)
        return _run_spec(args, spec, folder)


def _check_capture_options(args: argparse.Namespace) -> None:
    from .spec import DryRunError

    if not args.capture:
        given = [name for name, value in (("--python", args.python), ("--capture-image", args.capture_image))
                 if value]
        if given:
            raise DryRunError(f"{', '.join(given)}: only with --capture")
    elif args.capture_timeout < 1:
        raise DryRunError("--capture-timeout must be at least 1 second")
    if args.python:
        import shutil

        found = shutil.which(args.python)
        if found is None:
            raise DryRunError(f"--python {args.python}: no such interpreter")
        args.python = found


def _captured_spec(args: argparse.Namespace, overrides: dict[str, Any], run_id: str, stack: ExitStack) -> Any:
    from .capture import CaptureRequest, capture
    from .captured import choose, listing, several, spec_from
    from .plan import passed_variables

    request = CaptureRequest(
        submit=Path(args.submit),
        argv=args.script_args,
        env_style=args.env_style,
        target=args.target,
        python=args.python,
        engine=args.engine,
        capture_image=args.capture_image,
        wheelhouse=Path(args.wheelhouse).resolve() if args.wheelhouse else None,
        timeout=args.capture_timeout,
        pass_env=passed_variables(args.pass_env),
        run_id=run_id,
    )
    captured = capture(request, stack, sys.stderr)
    record = choose(captured, args.job)
    if record is None and args.plan:
        print(json.dumps(listing(captured), indent=2))
        print("dry-run: several submissions: choose one with --job N", file=sys.stderr)
        return None
    if record is None:
        raise several(captured)
    print(f"dry-run: captured {len(captured.submissions)} submission(s); using {record['index']}",
          file=sys.stderr)
    return spec_from(record, captured, overrides)


def _run_spec(args: argparse.Namespace, spec: Any, folder: Any) -> int:
    from .data import map_inputs, parse_pairs
    from .guard import refuse_output
    from .layout import cap
    from .spec import DryRunError

    named = (Path(spec.submit_path).parent / spec.source_directory).resolve()
    # With --capture the snapshot comes from the sandbox's copy: what the submit script left there.
    source_directory: Path | None = Path(spec.snapshot_from) if spec.snapshot_from else named
    where = spec.where
    if spec.sdk == "v2" and not spec.source_directory:
        source_directory = None  # no code=: the command runs in an empty folder, as on the service
    elif not source_directory.is_dir():  # type: ignore[union-attr]
        raise DryRunError(f"{where}: source directory {named} does not exist")
    elif spec.shell_command is None and not (source_directory / spec.script).is_file():  # type: ignore
        raise DryRunError(f"{where}: script {spec.script} not found in {named}")
    if args.max_ranks < 1:
        raise DryRunError("--max-ranks must be at least 1")
    spec.distributed, notes = cap(spec.distributed, args.max_ranks)
    spec.notes.extend(notes)
    if args.network and spec.distributed is not None:
        spec.notes.append(f"--network {args.network} ignored: distributed nodes get a private network")
    if args.output:
        refuse_output(Path(args.output), named)
    folders, warnings = map_inputs(spec.inputs, parse_pairs(args.data, "--data"), spec.where)
    plan = _plan(args, spec, folders, folder)
    if args.plan:
        print(json.dumps(plan.to_json(), indent=2, default=str))
        return 0
    for message in [*warnings, *spec.notes, *plan.image.notes]:
        print(f"dry-run: warning: {message}", file=sys.stderr)
    return _execute(args, plan, source_directory)


def _plan(args: argparse.Namespace, spec: Any, folders: dict[str, Path | None], folder: Any) -> Any:
    from .image import ImagePlan, project_images, resolve_image
    from .plan import (
        container_plan,
        local_plan,
        passed_variables,
        resource_limits,
        time_limit,
    )

    data_folders = {key: path or folder.data / key for key, path in folders.items()}
    limit = time_limit(spec, args.timeout)
    shim = not args.no_run_shim
    resources = resource_limits(args.memory, args.cpus)
    pass_env = passed_variables(args.pass_env)
    if args.engine == "local":
        ignored = [option for option, value in (("--image", args.image), ("--wheelhouse", args.wheelhouse),
                                                ("--network", args.network), ("--memory", args.memory),
                                                ("--cpus", args.cpus)) if value]
        if ignored:
            spec.notes.append(f"{', '.join(ignored)} ignored by --engine local (no image, no container)")
        image = ImagePlan("(none)", "--engine local runs on this machine without an image")
        return local_plan(spec, image, folder, data_folders, sys.executable, shim, limit)
    images, _ = project_images(Path(spec.submit_path).resolve().parent)
    wheelhouse = Path(args.wheelhouse).resolve() if args.wheelhouse else None
    image = resolve_image(spec.environment, args.image, images, wheelhouse)
    return container_plan(
        spec, image, folder, data_folders, args.network, shim, limit, resources, pass_env
    )


def _execute(args: argparse.Namespace, plan: Any, source_directory: Path | None) -> int:
    from .folder import prepare

    out = sys.stdout
    if args.engine == "local":
        from .local import LocalRunner

        print(
            "dry-run: engine local: NO isolation; the script runs on this machine, as you, "
            f"with {sys.executable}",
            file=sys.stderr,
        )
        prepare(plan, source_directory, link_outputs=True)
        code = LocalRunner(plan, out).run()
    else:
        from .engine import ContainerRunner, connect

        client = connect(args.engine)
        prepare(plan, source_directory, link_outputs=False)
        what = plan.node_specs[0]["command"] or plan.spec.script
        print(f"dry-run: running {what} in {plan.image.image} ({len(plan.layout.nodes)} container(s))",
              file=sys.stderr)
        code = ContainerRunner(client, plan, out).run()
    print(f"dry-run: job exited with {code}; outputs and logs in {plan.folder.root}", file=sys.stderr)
    return code
