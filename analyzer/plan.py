"""DecompositionPlan: the contract between analysis and everything that writes files.

The plan is a YAML (or JSON) document that a person may edit by hand. Reading validates it
completely and reports every problem found, not only the first, each naming what is wrong.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from analyzer.facts import PARTIAL_ANALYSIS

SCHEMA_VERSION = 1
_ENTRY_POINT = re.compile(
    r"^(asgi|wsgi|celery|cli|main) [A-Za-z_]\w*(\.[A-Za-z_]\w*)*(:[A-Za-z_]\w*)?$"
)
DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
DNS_LABEL_MAX = 63
PYTHON_VERSION = re.compile(r"3\.\d{1,2}")
FIRST_PORT = 8001


@dataclass(frozen=True)
class SourceInfo:
    """Where the analyzed code came from.

    `root` is stored relative to the plan file's directory when the plan is written, so a plan
    committed beside the code keeps working after a clone. `package_roots` are the directories
    (relative to `root`) that hold top-level packages: "." for a flat layout, "src" for a src
    layout.
    """

    root: str
    package_roots: tuple[str, ...] = (".",)
    git_commit: str | None = None
    python_version: str = "3.11"


@dataclass(frozen=True)
class Service:
    """One proposed service.

    `api` holds the qualified names of its functions and classes used from other services (a
    class instantiated from elsewhere is listed as the class, not as its `__init__`);
    `reasons` maps a module to the strongest ties that placed it here. `entry_points` are
    the web apps, workers and command lines found in its modules, best first, each as
    `<kind> <module>[:<attribute>]` (`wsgi shop.web:app`; see analyzer.entrypoints).
    """

    name: str
    modules: tuple[str, ...]
    port: int
    api: tuple[str, ...] = ()
    depends_on: tuple[str, ...] = ()
    requirements: tuple[str, ...] = ()
    lines: int = 0
    reasons: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    metrics: Mapping[str, float] = field(default_factory=dict)
    entry_points: tuple[str, ...] = ()


@dataclass(frozen=True)
class SharedLibrary:
    """Modules used from most services: shipped as a library inside every image, not a service."""

    modules: tuple[str, ...] = ()
    requirements: tuple[str, ...] = ()
    reasons: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class UnparseableFile:
    """A file the analysis skipped, or (`partial`) read only in part: a Python 2 file, whose
    imports and definitions are known but not its calls."""

    path: str
    reason: str

    @property
    def partial(self) -> bool:
        return self.reason.endswith(PARTIAL_ANALYSIS)


@dataclass(frozen=True)
class DecompositionPlan:
    source: SourceInfo
    services: tuple[Service, ...]
    shared: SharedLibrary = field(default_factory=SharedLibrary)
    settings: Mapping[str, Any] = field(default_factory=dict)
    metrics: Mapping[str, float] = field(default_factory=dict)
    unparseable: tuple[UnparseableFile, ...] = ()
    schema_version: int = SCHEMA_VERSION

    def service(self, name: str) -> Service:
        for service in self.services:
            if service.name == name:
                return service
        raise KeyError(name)

    def partition(self) -> dict[str, str]:
        """Module -> service name, for every module placed in a service."""
        return {module: s.name for s in self.services for module in s.modules}

    @property
    def modules(self) -> tuple[str, ...]:
        """Every module the plan places, in services or in the shared library."""
        return tuple(sorted({*self.partition(), *self.shared.modules}))


class PlanError(Exception):
    """A plan that cannot be used; `problems` lists every mistake found, one line each."""

    def __init__(self, source: str, problems: Iterable[str]) -> None:
        self.source = source
        self.problems = tuple(problems)
        super().__init__(f"{source}: " + "; ".join(self.problems))


def is_dns_label(name: str) -> bool:
    """True for a valid RFC 1123 label: what Kubernetes and Compose accept as a service name."""
    return len(name) <= DNS_LABEL_MAX and bool(DNS_LABEL.match(name))


def dns_label(text: str, fallback: str = "service") -> str:
    """The closest valid DNS-1123 label to `text` (`Order_Processing` -> `order-processing`)."""
    label = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:DNS_LABEL_MAX].strip("-")
    return label or fallback


# ---------------------------------------------------------------------------- validation


def plan_problems(
    plan: DecompositionPlan,
    known_modules: Iterable[str] | None = None,
    *,
    check_dependencies: bool = True,
) -> list[str]:
    """Every inconsistency in a plan; with `known_modules`, also modules the code does not have.

    `check_dependencies=False` skips `depends_on`, which scoring derives from the code anyway,
    so renaming or removing a service by hand does not force editing every other service.
    """
    problems: list[str] = []
    if plan.schema_version != SCHEMA_VERSION:
        problems.append(
            f"schema_version {plan.schema_version} is not supported (expected {SCHEMA_VERSION})"
        )
    if not PYTHON_VERSION.fullmatch(plan.source.python_version):
        problems.append(
            f"source.python_version {plan.source.python_version!r} must look like '3.11'"
        )
    names = [s.name for s in plan.services]
    for name in sorted({n for n in names if names.count(n) > 1}):
        problems.append(f"service name {name!r} is used more than once")
    for service in plan.services:
        if not is_dns_label(service.name):
            problems.append(
                f"service name {service.name!r} is not a valid DNS-1123 label "
                "(lowercase letters, digits and '-', at most 63 characters, "
                f"e.g. {dns_label(service.name)!r})"
            )
        if not service.modules:
            problems.append(f"service {service.name!r} has no modules")
        if not 1 <= service.port <= 65535:
            problems.append(f"service {service.name!r} has port {service.port} outside 1-65535")
        for dependency in service.depends_on if check_dependencies else ():
            if dependency not in names:
                problems.append(
                    f"service {service.name!r} depends on unknown service {dependency!r}"
                )
            elif dependency == service.name:
                problems.append(f"service {service.name!r} depends on itself")
    ports = [s.port for s in plan.services]
    for port in sorted({p for p in ports if ports.count(p) > 1}):
        owners = ", ".join(repr(s.name) for s in plan.services if s.port == port)
        problems.append(f"port {port} is used by more than one service ({owners})")

    owners_of: dict[str, list[str]] = {}
    for service in plan.services:
        for module in service.modules:
            owners_of.setdefault(module, []).append(service.name)
    for module in plan.shared.modules:
        owners_of.setdefault(module, []).append("shared")
    for module, owners in sorted(owners_of.items()):
        if len(owners) > 1:
            problems.append(f"module {module!r} is placed more than once ({', '.join(owners)})")
    if known_modules is not None:
        known = set(known_modules)
        for module in sorted(set(owners_of) - known):
            problems.append(f"module {module!r} is not in the analyzed code")
    return problems


# ---------------------------------------------------------------------------- (de)serialization


def plan_to_dict(plan: DecompositionPlan) -> dict[str, Any]:
    """The plan as plain data in a stable, readable key order."""
    return {
        "schema_version": plan.schema_version,
        "source": {
            "root": plan.source.root,
            "package_roots": list(plan.source.package_roots),
            "git_commit": plan.source.git_commit,
            "python_version": plan.source.python_version,
        },
        "settings": _plain(plan.settings),
        "metrics": _plain(plan.metrics),
        "services": [
            {
                "name": s.name,
                "port": s.port,
                "lines": s.lines,
                "modules": list(s.modules),
                "depends_on": list(s.depends_on),
                "api": list(s.api),
                "entry_points": list(s.entry_points),
                "requirements": list(s.requirements),
                "metrics": _plain(s.metrics),
                "reasons": {m: list(r) for m, r in sorted(s.reasons.items())},
            }
            for s in plan.services
        ],
        "shared": {
            "modules": list(plan.shared.modules),
            "requirements": list(plan.shared.requirements),
            "reasons": {m: list(r) for m, r in sorted(plan.shared.reasons.items())},
        },
        "unparseable": [{"path": u.path, "reason": u.reason} for u in plan.unparseable],
    }


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in sorted(value.items())}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


class _Dumper(yaml.SafeDumper):
    """SafeDumper that indents block sequences under their key (as yamllint expects)."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> Any:
        return super().increase_indent(flow, False)


