"""Benchmark aml-migrate the way users feel it: flake8, pylint, the CLI and ruff on the same files.

    python benchmarks/run.py [--quick] [--repeat N] [--jobs N] [--corpus-root DIR]

Prints one markdown table: one row per budget of issue 5, medians over repeated runs, ratios computed
pair by pair (the two commands of a pair alternate, ABBA, so drift cancels), peak memory of each side
and whether the budget is met. See benchmarks/README.md for what each row means.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.metadata
import importlib.util
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import make_corpus  # noqa: E402  (lives beside this file)

CORPUS_A_PACKAGES = ("pylint", "astroid", "flake8", "pyflakes", "pycodestyle", "libcst", "isort")
QUICK_A_PACKAGES = ("mccabe", "pyflakes")
PYLINT_A_SUBSET = ("astroid",)  # pylint is ~30x slower than flake8: full runs lint this package of corpus A
QUICK_PYLINT_A_SUBSET = ("mccabe.py",)
SAMPLE_SECONDS = 0.01
ROW_SECONDS = 240.0  # no new pair starts after this many seconds of a row's timed runs (>= 1 pair always)
MIB = 1024.0

AML_FINDING = re.compile(r"\bAML\d{3}\b")
PYLINT_AML_FINDING = re.compile(r"\bW91\d\d\b")
DIFF_FILE = re.compile(r"^\+\+\+ ", re.MULTILINE)

# flake8 loads every installed plugin whatever --select says, so "without the plugin" must hide the
# aml-migrate entry point. Both sides of a pair run this same launcher; only the filter differs.
FLAKE8_LAUNCHER = """
import sys
from flake8.main.cli import main
from flake8.plugins import finder
find = finder._find_importlib_plugins
def plugins():
    found = list(find())
    ours = [p for p in found if p.entry_point.value.startswith('lint_plugin')]
    if not ours:
        sys.exit('benchmark: the aml-migrate flake8 plugin is not installed (pip install -e .)')
    return iter(found if sys.argv[1] == 'with' else [p for p in found if p not in ours])
finder._find_importlib_plugins = plugins
sys.exit(main(sys.argv[2:]))
"""


class BenchError(RuntimeError):
    """A command failed, so its timing means nothing."""


@dataclass(frozen=True)
class Command:
    label: str
    argv: tuple[str, ...]
    ok: Callable[[int], bool] = lambda code: code in (0, 1)
    hits: re.Pattern[str] | None = None  # what counts as an aml-migrate finding in its output
    without_plugin: bool = False  # a baseline with the plugin hidden: any finding means it was not


@dataclass
class Side:
    times: list[float] = field(default_factory=list)
    peak_mib: float = 0.0
    hits: int | None = None


@dataclass(frozen=True)
class Row:
    corpus: str
    measure: str
    base: Command
    cand: Command
    kind: str  # "ratio", "import" (cand <= 2 x base + 60 ms) or "memory" (cand peak MiB)
    limit: float
    cand_must_hit: bool = False  # the candidate must report something, or it did not run at all
    repeat_factor: int = 1


@dataclass
class Result:
    row: Row
    base: Side
    cand: Side
    metric: float | None = None
    error: str | None = None

    @property
    def passed(self) -> bool:
        return self.error is None and self.metric is not None and self.metric <= self.row.limit


# ---------------------------------------------------------------------------------------------
# Corpora
# ---------------------------------------------------------------------------------------------


def package_source(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or spec.origin is None:
        raise SystemExit(f"benchmark: corpus A needs the installed package {name!r}: pip install {name}")
    if spec.submodule_search_locations:
        return Path(next(iter(spec.submodule_search_locations)))
    return Path(spec.origin)


def build_corpus_a(out: Path, packages: tuple[str, ...]) -> None:
    """Copy the .py files of installed packages, so the tools see plain files (kept if up to date)."""
    stamp = out / ".packages"
    wanted = "\n".join(f"{name}=={importlib.metadata.version(name)}" for name in packages) + "\n"
    if stamp.exists() and stamp.read_text(encoding="utf-8") == wanted:
        return
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    for name in packages:
        source = package_source(name)
        files = sorted(source.rglob("*.py")) if source.is_dir() else [source]
        for path in files:
            data = path.read_bytes()
            if b"azureml" in data:  # corpus A is the "nothing to do with Azure ML" case
                continue
            target = out / source.name / path.relative_to(source) if source.is_dir() else out / source.name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
    stamp.write_text(wanted, encoding="utf-8")


def describe(paths: list[Path]) -> str:
    files = [f for path in paths for f in (sorted(path.rglob("*.py")) if path.is_dir() else [path])]
    count = sum(len(f.read_bytes().splitlines()) for f in files)
    return f"{len(files)} .py files, {count:,} lines"


def tree_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


# ---------------------------------------------------------------------------------------------
# Running and measuring one command
# ---------------------------------------------------------------------------------------------


def tree_pids(root: int) -> list[int]:
    pids, stack = [], [root]
    while stack:
        pid = stack.pop()
        pids.append(pid)
        for children in Path(f"/proc/{pid}/task").glob("*/children"):
            try:
                stack += [int(child) for child in children.read_text().split()]
            except OSError:
                continue
    return pids


def pss_kib(pid: int) -> int:
    """Proportional set size: shared pages (a forked pool's, libraries') are split, not counted twice."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def child_env(root: Path) -> dict[str, str]:
    """The environment of every measured command: bytecode cached, as on users' machines.

    With PYTHONDONTWRITEBYTECODE set (this project's machines set it) an editable install recompiles
    aml-migrate from source in every process, ~40 ms each, which users never pay. Both sides of a
    pair share one cache under the corpus root, filled by the probe runs."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(root / ".pycache")
    return env


def wait_sampling(pid: int) -> tuple[int, float]:
    """Wait for ``pid`` while sampling its process tree's memory; return its wait status and peak MiB."""
    peak = 0
    while True:
        done, status, _ = os.wait4(pid, os.WNOHANG)
        if done:
            return status, peak / MIB
        peak = max(peak, sum(pss_kib(p) for p in tree_pids(pid)))
        time.sleep(SAMPLE_SECONDS)


