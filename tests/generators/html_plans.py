"""Plans and report contexts for the HTML report tests, built directly (no analysis run)."""

from __future__ import annotations

import random

from analyzer.history import TrendPoint
from analyzer.plan import DecompositionPlan, Service, SharedLibrary, SourceInfo, UnparseableFile
from analyzer.signals.data import ModelOwnership
from generators.report import DependencyExplanation, ReportContext, ServiceExplanation


def large_plan(
    services: int = 20, per_service: int = 100, seed: int = 7
) -> tuple[DecompositionPlan, ReportContext]:
    """`services` services of `per_service` modules each (2,000 by default) in two packages
    per service, a shared library of 40 modules, and a random but seeded dependency web:
    mostly inside services, some across, some onto the shared library."""
    rng = random.Random(seed)
    names = [f"domain{n:02d}" for n in range(services)]
    members = {
        name: [f"corp.{name}.{'api' if i % 2 else 'core'}.m{i:03d}" for i in range(per_service)]
        for name in names
    }
    shared = [f"corp.common.util{i:02d}" for i in range(40)]
    lines = {m: 20 + rng.randrange(400) for ms in members.values() for m in ms}
    lines.update({m: 30 for m in shared})
    service_of = {m: s for s, ms in members.items() for m in ms}
    everything = sorted([*service_of, *shared])
    edges: set[tuple[str, str, float]] = set()
    for module in sorted(service_of):
        own = members[service_of[module]]
        for _ in range(4):
            edges.add((module, rng.choice(own), 1.0))
        if rng.random() < 0.15:
            edges.add((module, rng.choice(everything), 0.5))
        edges.add((module, rng.choice(shared), 1.0))
    edges = {e for e in edges if e[0] != e[1]}
    weights: dict[tuple[str, str], float] = {}
    for u, v, w in edges:
        if u in service_of and v in service_of and service_of[u] != service_of[v]:
            key = (service_of[u], service_of[v])
            weights[key] = weights.get(key, 0.0) + w
    depends = {s: sorted({t for (a, t) in weights if a == s}) for s in names}
    plan = DecompositionPlan(
        source=SourceInfo(root="corp"),
        services=tuple(
            Service(
                name,
                tuple(members[name]),
                8001 + n,
                api=(f"{members[name][1]}.handle",),
                depends_on=tuple(depends[name]),
                lines=sum(lines[m] for m in members[name]),
                reasons={m: (f"{members[name][0]}: import 1.00",) for m in members[name][1:]},
                metrics={"cohesion": 0.5, "coupling": 0.2},
            )
            for n, name in enumerate(names)
        ),
        shared=SharedLibrary(modules=tuple(shared)),
        metrics={"icp": 0.21, "modularity": 0.55},
        unparseable=(UnparseableFile("corp/legacy/py2.py", "syntax error at line 3: print x"),),
    )
    context = ReportContext(
        modules=len(everything),
        code_lines=sum(lines.values()),
        import_edges=len(edges),
        metric_definitions={"icp": "Inter-partition call percentage.", "modularity": "Newman Q."},
        dependency_explanations=tuple(
            DependencyExplanation(
                a, b, round(w, 4), (("import", round(w, 4)),), 1, (f"{a} -> {b}",)
            )
            for (a, b), w in sorted(weights.items())
        ),
        service_explanations=tuple(
            ServiceExplanation(name, (("imports", 0.8), ("semantic", 0.2)), terms=("ledger",))
            for name in names
        ),
        models=(
            ModelOwnership(
                "corp.domain00.core.m000.Invoice",
                "domain00_invoice",
                "corp.domain00.core.m000",
                "domain00",
                ("domain00", "domain01"),
                ("domain02",),
            ),
        ),
        module_lines=lines,
        module_dependencies=tuple(sorted(edges)),
    )
    return plan, context


def trend_points(count: int = 6) -> tuple[TrendPoint, ...]:
    return tuple(
        TrendPoint(
            commit=f"{n:040x}",
            date=f"2026-01-{n + 1:02d}T10:00:00+00:00",
            subject=f"change {n}",
            modules=100 + n,
            icp=0.1 + 0.02 * n,
            cross_service_dependencies=3 + n,
            service_coupling={"domain00": 0.1 * (n % 3), "domain01": 0.05 * n},
        )
        for n in range(count)
    )