def dump_yaml(documents: Iterable[Any]) -> str:
    """One or more documents as YAML, each starting with `---`; only plain data is accepted.

    Every YAML file monocut writes goes through here: built as data, dumped safely, so no
    name can break or inject into the document.
    """
    return yaml.dump_all(
        list(documents),
        Dumper=_Dumper,
        explicit_start=True,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=80,
    )


def dump_plan_yaml(plan: DecompositionPlan) -> str:
    return dump_yaml([plan_to_dict(plan)])


def dump_plan_json(plan: DecompositionPlan) -> str:
    return json.dumps(plan_to_dict(plan), indent=2, ensure_ascii=False) + "\n"


def write_plan(plan: DecompositionPlan, path: Path) -> None:
    text = dump_plan_json(plan) if path.suffix == ".json" else dump_plan_yaml(plan)
    path.write_text(text, encoding="utf-8")


def read_plan(path: Path, *, check_dependencies: bool = True) -> DecompositionPlan:
    """Load and validate a plan file; raise PlanError listing every problem."""
    where = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise PlanError(where, [f"cannot read the plan: {error}"]) from None
    try:
        data = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except (yaml.YAMLError, json.JSONDecodeError) as error:
        first = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise PlanError(where, [f"not valid YAML/JSON: {first}"]) from None
    plan = plan_from_dict(data, where)
    problems = plan_problems(plan, check_dependencies=check_dependencies)
    if problems:
        raise PlanError(where, problems)
    return plan