def run_once(cmd: Command, cwd: Path, *, probe: bool) -> tuple[float, float, str]:
    """Run ``cmd``: wall seconds, and for a probe run also peak MiB of its process tree and its stdout."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            cmd.argv,
            cwd=cwd,
            stdout=out if probe else subprocess.DEVNULL,
            stderr=err,
            stdin=subprocess.DEVNULL,
            env=child_env(cwd),
        )
        status, peak = wait_sampling(proc.pid) if probe else (os.wait4(proc.pid, 0)[1], 0.0)
        elapsed = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        stderr = err.read().decode(errors="replace")
        out.seek(0)
        stdout = out.read().decode(errors="replace")
    if not cmd.ok(proc.returncode) or "Traceback (most recent call last)" in stderr:
        tail = " ".join(stderr.strip().splitlines()[-3:])
        raise BenchError(f"{cmd.label} exited {proc.returncode}: {tail}")
    return elapsed, peak, stdout


def measure(row: Row, cwd: Path, repeat: int) -> Result:
    base, cand = Side(), Side()
    try:
        for side, cmd in ((base, row.base), (cand, row.cand)):  # probe: warms caches, memory, output check
            _, side.peak_mib, stdout = run_once(cmd, cwd, probe=True)
            side.hits = len(cmd.hits.findall(stdout)) if cmd.hits else None
        if row.cand_must_hit and not cand.hits:
            raise BenchError(f"{row.cand.label} found nothing on corpus {row.corpus}: it did not run")
        if row.base.without_plugin and base.hits:
            raise BenchError(f"the baseline {row.base.label} reported {base.hits} aml-migrate findings")
        deadline = time.perf_counter() + ROW_SECONDS * row.repeat_factor
        if row.kind != "memory":
            for i in range(repeat * row.repeat_factor):
                if i and time.perf_counter() > deadline:
                    break
                order = (
                    ((base, row.base), (cand, row.cand))
                    if i % 2 == 0
                    else ((cand, row.cand), (base, row.base))
                )
                for side, cmd in order:
                    side.times.append(run_once(cmd, cwd, probe=False)[0])
    except BenchError as error:
        return Result(row, base, cand, error=str(error))
    return Result(row, base, cand, metric=metric(row, base, cand))


def metric(row: Row, base: Side, cand: Side) -> float:
    if row.kind == "memory":
        return cand.peak_mib
    pairs = list(zip(base.times, cand.times))
    if row.kind == "import":
        return statistics.median(c / (2 * b + 0.060) for b, c in pairs)
    return statistics.median(c / b for b, c in pairs)


# ---------------------------------------------------------------------------------------------
# The rows
# ---------------------------------------------------------------------------------------------


def tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise SystemExit(f"benchmark: {name!r} is not on PATH (pip install -e . ruff)")
    return found


def flake8(plugin: bool, paths: tuple[str, ...], jobs: int) -> Command:
    select = "E,F,W,AML" if plugin else "E,F,W"
    argv = (
        sys.executable,
        "-c",
        FLAKE8_LAUNCHER,
        "with" if plugin else "without",
        "--isolated",
        f"--jobs={jobs}",
        f"--select={select}",
        *paths,
    )
    return Command(f"flake8 --select {select}", argv, hits=AML_FINDING, without_plugin=not plugin)


def pylint(plugin: bool, paths: tuple[str, ...], jobs: int) -> Command:
    load = ("--load-plugins=lint_plugin",) if plugin else ()
    argv = (sys.executable, "-m", "pylint", f"--jobs={jobs}", *load, *paths)
    return Command(
        "pylint" + (" --load-plugins=lint_plugin" if plugin else ""),
        argv,
        ok=lambda code: code & (1 | 32) == 0,
        hits=PYLINT_AML_FINDING,
        without_plugin=not plugin,
    )


def check(paths: tuple[str, ...], jobs: int) -> Command:
    label = "aml-migrate check" + (" --jobs=1" if jobs == 1 else "")
    return Command(label, (tool("aml-migrate"), "check", f"--jobs={jobs}", *paths), hits=AML_FINDING)


def fix_diff(paths: tuple[str, ...], jobs: int) -> Command:
    argv = (tool("aml-migrate"), "fix", "--diff", f"--jobs={jobs}", *paths)
    return Command("aml-migrate fix --diff", argv, hits=DIFF_FILE)


def ruff(paths: tuple[str, ...]) -> Command:
    argv = (
        tool("ruff"),
        "check",
        "--no-cache",
        "--isolated",
        "--no-respect-gitignore",
        "--select",
        "E9,F63,F7,F82",
        *paths,
    )
    return Command("ruff --select E9,F63,F7,F82", argv)


def rows(a: tuple[str, ...], pylint_a: tuple[str, ...], b: tuple[str, ...], jobs: int) -> list[Row]:
    stock_b = flake8(False, b, jobs)
    check_b = check(b, jobs)
    return [
        Row("A", "flake8+plugin / flake8", flake8(False, a, jobs), flake8(True, a, jobs), "ratio", 1.02),
        Row(
            "A*",
            "pylint+plugin / pylint",
            pylint(False, pylint_a, jobs),
            pylint(True, pylint_a, jobs),
            "ratio",
            1.02,
            repeat_factor=2,  # pylint's run-to-run spread is several percent: more pairs for a 2% budget
        ),
        Row("A", "check / ruff", ruff(a), check(a, jobs), "ratio", 5.0),
        Row("B", "flake8+plugin / flake8", stock_b, flake8(True, b, jobs), "ratio", 1.15, cand_must_hit=True),
        Row(
            "B",
            "pylint+plugin / pylint",
            pylint(False, b, jobs),
            pylint(True, b, jobs),
            "ratio",
            1.10,
            cand_must_hit=True,
            repeat_factor=2,
        ),
        Row("B", "check / flake8 (stock)", stock_b, check_b, "ratio", 0.25, cand_must_hit=True),
        Row("B", "fix --diff / check", check_b, fix_diff(b, jobs), "ratio", 5.0, cand_must_hit=True),
        Row("B", "check peak memory (MiB)", stock_b, check_b, "memory", 150.0, cand_must_hit=True),
        Row(
            "-",
            "--version / python -c pass",
            Command("python -c pass", (sys.executable, "-c", "pass"), ok=(0).__eq__),
            Command("aml-migrate --version", (tool("aml-migrate"), "--version"), ok=(0).__eq__),
            "import",
            1.0,
            repeat_factor=10,
        ),
    ]


# ---------------------------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------------------------

BUDGET_TEXT = {"ratio": "<= {:.2f}", "import": "<= 2x + 60 ms", "memory": "<= {:.0f} MiB"}
HEADER = (
    "corpus",
    "measure",
    "baseline",
    "candidate",
    "base s",
    "cand s",
    "pairs",
    "metric",
    "budget",
    "result",
    "base MiB",
    "cand MiB",
    "AML hits base/cand",
)


def seconds(side: Side) -> str:
    return f"{statistics.median(side.times):.3f}" if side.times else "-"


def format_row(result: Result) -> tuple[str, ...]:
    row = result.row
    if result.error:
        verdict, value = f"ERROR: {result.error}".replace("|", "/").replace("\n", " "), "-"
    else:
        verdict = "pass" if result.passed else "FAIL"
        value = f"{result.metric:.3f}" if row.kind != "memory" else f"{result.metric:.1f}"
    hits = "/".join("-" if side.hits is None else str(side.hits) for side in (result.base, result.cand))
    return (
        row.corpus,
        row.measure,
        row.base.label,
        row.cand.label,
        seconds(result.base),
        seconds(result.cand),
        str(len(result.cand.times)),
        value,
        BUDGET_TEXT[row.kind].format(row.limit),
        verdict,
        f"{result.base.peak_mib:.1f}",
        f"{result.cand.peak_mib:.1f}",
        hits,
    )


def table(results: list[Result]) -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += ["| " + " | ".join(format_row(result)) + " |" for result in results]
    return "\n".join(lines)


def cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def versions() -> str:
    names = ("aml-migrate", "flake8", "pylint", "astroid", "ruff")
    found = []
    for name in names:
        try:
            found.append(f"{name} {importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            found.append(f"{name} (not installed)")
    return ", ".join(found)


# ---------------------------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny corpora, 1 repeat: a smoke run for CI")
    parser.add_argument("--repeat", type=int, help="timed runs per side (default 5, or 1 with --quick)")
    parser.add_argument(
        "--jobs", type=int, default=os.cpu_count() or 1, help="--jobs for every tool (default: cores)"
    )
    parser.add_argument(
        "--corpus-root",
        type=Path,
        default=HERE / ".corpus",
        help="where corpora A and B are written (default benchmarks/.corpus)",
    )
    parser.add_argument(
        "--only",
        metavar="TEXT",
        help="run only the rows whose 'corpus measure' contains TEXT (e.g. 'B fix'); the budgets of the "
        "others are not reported",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    root = args.corpus_root / "quick" if args.quick else args.corpus_root
    repeat = args.repeat or (1 if args.quick else 5)
    packages, pylint_a = (
        (QUICK_A_PACKAGES, QUICK_PYLINT_A_SUBSET) if args.quick else (CORPUS_A_PACKAGES, PYLINT_A_SUBSET)
    )
    build_corpus_a(root / "a", packages)
    projects = 2 if args.quick else make_corpus.DEFAULT_PROJECTS
    counts = make_corpus.generate(root / "b", projects=projects)
    digest = tree_digest(root / "b")
    pylint_paths = tuple(f"a/{part}" for part in pylint_a)
    started = time.perf_counter()
    results = []
    selected = [r for r in rows(("a",), pylint_paths, ("b",), args.jobs)
                if not args.only or args.only in f"{r.corpus} {r.measure}"]
    if not selected:
        raise SystemExit(f"benchmark: no row matches --only {args.only!r}")
    for row in selected:
        print(f"{row.corpus} {row.measure} ...", end=" ", file=sys.stderr, flush=True)
        results.append(measure(row, root, repeat))
        if tree_digest(root / "b") != digest:  # fix --diff must write nothing; nor may anything else
            results[-1].error = f"{row.cand.label} changed corpus B"
            make_corpus.generate(root / "b", projects=projects)
        print(f"{time.perf_counter() - started:.0f} s", file=sys.stderr)
    print(table(results))
    print()
    print(
        f"A = {', '.join(packages)} from site-packages ({describe([root / 'a'])}); "
        f"A* = pylint's subset of A: {', '.join(pylint_a)} ({describe([root / 'a' / p for p in pylint_a])}); "
        f"B = make_corpus.py, {counts.get('.ipynb', 0)} notebooks and {describe([root / 'b'])}."
    )
    print(
        f"{repeat} timed runs per side (x10 for --version, x2 for pylint), --jobs={args.jobs}; "
        f"{sum(r.passed for r in results)}/{len(results)} budgets met; "
        f"took {time.perf_counter() - started:.0f} s."
    )
    print(
        f"Machine: {cpu_model()}, {os.cpu_count()} cores; Python {platform.python_version()}; {versions()}; "
        f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC."
    )
    return 2 if any(r.error for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
