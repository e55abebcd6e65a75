"""`[tool.monocut]` configuration from the analyzed project's pyproject.toml.

Every problem in the table is collected and reported together (unknown keys, wrong types),
so a user fixes their configuration in one go. Command-line flags override the file.
"""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from analyzer.algorithms import ALGORITHMS, NO_CONSTRAINTS, Constraints
from analyzer.baseline import MODES, GateSettings
from analyzer.collect import MAX_FILE_BYTES
from analyzer.plan import is_dns_label
from analyzer.signals.combine import CouplingWeights
from generators.writer import TARGETS

CONFIG_FILE = "pyproject.toml"


class ConfigError(ValueError):
    """A configuration that cannot be used; `problems` has one line per mistake."""

    def __init__(
        self, source: str, problems: list[str], partial: MonocutConfig | None = None
    ) -> None:
        self.source = source
        self.problems = tuple(problems)
        #: the settings that were valid, so that more checks can still run on them
        self.partial = partial
        super().__init__(f"{source}: " + "; ".join(problems))


@dataclass(frozen=True)
class MonocutConfig:
    """Settings a project can pin in `[tool.monocut]`; None means "not set"."""

    exclude: tuple[str, ...] = ()
    include_tests: bool = False
    jobs: int | None = None
    algorithm: str = "spectral"
    services: int | None = None
    resolution: float = 1.0
    seed: int = 42
    shared_threshold: float = 0.5
    shared_min_clusters: int = 3
    min_service_modules: int = 2
    ignore_layout: bool = False
    python_version: str | None = None  # None: from the project's files, else 3.11
    namespace: str | None = None
    targets: tuple[str, ...] = TARGETS
    cochange: bool = True
    since: str | None = None
    max_commits: int = 1000
    max_commit_files: int = 30
    #: bytes; larger files are skipped with a reason; 0: no limit
    max_file_size: int = MAX_FILE_BYTES
    include_generated: bool = False
    weights: CouplingWeights = CouplingWeights()
    constraints: Constraints = NO_CONSTRAINTS
    check: GateSettings = GateSettings()

    def with_overrides(self, **overrides: Any) -> MonocutConfig:
        """A copy with every override that is not None applied, checked like the file."""
        given = {k: v for k, v in overrides.items() if v is not None}
        problems = []
        if isinstance(given.get("max_file_size"), str):
            try:
                given["max_file_size"] = parse_size(given["max_file_size"])
            except ValueError as error:
                problems.append(f"--max-file-size: {error}")
                del given["max_file_size"]
        problems.extend(range_problems(given))
        if problems:
            raise ConfigError("command line", problems)
        return replace(self, **given)


_TYPES: dict[str, tuple[type, ...]] = {
    "exclude": (list,),
    "include_tests": (bool,),
    "jobs": (int,),
    "resolution": (int, float),
    "seed": (int,),
    "shared_threshold": (int, float),
    "shared_min_clusters": (int,),
    "min_service_modules": (int,),
    "ignore_layout": (bool,),
    "python_version": (str,),
    "namespace": (str,),
    "targets": (list,),
    "algorithm": (str,),
    "services": (int,),
    "cochange": (bool,),
    "since": (str,),
    "max_commits": (int,),
    "max_commit_files": (int,),
    "max_file_size": (int, str),
    "include_generated": (bool,),
    "weights": (dict,),
    "constraints": (dict,),
    "check": (dict,),
}
_KEY_ALIASES = {"excludes": "exclude", "exclude-patterns": "exclude"}


