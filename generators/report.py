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

from analyzer.plan import DecompositionPlan, plan_to_dict
from generators.rendering import template_environment

REPORT_SCHEMA_VERSION = 1


@dataclass(frozen=True)
class CrossingDependency:
    """Module-level dependency weight that crosses from one service to another."""

    source_service: str
    target_service: str
    source_module: str
    target_module: str
    weight: float


@dataclass(frozen=True)
class ReportContext:
    """What a report shows besides the plan itself."""

    modules: int
    code_lines: int
    import_edges: int
    import_cycles: tuple[tuple[str, ...], ...] = ()
    calls_resolved: int = 0
    calls_external: int = 0
    calls_unresolved: int = 0
    undeclared_imports: tuple[str, ...] = ()
    crossings: tuple[CrossingDependency, ...] = ()
    metric_definitions: Mapping[str, str] = field(default_factory=dict)


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
            "calls": {
                "resolved": context.calls_resolved,
                "external": context.calls_external,
                "unresolved": context.calls_unresolved,
            },
            "undeclared_third_party_imports": list(context.undeclared_imports),
        },
        "metric_definitions": dict(sorted(context.metric_definitions.items())),
        "crossings": [asdict(c) for c in context.crossings],
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
    template = environment.get_template("report.md.j2")
    return template.render(plan=plan, context=context, data=report_data(plan, context))
