"""``aml-migrate fix PATH... [--diff] [--check] [--safe-only] [--env-style curated|exact]
[--target scriptrunconfig|v2] [-j N]``.

Only argparse is imported at module level: the CLI builds its parser from here for every command,
and ``check`` must not pay for libcst.
"""

from __future__ import annotations

import argparse
import os
import sys

from .plan import ENV_STYLES, TARGETS

EXIT_CLEAN, EXIT_CHANGES, EXIT_ERROR = 0, 1, 2


def configure_parser(parser: argparse.ArgumentParser) -> None:
    parser.description = ("Rewrite deprecated Azure ML SDK v1 estimator code into ScriptRunConfig + Environment "
                          "(with --target v2, on into azure-ai-ml command jobs). "
                          "Applies safe and unsafe fixes (unsafe ones change the job on purpose and are listed); "
                          "manual findings are reported with what to do.")
    parser.epilog = ("Exit status: 0 nothing left to do; 1 findings left for a human (or, with --check/--diff, "
                     "changes to make); 2 usage error, or a file that could not be read, parsed or fixed.")
    parser.add_argument("paths", nargs="*", default=["."], metavar="PATH",
                        help="files or directories, walked for *.py and *.ipynb (default: .)")
    parser.add_argument("--diff", action="store_true", help="print a unified diff; write nothing")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if anything would change")
    parser.add_argument("--safe-only", action="store_true",
                        help="apply only fixes that keep the job's run configuration unchanged")
    parser.add_argument("--env-style", choices=ENV_STYLES, default=None,
                        help="exact (default, or the configuration's env-style): an Environment reproducing the "
                             "estimator's image and packages, so the job runs as before; curated: the curated "
                             "environment the 2020 migration guide named (many have since been removed by Azure, "
                             "so Environment.get may fail)")
    parser.add_argument("--target", choices=TARGETS, default=None,
                        help="scriptrunconfig (default, or the configuration's target): estimators -> ScriptRunConfig "
                             "(SDK v1); v2: that, then every SDK v1 job (ScriptRunConfig, Workspace, Environment, "
                             "Experiment.submit, HyperDrive) -> azure-ai-ml command jobs")
    parser.add_argument("--exclude", action="append", default=[], metavar="PATTERN",
                        help="gitignore-style pattern of paths to skip (repeatable)")
    parser.add_argument("-j", "--jobs", type=int, default=0, metavar="N",
                        help="worker processes (default 0: one per core, up to 4, from 48 files on; 1: serial)")


def run(args: argparse.Namespace) -> int:
    from ..config import ConfigError, load_config
    from .runner import run_fix

    env_style, target = args.env_style, args.target
    if env_style is None or target is None:  # the configuration nearest to what is fixed, as ``check`` finds it
        try:
            config = load_config(os.path.commonpath([os.path.abspath(path) for path in args.paths]))
        except ConfigError as error:
            print(f"aml-migrate: error: {error}", file=sys.stderr)
            return EXIT_ERROR
        env_style, target = env_style or config.env_style, target or config.target
    return run_fix(args.paths, diff=args.diff, check=args.check, safe_only=args.safe_only,
                   env_style=env_style, target=target, excludes=args.exclude, out=sys.stdout, err=sys.stderr,
                   jobs=getattr(args, "jobs", 0))