def config_from_table(table: dict[str, Any], source: str) -> MonocutConfig:
    """Validate a `[tool.monocut]` table, collecting every problem before raising."""
    problems: list[str] = []
    values: dict[str, Any] = {}
    known = {f.name for f in fields(MonocutConfig)}
    for raw_key, value in table.items():
        key = _KEY_ALIASES.get(raw_key, raw_key).replace("-", "_")
        if key not in known:
            problems.append(f"unknown key {raw_key!r} (known: {', '.join(sorted(known))})")
            continue
        expected = _TYPES[key]
        if isinstance(value, bool) and bool not in expected:
            problems.append(f"{raw_key!r} must be {_describe(expected)}, not a boolean")
            continue
        if not isinstance(value, expected):
            problems.append(f"{raw_key!r} must be {_describe(expected)}")
            continue
        if key == "weights":
            value = weights_from_table(value, problems)
        elif key == "constraints":
            value = constraints_from_table(value, problems)
        elif key == "check":
            value = check_from_table(value, problems)
        elif key == "max_file_size":
            try:
                value = parse_size(value)
            except ValueError as error:
                problems.append(f"{raw_key!r}: {error}")
                continue
        elif isinstance(value, list):
            if not all(isinstance(item, str) for item in value):
                problems.append(f"{raw_key!r} must be a list of strings")
                continue
            value = tuple(value)
        values[key] = value
    problems.extend(range_problems(values))
    if problems:
        valid = {k: v for k, v in values.items() if not range_problems({k: v})}
        raise ConfigError(source, problems, MonocutConfig(**valid))
    return MonocutConfig(**values)


_SIZE_RE = re.compile(r"(\d+(?:\.\d+)?)\s*([kmg]i?b?|b)?", re.IGNORECASE)
_SIZE_UNITS = {"": 1, "b": 1, "k": 10**3, "m": 10**6, "g": 10**9}


