"""``aml-migrate``: check, fix, dry-run, rules, explain.

Imports stay lazy: ``aml-migrate --version`` and ``check`` must not pay for libcst, nbformat or the
container stack.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from . import __version__

EXIT_CLEAN, EXIT_ERROR = 0, 2


def _codes(value: str) -> list[str]:
    return [code.strip().upper() for code in value.split(",") if code.strip()]


def _add_check(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "check", help="report deprecated Azure ML SDK v1 code",
        description="Check Python files, notebooks and requirements files for deprecated Azure ML SDK v1 "
                    "training code. Directories are walked for *.py, *.ipynb and requirements files.",
        epilog="Exit status: 0 nothing found, 1 findings (new ones, with a baseline), unreadable files, or "
               "fixed baseline entries with --ratchet; 2 usage or internal error.")
    parser.add_argument("paths", nargs="*", default=["."], metavar="PATH", help="files or directories (default: .)")
    parser.add_argument("--format", choices=("text", "json", "concise", "github", "sarif"), default="text",
                        help="output format: text, json (stable), concise (path:line:col: CODE message), "
                             "github (Actions annotations), sarif (SARIF 2.1.0); default: text")
    _add_selection(parser)
    parser.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings")
    parser.add_argument("--report-unused-noqa", action="store_true",
                        help="report AML codes in noqa comments that suppress nothing or name no rule")
    ci_gate = parser.add_argument_group("CI gate")
    ci_gate.add_argument("--baseline", metavar="FILE",
                         help="report only findings FILE does not record (default: the configuration's baseline)")
    ci_gate.add_argument("--write-baseline", nargs="?", const="", metavar="FILE",
                         help="record every current finding in FILE (default: the baseline in use); report nothing")
    ci_gate.add_argument("--ratchet", action="store_true",
                         help="fail (exit 1) when baseline entries match nothing any more: it can only shrink")
    ci_gate.add_argument("--sarif-file", metavar="FILE",
                         help="also write the SARIF log to FILE, whatever --format prints")
    parser.set_defaults(handler=_run_check)


def _add_report(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "report", help="a migration report: one self-contained HTML page (or JSON)",
        description="Report the migration at a glance: totals per rule and per folder, what 'fix' rewrites "
                    "safely, unsafely or leaves manual and why, a chart, and every finding. The page is one "
                    "self-contained HTML file (no network, no external assets).",
        epilog="Exit status: 0 written (whatever was found), 2 usage error or a file that cannot be written.")
    parser.add_argument("paths", nargs="*", default=["."], metavar="PATH", help="files or directories (default: .)")
    parser.add_argument("--format", choices=("html", "json"), default="html",
                        help="html (default) or json: the same data")
    parser.add_argument("-o", "--output", metavar="FILE",
                        help="where to write it, - for standard output (default: aml-migrate-report.html; "
                             "json: standard output)")
    parser.add_argument("--link-template", metavar="TEMPLATE",
                        help="link each finding to TEMPLATE, with {path} and {line} (the file's own line), e.g. "
                             "https://github.com/ORG/REPO/blob/main/{path}#L{line} (default: the file, relative "
                             "to the report)")
    _add_selection(parser)
    parser.set_defaults(handler=_run_report)


def _run_report(args: argparse.Namespace) -> int:
    from .checkrun import ConfigError, UsageError, check_paths
    from .report.command import ReportError, check_link_template, write_report

    try:
        check_link_template(args.link_template)
        run = check_paths(args.paths, args.select, args.ignore, args.exclude, args.jobs, args.extend_select)
        write_report(run, args.paths, format=args.format, output=args.output, link_template=args.link_template,
                     out=sys.stdout, err=sys.stderr)
    except (ConfigError, UsageError, ReportError) as error:
        return _error(str(error))
    return EXIT_CLEAN


def _add_selection(parser: argparse.ArgumentParser) -> None:
    """What to check: the options ``check`` and ``report`` share."""
    parser.add_argument("--select", type=_codes, metavar="CODES", help="only these codes or prefixes, e.g. AML1,AML301")
    parser.add_argument("--extend-select", type=_codes, metavar="CODES",
                        help="also these codes or prefixes, e.g. AML6 (the opt-in SDK v2 rules)")
    parser.add_argument("--ignore", type=_codes, metavar="CODES", help="skip these codes or prefixes")
    parser.add_argument("--exclude", action="append", default=[], metavar="PATTERN",
                        help="gitignore-style pattern of paths to skip (repeatable)")
    parser.add_argument("-j", "--jobs", type=int, default=0, metavar="N",
                        help="worker processes (default: automatic, by the number of files)")


def _run_check(args: argparse.Namespace) -> int:
    from .checkrun import ConfigError, UsageError, check_paths

    try:
        run = check_paths(args.paths, args.select, args.ignore, args.exclude, args.jobs, args.extend_select)
    except (ConfigError, UsageError) as error:
        return _error(str(error))
    from .gate import GateError, gate

    try:
        return gate(run, args, sys.stdout, sys.stderr)
    except GateError as error:
        return _error(str(error))


def _error(message: str) -> int:
    print(f"aml-migrate: error: {message}", file=sys.stderr)
    return EXIT_ERROR


def _add_rules(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("rules", help="list every rule", description="List every rule with its fix.")
    parser.set_defaults(handler=_run_rules)
    explain = subparsers.add_parser("explain", help="show a rule's documentation",
                                    description="Print a rule's documentation: what it flags, why, and the fix.")
    explain.add_argument("code", help="rule code or symbol, e.g. AML101 or deprecated-estimator")
    explain.set_defaults(handler=_run_explain)


def _run_rules(args: argparse.Namespace) -> int:
    from .docs import rules_table

    print(rules_table())
    return EXIT_CLEAN


def _run_explain(args: argparse.Namespace) -> int:
    from .docs import rule_document
    from .rules import BY_CODE, BY_SYMBOL

    rule = BY_CODE.get(args.code.upper()) or BY_SYMBOL.get(args.code)
    if rule is None:
        print(f"aml-migrate: error: unknown rule {args.code!r}; see 'aml-migrate rules'", file=sys.stderr)
        return EXIT_ERROR
    print(rule_document(rule))
    return EXIT_CLEAN


# Commands whose modules are imported only when that command runs: (module, help).
EXTERNAL_COMMANDS = {
    "fix": ("lint_plugin.fix.command",
            "rewrite deprecated code into ScriptRunConfig + Environment (libcst; formatting kept)"),
    "dry-run": ("lint_plugin.dryrun.command",
                "run the migrated training job locally in a container, before it costs cluster time"),
}


def _add_external(subparsers: argparse._SubParsersAction, name: str, chosen: str | None) -> None:
    module_name, summary = EXTERNAL_COMMANDS[name]
    parser = subparsers.add_parser(name, help=summary, description=summary)
    if name == chosen:
        import importlib

        module = importlib.import_module(module_name)
        module.configure_parser(parser)
        parser.set_defaults(handler=module.run)


def _chosen_command(argv: Sequence[str]) -> str | None:
    return next((arg for arg in argv if not arg.startswith("-")), None)


def _add_lsp(subparsers: argparse._SubParsersAction) -> None:
    def run(args: argparse.Namespace) -> int:
        try:
            from .lsp import serve  # pygls is the optional 'lsp' extra: imported by this command only
        except ImportError as error:
            if (error.name or "").partition(".")[0] not in ("pygls", "lsprotocol"):
                raise
            print("aml-migrate: error: the language server needs pygls: pip install 'aml-migrate[lsp]'",
                  file=sys.stderr)
            return EXIT_ERROR
        return serve()

    parser = subparsers.add_parser(
        "lsp", help="run the language server (stdio) for editors",
        description="Language Server over stdio: diagnostics for Python files and notebook cells, quick fixes.")
    parser.set_defaults(handler=run)


def build_parser(argv: Sequence[str] = ()) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="aml-migrate",
        description="Find deprecated Azure ML SDK v1 estimator code and migrate it to ScriptRunConfig.")
    parser.add_argument("--version", action="version", version=f"aml-migrate {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    _add_check(subparsers)
    chosen = _chosen_command(argv)
    for name in EXTERNAL_COMMANDS:
        _add_external(subparsers, name, chosen)
    _add_report(subparsers)
    _add_rules(subparsers)
    _add_lsp(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help(sys.stderr)
        return EXIT_ERROR
    try:
        return args.handler(args)
    except KeyboardInterrupt:
        print("aml-migrate: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
