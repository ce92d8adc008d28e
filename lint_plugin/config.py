"""Project configuration: ``[tool.aml-migrate]`` in ``pyproject.toml`` or ``[aml-migrate]`` in ``setup.cfg``.

Found like other linters find theirs: from the checked path upwards, the first ``pyproject.toml``
with a ``[tool.aml-migrate]`` table, else the first ``setup.cfg`` with an ``[aml-migrate]`` section
(in the same directory ``pyproject.toml`` wins). ``exclude`` and ``per-file-ignores`` patterns are
gitignore-style and relative to the directory of the file that sets them. Command-line flags win
over the file. A file is only parsed when it names ``aml-migrate``, so ``check`` stays cheap.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .fix.plan import DEFAULT_ENV_STYLE, DEFAULT_TARGET, ENV_STYLES, TARGETS

if TYPE_CHECKING:
    from .findings import Finding

# [tool.aml-migrate.X] tables another command reads itself (dry-run's image pins): not check's or fix's keys.
OTHER_TABLES = ("dry-run",)
KEYS = ("select", "ignore", "extend-select", "exclude", "per-file-ignores", "env-style", "target", "target-sdk-version",
        "baseline")


class ConfigError(ValueError):
    """A configuration file that cannot be used; the message names the file and the key."""


@dataclass(frozen=True)
class Config:
    path: str | None = None  # the file the settings came from; None when there is none
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    env_style: str = DEFAULT_ENV_STYLE
    target: str = DEFAULT_TARGET  # what ``fix`` migrates to; ``v2`` also turns the opt-in AML6xx rules on
    target_sdk_version: str | None = None
    baseline: str | None = None  # as written in the file: relative to the file's directory
    _specs: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def root(self) -> str:
        """The directory that relative patterns start from."""
        return os.path.dirname(os.path.abspath(self.path)) if self.path else os.getcwd()

    @property
    def baseline_path(self) -> str | None:
        """The configured baseline file, resolved against the configuration file's directory."""
        return os.path.join(self.root, self.baseline) if self.baseline else None

    def enabled(self, select: list[str] | None = None, ignore: list[str] | None = None,
                extend_select: list[str] | None = None) -> frozenset[str]:
        """The codes to run: command-line ``select``/``ignore`` replace the file's, as in ruff; the
        command line's ``extend_select`` adds to whichever select applies."""
        from .rules import BY_CODE, select_codes

        if select is not None:  # the command line's select replaces the file's select and extend-select
            chosen, extend = list(select), list(extend_select or [])
        else:
            chosen = list(self.select) if self.select is not None else None
            extend = [*self.extend_select, *(extend_select or [])]
        codes = select_codes(chosen, list(ignore) if ignore is not None else list(self.ignore), extend=extend,
                             opt_in=self.target == "v2")
        if self.target_sdk_version is None:
            return codes
        return frozenset(code for code in codes if _applies(BY_CODE[code].since, self.target_sdk_version))

    def is_excluded(self, path: str) -> bool:
        return bool(self.exclude) and self._spec("exclude", self.exclude).match_file(self._relative(path))

    def ignored_for(self, path: str) -> frozenset[str]:
        """Codes ``per-file-ignores`` switches off for ``path`` (as prefixes)."""
        relative = self._relative(path)
        return frozenset(code for pattern, codes in self.per_file_ignores
                         if self._spec(pattern, (pattern,)).match_file(relative) for code in codes)

    def enabled_for(self, path: str, enabled: frozenset[str]) -> frozenset[str]:
        ignored = self.ignored_for(path)
        return frozenset(code for code in enabled if not any(code.startswith(prefix) for prefix in ignored))

    def kept(self, path: str, findings: list[Finding]) -> list[Finding]:
        """``findings`` of ``path`` minus what ``per-file-ignores`` switches off there."""
        if not self.per_file_ignores:
            return findings
        ignored = self.ignored_for(path)
        return [f for f in findings if not any(f.code.startswith(prefix) for prefix in ignored)]

    def _relative(self, path: str) -> str:
        return os.path.relpath(os.path.abspath(path), self.root).replace(os.sep, "/")

    def _spec(self, key: str, patterns: Iterable[str]) -> Any:
        if key not in self._specs:
            import pathspec

            self._specs[key] = pathspec.PathSpec.from_lines("gitwildmatch", patterns)
        return self._specs[key]


def _applies(since: str, target: str) -> bool:
    from packaging.version import Version

    return Version(target) >= Version(since)


def find_config_file(start: str) -> tuple[str, str] | None:
    """(path, kind) of the nearest configuration that mentions aml-migrate, from ``start`` upwards."""
    directory = os.path.abspath(start)
    if not os.path.isdir(directory):
        directory = os.path.dirname(directory)
    while True:
        for name, kind in (("pyproject.toml", "toml"), ("setup.cfg", "cfg")):
            candidate = os.path.join(directory, name)
            if os.path.isfile(candidate) and _has_section(candidate, kind):
                return candidate, kind
        parent = os.path.dirname(directory)
        if parent == directory:
            return None
        directory = parent


