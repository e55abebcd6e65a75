"""Baselines for the CI gate: the cross-service dependencies and metrics of a plan at a point in
time, and the comparison of a later state against them.

A baseline is keyed by `(from module, to module, kind)`, never by line numbers, so moving code
around inside a module changes nothing. `kind` is one of the dependency graph's signals:
import, call, inheritance or wiring. Only dependencies between modules of *different services*
of the plan are recorded; modules outside the plan and modules of the shared library cross
nothing.

The file is JSON with sorted keys and one entry per line, so a baseline committed to a
repository gives a readable diff when it is updated:

    {
      "cycles": [
        ["billing", "orders"]
      ],
      "dependencies": [
        {"from": "shop.billing.api", "kind": "import", "to": "shop.orders.models"}
      ],
      "metrics": {"cross_service_dependencies": 1, "icp": 0.125, "service_cycles": 1},
      "plan": {"fingerprint": "3f1c...", "services": ["billing", "orders"]},
      "schema_version": 1
    }
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from analyzer.metrics import icp, service_cycles
from analyzer.pipeline import Analysis
from analyzer.plan import DecompositionPlan

BASELINE_SCHEMA_VERSION = 1
KINDS = ("import", "call", "inheritance", "wiring")
MODES = ("fail", "warn")
ROUND_DIGITS = 4


class CrossingKey(NamedTuple):
    """A dependency of `from_module` on `to_module` that crosses a service boundary."""

    from_module: str
    to_module: str
    kind: str

    def __str__(self) -> str:
        return f"{self.from_module} -> {self.to_module} ({self.kind})"


@dataclass(frozen=True)
class Baseline:
    """Cross-service dependencies and service cycles of a plan, and its metrics.

    `cycles` are the simple cycles of the service dependency graph, each rotated to start at
    its smallest service name (so each cycle has one spelling), sorted. `plan_fingerprint`
    identifies which services hold which modules, so a baseline recorded against another plan
    is noticed.
    """

    plan_fingerprint: str
    services: tuple[str, ...]
    dependencies: tuple[CrossingKey, ...]
    cycles: tuple[tuple[str, ...], ...]
    metrics: Mapping[str, float] = field(default_factory=dict)
    schema_version: int = BASELINE_SCHEMA_VERSION

    @property
    def icp(self) -> float:
        return float(self.metrics.get("icp", 0.0))


@dataclass(frozen=True)
class GateSettings:
    """How the gate judges a change. `icp_threshold` is the largest allowed rise of ICP (an
    absolute difference of the share, 0.02 = two percentage points); in mode `warn` the gate
    reports but never fails."""

    icp_threshold: float = 0.02
    mode: str = "fail"

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"gate mode {self.mode!r} is not one of {', '.join(MODES)}")
        if not (math.isfinite(self.icp_threshold) and self.icp_threshold >= 0):
            raise ValueError(f"ICP threshold {self.icp_threshold} must be a number >= 0")


@dataclass(frozen=True)
class GateResult:
    """What changed between a baseline and the current state, and whether the gate fails."""

    new_dependencies: tuple[CrossingKey, ...]
    stale_dependencies: tuple[CrossingKey, ...]
    new_cycles: tuple[tuple[str, ...], ...]
    stale_cycles: tuple[tuple[str, ...], ...]
    icp_before: float
    icp_after: float
    icp_exceeded: bool
    plan_changed: bool
    settings: GateSettings

    @property
    def icp_delta(self) -> float:
        return round(self.icp_after - self.icp_before, ROUND_DIGITS) + 0.0

    @property
    def violations(self) -> tuple[str, ...]:
        """One line per reason the gate fails (or would fail, in warn mode)."""
        lines = [f"new cross-service dependency: {key}" for key in self.new_dependencies]
        lines += [f"new service cycle: {cycle_text(c)}" for c in self.new_cycles]
        if self.icp_exceeded:
            lines.append(
                f"ICP rose {self.icp_before:.4f} -> {self.icp_after:.4f} "
                f"(+{self.icp_delta:.4f}, threshold {self.settings.icp_threshold})"
            )
        return tuple(lines)

    @property
    def failed(self) -> bool:
        return self.settings.mode == "fail" and bool(self.violations)

    @property
    def stale(self) -> bool:
        return bool(self.stale_dependencies or self.stale_cycles)


class BaselineError(ValueError):
    """A baseline file that cannot be read; the message is one line naming the file."""

    def __init__(self, source: str, problem: str) -> None:
        self.source = source
        self.problem = problem
        super().__init__(f"{source}: {problem}")


def cycle_text(cycle: Iterable[str]) -> str:
    names = list(cycle)
    return " -> ".join([*names, names[0]]) if names else ""


# ---------------------------------------------------------------------------- state


def plan_fingerprint(plan: DecompositionPlan) -> str:
    """A short hash of which services hold which modules (and the shared library)."""
    data = {
        "services": {s.name: sorted(s.modules) for s in plan.services},
        "shared": sorted(plan.shared.modules),
    }
    text = json.dumps(data, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def crossing_dependencies(
    analysis: Analysis, partition: Mapping[str, str]
) -> tuple[CrossingKey, ...]:
    """Every (from, to, kind) of the dependency graph between modules of different services."""
    found: set[CrossingKey] = set()
    for source, target, data in analysis.dependencies.edges(data=True):
        a, b = partition.get(source), partition.get(target)
        if a is None or b is None or a == b:
            continue
        for kind in data.get("signals", {}):
            if kind in KINDS:
                found.add(CrossingKey(source, target, kind))
    return tuple(sorted(found))


def current_state(analysis: Analysis, plan: DecompositionPlan) -> Baseline:
    """The baseline the code at `analysis` has under `plan` right now."""
    known = set(analysis.modules)
    partition = {m: s for m, s in plan.partition().items() if m in known}
    dependencies = crossing_dependencies(analysis, partition)
    cycles = tuple(sorted(tuple(c) for c in service_cycles(analysis.dependencies, partition)))
    metrics = {
        "icp": round(icp(analysis.dependencies, partition), ROUND_DIGITS) + 0.0,
        "cross_service_dependencies": len({(k.from_module, k.to_module) for k in dependencies}),
        "service_cycles": len(cycles),
    }
    return Baseline(
        plan_fingerprint=plan_fingerprint(plan),
        services=tuple(sorted(s.name for s in plan.services)),
        dependencies=dependencies,
        cycles=cycles,
        metrics=metrics,
    )


def compare(
    baseline: Baseline, current: Baseline, settings: GateSettings = GateSettings()
) -> GateResult:
    """What `current` adds to and drops from `baseline`, judged by `settings`."""
    before, after = set(baseline.dependencies), set(current.dependencies)
    cycles_before, cycles_after = set(baseline.cycles), set(current.cycles)
    rise = round(current.icp - baseline.icp, ROUND_DIGITS)
    return GateResult(
        new_dependencies=tuple(sorted(after - before)),
        stale_dependencies=tuple(sorted(before - after)),
        new_cycles=tuple(sorted(cycles_after - cycles_before)),
        stale_cycles=tuple(sorted(cycles_before - cycles_after)),
        icp_before=baseline.icp,
        icp_after=current.icp,
        icp_exceeded=rise > settings.icp_threshold,
        plan_changed=baseline.plan_fingerprint != current.plan_fingerprint,
        settings=settings,
    )


def crossing_lines(analysis: Analysis, keys: Iterable[CrossingKey]) -> dict[CrossingKey, set[int]]:
    """The lines of the source module that make each key: its import statements (those that
    run the target module too, as a re-exporting package), its calls, its wiring references.
    Inheritance keeps no line per base, so those keys have none."""
    wanted = set(keys)
    lines: dict[CrossingKey, set[int]] = defaultdict(set)
    for item in analysis.imports.resolved:
        for target in item.depended_modules:
            key = CrossingKey(item.importer, target, "import")
            if key in wanted:
                lines[key].add(item.fact.line)
    for call in analysis.calls.calls:
        key = CrossingKey(call.caller_module, call.callee_module, "call")
        if key in wanted:
            lines[key].add(call.line)
    for link in analysis.wiring:
        key = CrossingKey(link.source, link.target_module, "wiring")
        if key in wanted:
            lines[key].add(link.line)
    return dict(lines)


def crossing_sites(analysis: Analysis, keys: Iterable[CrossingKey]) -> dict[CrossingKey, str]:
    """For each key with a known line, the first place in the code (`relpath:line`) that
    makes it: shown to the user, never stored in a baseline."""
    relpaths = {f.module: f.relpath for f in analysis.facts}
    return {
        key: f"{relpaths[key.from_module]}:{min(lines)}"
        for key, lines in sorted(crossing_lines(analysis, keys).items())
        if key.from_module in relpaths
    }


# ---------------------------------------------------------------------------- JSON


def baseline_to_dict(baseline: Baseline) -> dict[str, Any]:
    return {
        "schema_version": baseline.schema_version,
        "plan": {"fingerprint": baseline.plan_fingerprint, "services": list(baseline.services)},
        "metrics": dict(sorted(baseline.metrics.items())),
        "dependencies": [
            {"from": k.from_module, "kind": k.kind, "to": k.to_module}
            for k in baseline.dependencies
        ],
        "cycles": [list(c) for c in baseline.cycles],
    }


def dump_baseline(baseline: Baseline) -> str:
    """Deterministic JSON: sorted keys, one dependency or cycle per line, a final newline."""
    data = baseline_to_dict(baseline)
    parts = []
    for key in sorted(data):
        value = data[key]
        if isinstance(value, list) and value:
            items = ",\n".join(f"    {json.dumps(v, sort_keys=True)}" for v in value)
            text = f"[\n{items}\n  ]"
        else:
            text = json.dumps(value, sort_keys=True)
        parts.append(f"  {json.dumps(key)}: {text}")
    return "{\n" + ",\n".join(parts) + "\n}\n"


def _strings(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def baseline_from_dict(data: object, source: str = "baseline") -> Baseline:
    """Validate and load; raises BaselineError (one line) on anything unexpected."""

    def bad(problem: str) -> BaselineError:
        return BaselineError(source, f"not a valid monocut baseline: {problem}")

    if not isinstance(data, dict):
        raise bad("expected a JSON object")
    version = data.get("schema_version")
    if version != BASELINE_SCHEMA_VERSION:
        raise BaselineError(
            source,
            f"baseline schema_version {version!r} is not supported (expected "
            f"{BASELINE_SCHEMA_VERSION}); rewrite it with --update-baseline",
        )
    unknown = sorted(set(data) - {"schema_version", "plan", "metrics", "dependencies", "cycles"})
    if unknown:
        raise bad(f"unknown keys {', '.join(unknown)}")
    plan = data.get("plan")
    if (
        not isinstance(plan, dict)
        or not isinstance(plan.get("fingerprint"), str)
        or not _strings(plan.get("services"))
    ):
        raise bad("'plan' must hold a 'fingerprint' string and a 'services' list of names")
    metrics = data.get("metrics")
    if not isinstance(metrics, dict) or not all(
        isinstance(v, int | float) and not isinstance(v, bool) for v in metrics.values()
    ):
        raise bad("'metrics' must map names to numbers")
    entries = data.get("dependencies")
    if not isinstance(entries, list):
        raise bad("'dependencies' must be a list")
    keys: list[CrossingKey] = []
    for number, entry in enumerate(entries, 1):
        if (
            not isinstance(entry, dict)
            or set(entry) != {"from", "to", "kind"}
            or not all(isinstance(v, str) and v for v in entry.values())
        ):
            raise bad(f"dependency {number} must be an object with 'from', 'to' and 'kind'")
        if entry["kind"] not in KINDS:
            raise bad(f"dependency {number} has unknown kind {entry['kind']!r}")
        keys.append(CrossingKey(entry["from"], entry["to"], entry["kind"]))
    cycles = data.get("cycles")
    if not isinstance(cycles, list) or not all(_strings(c) and c for c in cycles):
        raise bad("'cycles' must be a list of lists of service names")
    return Baseline(
        plan_fingerprint=plan["fingerprint"],
        services=tuple(plan["services"]),
        dependencies=tuple(sorted(set(keys))),
        cycles=tuple(sorted({tuple(c) for c in cycles})),
        metrics=dict(metrics),
        schema_version=version,
    )


def load_baseline(text: str, source: str = "baseline") -> Baseline:
    try:
        data = json.loads(text)
    except ValueError as error:
        problem = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise BaselineError(source, f"not valid JSON ({problem})") from None
    return baseline_from_dict(data, source)
