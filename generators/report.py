"""Reports of a decomposition: report.md for people, report.json for machines.

Reports are rendered from the plan plus a ReportContext of plain numbers about the analysis,
so this module knows nothing of parsing or graphs.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from analyzer.explain import MoveCandidate, SplitPackage
from analyzer.plan import DecompositionPlan, plan_to_dict
from analyzer.signals.data import ModelOwnership
from generators.rendering import template_environment

REPORT_SCHEMA_VERSION = 3

#: How many caller -> callee lines report.md shows per pair of services (report.json has all).
MAX_CALLS_SHOWN = 20


@dataclass(frozen=True)
class CrossingDependency:
    """Module-level dependency weight that crosses from one service to another."""

    source_service: str
    target_service: str
    source_module: str
    target_module: str
    weight: float


@dataclass(frozen=True)
class BoundaryCall:
    """A function of one service calling a function or class of another: the caller, the
    callee, the caller's file (relative to the analyzed root) and the lines of the calls."""

    caller: str
    callee: str
    file: str
    lines: tuple[int, ...]

    @property
    def where(self) -> str:
        """`shop/orders/service.py:42` (or `:42,57` for several lines)."""
        return f"{self.file}:{','.join(str(line) for line in self.lines)}"


@dataclass(frozen=True)
class ServiceCalls:
    """Every call from one service into another: the work that cutting them apart costs.

    `count` is the number of calls (one per caller, callee and line; an instantiation counts
    once); `calls` holds each distinct caller -> callee, sorted.
    """

    source_service: str
    target_service: str
    count: int
    calls: tuple[BoundaryCall, ...]


@dataclass(frozen=True)
class CallSites:
    """Call expressions of the analyzed code by how they resolved."""

    internal: int = 0  # at least one target in the analyzed code
    external: int = 0  # only builtins, the standard library or third-party code
    unresolved: int = 0  # no target known

    @property
    def total(self) -> int:
        return self.internal + self.external + self.unresolved

    def as_dict(self) -> dict[str, int]:
        return {
            "internal": self.internal,
            "external": self.external,
            "unresolved": self.unresolved,
            "total": self.total,
        }


@dataclass(frozen=True)
class ServiceExplanation:
    """What holds a service together: each signal's share of the similarity inside it, the
    data models it owns, and the words that set it apart from the rest of the code."""

    service: str
    signals: tuple[tuple[str, float], ...]
    models: tuple[str, ...] = ()
    terms: tuple[str, ...] = ()


@dataclass(frozen=True)
class DependencyExplanation:
    """What one service's dependency on another consists of: weight per kind of evidence
    (import, call, inheritance, wiring), module pairs, and the heaviest pairs as examples."""

    source_service: str
    target_service: str
    weight: float
    kinds: tuple[tuple[str, float], ...]
    module_pairs: int
    examples: tuple[str, ...]


@dataclass(frozen=True)
class ReportContext:
    """What a report shows besides the plan itself."""

    modules: int
    code_lines: int
    import_edges: int
    import_cycles: tuple[tuple[str, ...], ...] = ()
    call_sites: CallSites = CallSites()
    undeclared_imports: tuple[str, ...] = ()
    crossings: tuple[CrossingDependency, ...] = ()
    service_calls: tuple[ServiceCalls, ...] = ()
    metric_definitions: Mapping[str, str] = field(default_factory=dict)
    stability: float | None = None  # mean ARI of the plans of five seeds
    signal_summary: Mapping[str, Any] = field(default_factory=dict)
    service_explanations: tuple[ServiceExplanation, ...] = ()
    dependency_explanations: tuple[DependencyExplanation, ...] = ()
    models: tuple[ModelOwnership, ...] = ()
    move_candidates: tuple[MoveCandidate, ...] = ()
    split_packages: tuple[SplitPackage, ...] = ()
    #: every module's lines of code, and every module dependency (source, target, weight),
    #: for the HTML report's service sizes and dependency structure matrix
    module_lines: Mapping[str, int] = field(default_factory=dict)
    module_dependencies: tuple[tuple[str, str, float], ...] = ()

    @property
    def shared_models(self) -> tuple[ModelOwnership, ...]:
        """Models that more than one service touches: what stands in an extraction's way."""
        return tuple(m for m in self.models if m.shared)


def percent(part: int, total: int) -> str:
    """`part` as a share of `total`, one decimal: `57.3%` (`0.0%` when total is 0)."""
    return f"{100 * part / total:.1f}%" if total else "0.0%"


def service_calls_data(pair: ServiceCalls) -> dict[str, Any]:
    return {
        "source_service": pair.source_service,
        "target_service": pair.target_service,
        "count": pair.count,
        "calls": [
            {"caller": c.caller, "callee": c.callee, "file": c.file, "lines": list(c.lines)}
            for c in pair.calls
        ],
    }


def report_data(plan: DecompositionPlan, context: ReportContext) -> dict[str, Any]:
    """The whole report as plain data: the plan, the analysis summary, the definitions."""
    return {
        "report_schema_version": REPORT_SCHEMA_VERSION,
        "summary": {
            "modules": context.modules,
            "code_lines": context.code_lines,
            "services": len(plan.services),
            "shared_modules": len(plan.shared.modules),
            "import_edges": context.import_edges,
            "import_cycles": [list(c) for c in context.import_cycles],
            "call_sites": context.call_sites.as_dict(),
            "undeclared_third_party_imports": list(context.undeclared_imports),
        },
        "metric_definitions": dict(sorted(context.metric_definitions.items())),
        "stability": context.stability,
        "signals": dict(context.signal_summary),
        "service_explanations": [
            {**asdict(e), "signals": dict(e.signals)} for e in context.service_explanations
        ],
        "dependency_explanations": [
            {**asdict(e), "kinds": dict(e.kinds)} for e in context.dependency_explanations
        ],
        "data_models": [asdict(m) for m in context.models],
        "layout": {
            "move_candidates": [asdict(m) for m in context.move_candidates],
            "split_packages": [
                {"package": s.package, "services": dict(s.services)} for s in context.split_packages
            ],
        },
        "crossings": [asdict(c) for c in context.crossings],
        "crossing_calls": [service_calls_data(pair) for pair in context.service_calls],
        "plan": plan_to_dict(plan),
    }


def report_json(plan: DecompositionPlan, context: ReportContext) -> str:
    return json.dumps(report_data(plan, context), indent=2, ensure_ascii=False) + "\n"


def markdown_cell(value: object) -> str:
    """Text safe inside a Markdown table cell."""
    return str(value).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def report_markdown(
    plan: DecompositionPlan, context: ReportContext, templates_dir: Path | None = None
) -> str:
    environment = template_environment(templates_dir)
    environment.filters["cell"] = markdown_cell
    environment.globals["percent"] = percent
    template = environment.get_template("report.md.j2")
    return template.render(
        plan=plan,
        context=context,
        data=report_data(plan, context),
        max_calls_shown=MAX_CALLS_SHOWN,
    )