def _has_section(path: str, kind: str) -> bool:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            text = handle.read()
    except OSError:
        return False
    header = r"^\s*\[\s*tool\s*\.\s*[\"']?aml-migrate[\"']?\s*[.\]]" if kind == "toml" else r"^\s*\[aml-migrate\]"
    return re.search(header, text, re.MULTILINE) is not None


def load_config(path: str | None = None) -> Config:
    """The configuration that applies to ``path`` (a file or directory; default: the working directory).

    Raises :class:`ConfigError` for an unreadable file, an unknown key or a bad value."""
    found = find_config_file(path or os.getcwd())
    if found is None:
        return Config()
    file, kind = found
    raw = _read_toml(file) if kind == "toml" else _read_cfg(file)
    return _validated(file, raw, kind)


def _read_toml(file: str) -> dict[str, Any]:
    try:
        import tomllib
    except ImportError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]
    try:
        with open(file, "rb") as handle:
            document = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"{file}: cannot read: {error}") from None
    table = document.get("tool", {}).get("aml-migrate", {})
    if not isinstance(table, dict):
        raise ConfigError(f"{file}: [tool.aml-migrate] must be a table")
    return {key: value for key, value in table.items() if key not in OTHER_TABLES}


def _read_cfg(file: str) -> dict[str, Any]:
    import configparser

    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(file, encoding="utf-8")
    except (configparser.Error, UnicodeDecodeError) as error:
        raise ConfigError(f"{file}: cannot read: {error}") from None
    return dict(parser["aml-migrate"]) if parser.has_section("aml-migrate") else {}


def _validated(file: str, raw: dict[str, Any], kind: str) -> Config:
    section = "[tool.aml-migrate]" if kind == "toml" else "[aml-migrate]"
    values: dict[str, Any] = {}
    for key, value in raw.items():
        name = key.replace("_", "-")
        if name not in KEYS:
            raise ConfigError(f"{file}: {section} unknown key {key!r} (known: {', '.join(KEYS)})")
        try:
            values[name.replace("-", "_")] = _PARSERS[name](value)
        except ValueError as error:
            raise ConfigError(f"{file}: {section} {key}: {error}") from None
    return Config(path=file, **values)


def _strings(value: Any) -> tuple[str, ...]:
    """A TOML list of strings, or setup.cfg's comma/whitespace-separated text."""
    if isinstance(value, str):
        return tuple(item for item in re.split(r"[,\s]+", value) if item)
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return tuple(item.strip() for item in value if item.strip())
    raise ValueError(f"expected a list of strings, got {value!r}")


def _codes(value: Any) -> tuple[str, ...]:
    from .rules import unknown_codes

    codes = tuple(code.upper() for code in _strings(value))
    unknown = unknown_codes(list(codes))
    if unknown:
        raise ValueError(f"unknown rule code(s): {', '.join(unknown)}")
    return codes


def _patterns(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):  # setup.cfg: one pattern a line, or comma-separated
        return tuple(item.strip() for item in re.split(r"[,\n]", value) if item.strip())
    return _strings(value)


def _per_file_ignores(value: Any) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if isinstance(value, str):  # flake8's setup.cfg form: one "pattern: CODES" a line
        pairs = []
        for line in filter(None, (line.strip() for line in value.splitlines())):
            pattern, colon, codes = line.partition(":")
            if not colon or not pattern.strip():
                raise ValueError(f"expected 'PATTERN: CODES' lines, got {line!r}")
            pairs.append((pattern.strip(), codes))
        value = dict(pairs)
    if not isinstance(value, dict):
        raise ValueError(f"expected a table of pattern = [codes], got {value!r}")
    return tuple((str(pattern), _codes(codes)) for pattern, codes in value.items())


def _choice(*choices: str) -> Any:
    def parse(value: Any) -> str:
        if value not in choices:
            raise ValueError(f"expected one of {', '.join(choices)}, got {value!r}")
        return str(value)
    return parse


def _version(value: Any) -> str:
    from packaging.version import InvalidVersion, Version

    if not isinstance(value, str):  # TOML would read 1.48 as a float and lose "1.48.0" vs "1.4.8"
        raise ValueError(f"expected a version string such as \"1.48.0\", got {value!r}")
    try:
        Version(value)
    except InvalidVersion:
        raise ValueError(f"not a version: {value!r}") from None
    return value


def _file(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"expected a file path, got {value!r}")
    return value.strip()


_PARSERS = {"select": _codes, "ignore": _codes, "extend-select": _codes, "exclude": _patterns,
            "per-file-ignores": _per_file_ignores, "env-style": _choice(*ENV_STYLES), "target": _choice(*TARGETS),
            "target-sdk-version": _version,
            "baseline": _file}