def parse_size(value: int | str) -> int:
    """A file size in bytes from an integer (bytes) or text like "500KB", "1.5MB", "2MiB";
    0 (or "0", "none", "unlimited") means no limit. Raises ValueError with one line."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValueError("must be a size like '1MB', '500KB' or a number of bytes")
    if isinstance(value, int):
        if value < 0:
            raise ValueError("must be a size of at least 0 (0: no limit)")
        return value
    text = value.strip()
    if text.lower() in ("none", "unlimited"):
        return 0
    match = _SIZE_RE.fullmatch(text)
    if match is None:
        raise ValueError(
            f"{value!r} is not a size (like '1MB', '500KB', '2MiB'; '0' or 'unlimited': no limit)"
        )
    number, unit = match.group(1), (match.group(2) or "").lower()
    scale = _SIZE_UNITS[unit[:1]] if "i" not in unit else 1024 ** ("kmg".index(unit[0]) + 1)
    return int(float(number) * scale)


def _is_count(value: Any) -> bool:
    """An integer of at least 1 (TOML booleans are not numbers here)."""
    return isinstance(value, int) and not isinstance(value, bool) and value >= 1


def _is_non_negative(value: Any) -> bool:
    """A finite number of at least 0 (TOML booleans are not numbers here)."""
    return isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value < math.inf


def weights_from_table(table: dict[str, Any], problems: list[str]) -> CouplingWeights:
    """`[tool.monocut.weights]`: signal weights (numbers >= 0) and `neighbours` (>= 1)."""
    known = CouplingWeights.names()
    values: dict[str, Any] = {}
    for raw_key, value in table.items():
        key = raw_key.replace("-", "_")
        if key not in known:
            problems.append(f"unknown weight {raw_key!r} (known: {', '.join(known)})")
        elif key == "neighbours":
            if not _is_count(value):
                problems.append("weight 'neighbours' must be an integer of at least 1")
            else:
                values[key] = value
        elif not _is_non_negative(value):
            problems.append(f"weight {raw_key!r} must be a finite number of at least 0")
        else:
            values[key] = float(value)
    return CouplingWeights(**values)


def constraints_from_table(table: dict[str, Any], problems: list[str]) -> Constraints:
    """`[tool.monocut.constraints]`: `pin` (module or package -> service), `together` and
    `apart` (lists of lists of modules or packages), `max_size` (modules per service)."""
    pins: dict[str, str] = {}
    groups: dict[str, tuple[tuple[str, ...], ...]] = {"together": (), "apart": ()}
    max_size = None
    for key, value in table.items():
        if key == "pin":
            if not isinstance(value, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in value.items()
            ):
                problems.append("constraints 'pin' must be a table of module = \"service\"")
                continue
            for module, service in value.items():
                if not is_dns_label(service):
                    problems.append(
                        f"constraints pin {module!r}: {service!r} is not a valid service name "
                        "(lowercase letters, digits and '-')"
                    )
                pins[module] = service
        elif key in groups:
            if not isinstance(value, list) or not all(
                isinstance(g, list) and g and all(isinstance(m, str) for m in g) for g in value
            ):
                problems.append(f"constraints {key!r} must be a list of lists of module names")
                continue
            groups[key] = tuple(tuple(g) for g in value)
        elif key == "max_size":
            if not _is_count(value):
                problems.append("constraints 'max_size' must be an integer of at least 1")
                continue
            max_size = value
        else:
            problems.append(f"unknown constraint {key!r} (known: apart, max_size, pin, together)")
    return Constraints(
        pins=dict(sorted(pins.items())),
        together=groups["together"],
        apart=groups["apart"],
        max_size=max_size,
    )


def check_from_table(table: dict[str, Any], problems: list[str]) -> GateSettings:
    """`[tool.monocut.check]`: `mode` ("fail" or "warn") and `icp_threshold` (the largest
    allowed rise of ICP, a number >= 0) of `monocut check`; flags override them."""
    values: dict[str, Any] = {}
    for raw_key, value in table.items():
        key = raw_key.replace("-", "_")
        if key == "mode":
            if value not in MODES:
                problems.append(f"check 'mode' must be one of {', '.join(MODES)}")
            else:
                values["mode"] = value
        elif key == "icp_threshold":
            if not _is_non_negative(value):
                problems.append("check 'icp_threshold' must be a finite number of at least 0")
            else:
                values["icp_threshold"] = float(value)
        else:
            problems.append(f"unknown check setting {raw_key!r} (known: icp_threshold, mode)")
    return GateSettings(**values)


def range_problems(values: dict[str, Any]) -> list[str]:
    """Values of the right type but outside what makes sense."""
    problems = []
    if values.get("jobs") is not None and values["jobs"] < 1:
        problems.append("'jobs' must be at least 1")
    if "resolution" in values and not 0 < values["resolution"] < math.inf:
        problems.append("'resolution' must be a finite number greater than 0")
    if "seed" in values and not 0 <= values["seed"] < 2**32:
        problems.append("'seed' must be between 0 and 2**32 - 1")
    if "shared_threshold" in values and not 0 < values["shared_threshold"] <= 1:
        problems.append("'shared_threshold' must be in (0, 1]")
    for key in ("min_service_modules", "shared_min_clusters"):
        if key in values and values[key] < 1:
            problems.append(f"'{key}' must be at least 1")
    if values.get("namespace") is not None and not is_dns_label(values["namespace"]):
        problems.append(
            f"'namespace' {values['namespace']!r} is not a valid Kubernetes namespace "
            "(lowercase letters, digits and '-')"
        )
    if "algorithm" in values and values["algorithm"] not in ALGORITHMS:
        problems.append(
            f"unknown algorithm {values['algorithm']!r} (known: {', '.join(sorted(ALGORITHMS))})"
        )
    for key in ("services", "max_commits", "max_commit_files"):
        if values.get(key) is not None and values[key] < 1:
            problems.append(f"'{key}' must be at least 1")
    if "python_version" in values and not re.fullmatch(r"3\.\d{1,2}", values["python_version"]):
        problems.append("'python_version' must look like '3.11'")
    if "targets" in values:
        unknown = sorted(set(values["targets"]) - set(TARGETS))
        if unknown:
            problems.append(f"unknown targets {unknown} (known: {', '.join(TARGETS)})")
    return problems


def _describe(types: tuple[type, ...]) -> str:
    names = {
        bool: "true or false",
        int: "an integer",
        float: "a number",
        str: "a string",
        list: "a list of strings",
        dict: "a table",
    }
    return " or ".join(dict.fromkeys(names[t] for t in types))


def load_config(project_root: Path) -> MonocutConfig:
    """The `[tool.monocut]` table of `project_root/pyproject.toml`, or the defaults."""
    path = project_root / CONFIG_FILE
    if not path.is_file():
        return MonocutConfig()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(str(path), [f"cannot read: {error}"]) from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(str(path), [f"not valid TOML: {error}"]) from None
    tool = data.get("tool", {})
    table = tool.get("monocut") if isinstance(tool, dict) else None
    if table is None:
        return MonocutConfig()
    if not isinstance(table, dict):
        raise ConfigError(str(path), ["[tool.monocut] must be a table"])
    return config_from_table(table, f"{path} [tool.monocut]")
