"""SARIF 2.1.0 for code-scanning UIs: each dependency that crosses a service boundary of the plan
(or closes a cycle between services) is a result located at its import or call site.

The caller maps its analysis onto plain `BoundaryCrossing` records (one per site); this module
knows nothing of parsing or graphs. Sites of one dependency, that is one (source module, target
module, kind), become one result located at the first site, the other sites listed as related
locations, so a dependency is one alert however many lines make it. Each result carries a
fingerprint of that triple, never of a line, so code-scanning UIs follow it across commits that
move code around, like the baseline of `monocut check`.
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

if TYPE_CHECKING:
    from analyzer.plan import DecompositionPlan

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
TOOL_NAME = "monocut"
INFORMATION_URI = "https://pypi.org/project/monocut/"
SRCROOT = "SRCROOT"
FINGERPRINT_KEY = "monocutDependency/v1"
LEVEL = "warning"

KINDS = ("import", "call", "inheritance", "wiring")
VERBS = {
    "import": "imports",
    "call": "calls",
    "inheritance": "inherits from",
    "wiring": "is wired to",
}

CROSSING_RULE = "MC001"
CYCLE_RULE = "MC002"

RULES: tuple[dict[str, Any], ...] = (
    {
        "id": CROSSING_RULE,
        "name": "CrossServiceDependency",
        "shortDescription": {"text": "cross-service dependency"},
        "fullDescription": {
            "text": "A module of one intended service depends on a module of another service "
            "(an import, a call, a base class or a wiring reference), so the two cannot be "
            "deployed apart without replacing this dependency by a call through the other "
            "service's API."
        },
        "help": {
            "text": "The plan (plan.yaml) assigns the two modules to different services. Move "
            "one of the modules to the other service, go through the target service's public "
            "API (a network call or an event) instead, move the shared code to the shared "
            "library, or change the plan if the boundary is wrong. `monocut check` with a "
            "baseline fails when a new cross-service dependency appears.",
            "markdown": "The plan (`plan.yaml`) assigns the two modules to different services. "
            "Either:\n\n- move one of the modules to the other service,\n- go through the "
            "target service's public API (a network call or an event) instead,\n- move the "
            "shared code to the shared library, or\n- change the plan if the boundary is wrong."
            "\n\n`monocut check` with a baseline fails when a new cross-service dependency "
            "appears.",
        },
        "defaultConfiguration": {"level": LEVEL},
        "properties": {"tags": ["architecture", "maintainability"]},
    },
    {
        "id": CYCLE_RULE,
        "name": "ServiceDependencyCycle",
        "shortDescription": {"text": "dependency cycle between services"},
        "fullDescription": {
            "text": "A dependency that crosses a service boundary and is part of a cycle "
            "between services: each service of the cycle needs the others, so none can be "
            "deployed, released or scaled on its own."
        },
        "help": {
            "text": "Break the cycle: invert one of the dependencies (the callee publishes an "
            "event, or depends on an interface the caller provides), merge the services if "
            "they are one, or move the modules that tie them together. `monocut check` fails "
            "when a new cycle between services appears.",
            "markdown": "Break the cycle:\n\n- invert one of the dependencies (the callee "
            "publishes an event, or depends on an interface the caller provides),\n- merge "
            "the services if they are one, or\n- move the modules that tie them together."
            "\n\n`monocut check` fails when a new cycle between services appears.",
        },
        "defaultConfiguration": {"level": LEVEL},
        "properties": {"tags": ["architecture", "maintainability"]},
    },
)
RULE_INDEX = {rule["id"]: index for index, rule in enumerate(RULES)}


@dataclass(frozen=True)
class BoundaryCrossing:
    """One site where a module of one service depends on a module of another.

    `file` is the source module's file relative to the analyzed root (POSIX separators; a
    backslash is taken as one), `line` the line of the import or call (1-based; 0 when not
    known, and the result then points at the file), `cycle` whether the dependency between
    the two services is part of a cycle between services.
    """

    source_service: str
    target_service: str
    source_module: str
    target_module: str
    kind: str
    file: str
    line: int
    cycle: bool = False

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"kind {self.kind!r} is not one of {', '.join(KINDS)}")
        if isinstance(self.line, bool) or not isinstance(self.line, int) or self.line < 0:
            raise ValueError(f"line {self.line!r} is not a line number")
        if is_absolute(self.file):
            raise ValueError(f"file {self.file!r} is not relative to the analyzed root")

    @property
    def dependency(self) -> tuple[str, str, str]:
        """What identifies the dependency whatever its lines: (source, target module, kind)."""
        return (self.source_module, self.target_module, self.kind)

    @property
    def site(self) -> tuple[str, int]:
        return (posix_path(self.file), self.line)


def posix_path(path: str) -> str:
    """`shop\\orders\\a.py` and `./shop/orders/a.py` as `shop/orders/a.py`."""
    path = path.replace("\\", "/")
    while path.startswith("./"):
        path = path[2:]
    return path


def is_absolute(path: str) -> bool:
    posix = posix_path(path)
    return posix.startswith("/") or (len(posix) > 1 and posix[1] == ":")


def artifact_uri(path: str) -> str:
    """A relative file path as a URI reference: every character outside the unreserved set and
    `/` percent-encoded (UTF-8), so spaces, `#`, `?`, `%` and non-ASCII names stay one path."""
    return quote(posix_path(path), safe="/")


def base_uri(root_uri: str) -> str:
    """SARIF wants the URI of a base directory to end with a slash."""
    return root_uri if root_uri.endswith("/") else root_uri + "/"


def message_text(text: str) -> str:
    """Plain text for a SARIF message: a literal `[`, `]` or backslash is escaped, so a name
    never reads as an embedded link (SARIF 2.1.0, 3.11.6)."""
    return text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")


def fingerprint(source_module: str, target_module: str, kind: str) -> str:
    """Stable across line moves: a hash of what the dependency is, not of where it sits."""
    key = json.dumps([source_module, target_module, kind], ensure_ascii=False)
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def describe(crossing: BoundaryCrossing, cycle: bool) -> str:
    boundary = f"{crossing.source_service} -> {crossing.target_service}"
    text = (
        f"{crossing.source_module} ({crossing.source_service}) {VERBS[crossing.kind]} "
        f"{crossing.target_module} ({crossing.target_service}): crosses the intended boundary "
        f"{boundary}"
    )
    if cycle:
        text += ", part of a dependency cycle between services"
    return message_text(text)


def location(path: str, line: int) -> dict[str, Any]:
    physical: dict[str, Any] = {
        "artifactLocation": {"uri": artifact_uri(path), "uriBaseId": SRCROOT}
    }
    if line >= 1:
        physical["region"] = {"startLine": line}
    return {"physicalLocation": physical}


def result(sites: Sequence[BoundaryCrossing]) -> dict[str, Any]:
    """One result for every site of one dependency, located at the first."""
    first = sites[0]
    cycle = any(s.cycle for s in sites)
    rule = CYCLE_RULE if cycle else CROSSING_RULE
    places = sorted({s.site for s in sites})
    data: dict[str, Any] = {
        "ruleId": rule,
        "ruleIndex": RULE_INDEX[rule],
        "level": LEVEL,
        "message": {"text": describe(first, cycle)},
        "locations": [location(*places[0])],
    }
    if len(places) > 1:
        also = message_text(f"{VERBS[first.kind]} {first.target_module} here too")
        data["relatedLocations"] = [
            {
                "id": index,
                **location(*place),
                "message": {"text": also},
            }
            for index, place in enumerate(places[1:], start=1)
        ]
    data["partialFingerprints"] = {FINGERPRINT_KEY: fingerprint(*first.dependency)}
    data["properties"] = {
        "sourceService": first.source_service,
        "targetService": first.target_service,
        "sourceModule": first.source_module,
        "targetModule": first.target_module,
        "kind": first.kind,
        "sites": len(places),
    }
    return data


def grouped(crossings: Iterable[BoundaryCrossing]) -> list[list[BoundaryCrossing]]:
    """Sites by dependency; dependencies ordered by their first site, then by what they are."""
    by_dependency: defaultdict[tuple[str, str, str], list[BoundaryCrossing]] = defaultdict(list)
    for crossing in crossings:
        by_dependency[crossing.dependency].append(crossing)
    groups = [
        sorted(sites, key=lambda s: (s.site, s.source_service, s.target_service, s.cycle))
        for sites in by_dependency.values()
    ]
    groups.sort(key=lambda sites: (sites[0].site, sites[0].dependency))
    return groups


def sarif_log(
    plan: DecompositionPlan | None,
    crossings: Iterable[BoundaryCrossing],
    *,
    tool_version: str,
    root_uri: str | None = None,
) -> dict[str, Any]:
    """The SARIF 2.1.0 log of one run of monocut over the analyzed tree.

    `plan` is the plan the crossings were measured against (its services' names become the
    run's `properties.services`); `root_uri` is the absolute URI of the analyzed root
    (`Path.as_uri()`), given to viewers as the base `SRCROOT` of every location. Without it,
    viewers resolve locations against the checkout (as GitHub code scanning does).
    """
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": TOOL_NAME,
                "version": tool_version,
                "informationUri": INFORMATION_URI,
                "rules": copy.deepcopy(list(RULES)),
            }
        },
    }
    if root_uri is not None:
        run["originalUriBaseIds"] = {SRCROOT: {"uri": base_uri(root_uri)}}
    run["results"] = [result(sites) for sites in grouped(crossings)]
    if plan is not None:
        run["properties"] = {"services": sorted(service.name for service in plan.services)}
    return {"$schema": SARIF_SCHEMA_URI, "version": SARIF_VERSION, "runs": [run]}


def sarif_json(log: Mapping[str, Any]) -> str:
    """The log as UTF-8 JSON text, two-space indented, with a final newline."""
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"