def plan_from_dict(data: Any, where: str = "plan") -> DecompositionPlan:
    """Build a plan from plain data, collecting every shape error before raising."""
    problems: list[str] = []
    if not isinstance(data, dict):
        raise PlanError(where, ["the plan must be a mapping at the top level"])
    reader = _Reader(problems)
    source_data = reader.mapping(data, "source", required=True)
    source = SourceInfo(
        root=reader.string(source_data, "source.root", "root", required=True) or ".",
        package_roots=tuple(reader.strings(source_data, "source.package_roots", "package_roots"))
        or (".",),
        git_commit=reader.string(source_data, "source.git_commit", "git_commit"),
        python_version=reader.string(source_data, "source.python_version", "python_version")
        or "3.11",
    )
    services: list[Service] = []
    raw_services = data.get("services")
    if not isinstance(raw_services, list):
        problems.append("'services' must be a list of services")
        raw_services = []
    for index, raw in enumerate(raw_services):
        label = f"services[{index}]"
        if not isinstance(raw, dict):
            problems.append(f"{label} must be a mapping")
            continue
        name = reader.string(raw, f"{label}.name", "name", required=True) or f"<{label}>"
        label = f"service {name!r}"
        port = raw.get("port", FIRST_PORT + index)
        if not isinstance(port, int) or isinstance(port, bool):
            problems.append(f"{label}: 'port' must be an integer")
            port = 0
        lines = raw.get("lines", 0)
        services.append(
            Service(
                name=name,
                modules=tuple(reader.strings(raw, f"{label}.modules", "modules")),
                port=port,
                api=tuple(reader.strings(raw, f"{label}.api", "api")),
                entry_points=tuple(reader.entry_points(raw, f"{label}.entry_points")),
                depends_on=tuple(reader.strings(raw, f"{label}.depends_on", "depends_on")),
                requirements=tuple(reader.strings(raw, f"{label}.requirements", "requirements")),
                lines=lines if isinstance(lines, int) else 0,
                reasons=reader.reasons(raw, f"{label}.reasons"),
                metrics=reader.numbers(raw, f"{label}.metrics"),
            )
        )
    shared_data = reader.mapping(data, "shared")
    shared = SharedLibrary(
        modules=tuple(reader.strings(shared_data, "shared.modules", "modules")),
        requirements=tuple(reader.strings(shared_data, "shared.requirements", "requirements")),
        reasons=reader.reasons(shared_data, "shared.reasons"),
    )
    unparseable: list[UnparseableFile] = []
    raw_unparseable = data.get("unparseable") or []
    if not isinstance(raw_unparseable, list):
        problems.append("'unparseable' must be a list of {path, reason} entries")
        raw_unparseable = []
    if not all(isinstance(raw, dict) and "path" in raw for raw in raw_unparseable):
        problems.append("'unparseable' entries must have a 'path' and a 'reason'")
    for raw in raw_unparseable:
        if isinstance(raw, dict) and "path" in raw:
            unparseable.append(UnparseableFile(str(raw["path"]), str(raw.get("reason", ""))))
    version = data.get("schema_version", SCHEMA_VERSION)
    if not isinstance(version, int) or isinstance(version, bool):
        problems.append(f"'schema_version' must be the integer {SCHEMA_VERSION}")
        version = SCHEMA_VERSION
    settings = data.get("settings") or {}
    if not isinstance(settings, dict):
        problems.append("'settings' must be a mapping")
        settings = {}
    excludes = settings.get("excludes", [])
    if not isinstance(excludes, list) or not all(isinstance(e, str) for e in excludes):
        problems.append("'settings.excludes' must be a list of glob strings")
    if not isinstance(settings.get("include_tests", False), bool):
        problems.append("'settings.include_tests' must be true or false")
    metrics = reader.numbers(data, "metrics")
    if problems:
        raise PlanError(where, problems)
    return DecompositionPlan(
        schema_version=version,
        source=source,
        settings=settings,
        metrics=metrics,
        services=tuple(services),
        shared=shared,
        unparseable=tuple(unparseable),
    )


class _Reader:
    """Typed getters over untrusted plan data that record a problem instead of raising."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems

    def mapping(self, data: dict, key: str, required: bool = False) -> dict:
        value = data.get(key)
        if value is None:
            if required:
                self.problems.append(f"'{key}' is missing")
            return {}
        if not isinstance(value, dict):
            self.problems.append(f"'{key}' must be a mapping")
            return {}
        return value

    def string(self, data: dict, label: str, key: str, required: bool = False) -> str | None:
        value = data.get(key)
        if value is None:
            if required:
                self.problems.append(f"'{label}' is missing")
            return None
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            self.problems.append(f"'{label}' must be a string")
            return None
        return str(value)

    def strings(self, data: dict, label: str, key: str) -> list[str]:
        value = data.get(key)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problems.append(f"'{label}' must be a list of strings")
            return []
        return list(value)

    def entry_points(self, data: dict, label: str) -> list[str]:
        found = self.strings(data, label, "entry_points")
        for text in found:
            if not _ENTRY_POINT.match(text):
                self.problems.append(
                    f"'{label}': {text!r} is not `<kind> <module>[:<attribute>]` with kind "
                    "asgi, wsgi, celery, cli or main"
                )
        return found

    def numbers(self, data: dict, label: str) -> dict[str, float]:
        value = data.get("metrics") if label.endswith("metrics") else None
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.problems.append(f"'{label}' must be a mapping of numbers")
            return {}
        numbers: dict[str, float] = {}
        for key, number in value.items():
            if isinstance(number, bool) or not isinstance(number, int | float):
                self.problems.append(f"'{label}.{key}' must be a number")
            else:
                numbers[str(key)] = number
        return numbers

    def reasons(self, data: dict, label: str) -> dict[str, tuple[str, ...]]:
        value = data.get("reasons")
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.problems.append(f"'{label}' must map modules to lists of reasons")
            return {}
        return {
            str(module): tuple(str(r) for r in reasons)
            for module, reasons in value.items()
            if isinstance(reasons, list)
        }
