"""Service identifiers, dependency resolution and cycle breaking, image tags, project names."""

from __future__ import annotations

import dataclasses

import networkx as nx
import pytest

from analyzer.plan import DecompositionPlan, Service, SourceInfo, is_dns_label
from generators.topology import image_tag, project_name, service_idents, topology

from .conftest import sample_plan


def plan_of(*services: Service, **source: str) -> DecompositionPlan:
    return DecompositionPlan(source=SourceInfo(root=".", **source), services=services)


def test_valid_names_are_kept_and_others_become_unique_dns_1035_labels() -> None:
    plan = plan_of(
        Service("Orders", ("a",), 8001),
        Service("orders", ("b",), 8002),
        Service("123", ("c",), 8003),
        Service('evil"name: {{x}}\n&a *b', ("d",), 8004),
        Service("", ("e",), 8005),
        Service("x" * 100, ("f",), 8006),
        Service("x" * 100 + "!", ("g",), 8007),
    )
    idents = service_idents(plan)
    assert idents[1] == "orders"  # already valid: keeps its name although listed second
    assert idents[0] == "orders-2"
    assert idents[2] == "s-123"
    assert len(set(idents)) == len(idents)
    for ident in idents:
        assert is_dns_label(ident) and ident[0].isalpha(), ident


def test_dependencies_resolve_to_identifiers_and_skip_unknown_and_self() -> None:
    plan = plan_of(
        Service("Web UI", ("a",), 8001, depends_on=("api", "ghost", "Web UI")),
        Service("api", ("b",), 8002),
    )
    graph = topology(plan)
    assert graph.node("web-ui").depends_on == ("api",)
    assert graph.node("api").dependents == ("web-ui",)
    assert any("'ghost'" in w for w in graph.warnings)
    assert any("itself" in w for w in graph.warnings)
    assert any("'web-ui'" in w for w in graph.warnings)  # renamed service is reported


def test_cycles_are_broken_deterministically_and_reported_by_plan_name() -> None:
    plan = plan_of(
        Service("a", ("a",), 8001, depends_on=("b",)),
        Service("b", ("b",), 8002, depends_on=("c",)),
        Service("c", ("c",), 8003, depends_on=("a", "b")),
        Service("d", ("d",), 8004, depends_on=("d", "a")),
    )
    graph = topology(plan)
    assert graph.dropped_edges == (("c", "a"), ("c", "b"))
    startup = nx.DiGraph(list(graph.startup_edges))
    assert nx.is_directed_acyclic_graph(startup)
    all_edges = {(n.ident, d) for n in graph.nodes for d in n.depends_on}
    assert set(graph.startup_edges) | set(graph.dropped_edges) == all_edges
    reordered = dataclasses.replace(plan, services=tuple(reversed(plan.services)))
    assert topology(reordered).dropped_edges == graph.dropped_edges


def test_sample_plan_cycle_drops_exactly_one_edge() -> None:
    graph = topology(sample_plan())
    assert graph.dropped_edges == (("orders", "billing"),)
    assert graph.startup_dependencies("orders") == ("catalog",)
    assert graph.startup_dependencies("billing") == ("orders",)
    # the dropped edge is still a runtime dependency
    assert graph.node("orders").depends_on == ("billing", "catalog")


@pytest.mark.parametrize("port", [0, 70000, -1, True])
def test_unusable_port_is_a_value_error(port: int) -> None:
    with pytest.raises(ValueError, match="1-65535"):
        topology(plan_of(Service("a", ("a",), port)))


def test_shared_port_is_a_warning() -> None:
    graph = topology(plan_of(Service("a", ("a",), 8001), Service("b", ("b",), 8001)))
    assert any("port 8001" in w for w in graph.warnings)


def test_image_tag_is_pinned_and_stable() -> None:
    plan = sample_plan()
    tag = image_tag(plan)
    assert tag.startswith("plan-") and tag != "latest"
    assert image_tag(dataclasses.replace(plan, services=plan.services[::-1])) == tag
    changed = dataclasses.replace(plan, services=plan.services[:2])
    assert image_tag(changed) != tag
    with_commit = dataclasses.replace(
        plan, source=dataclasses.replace(plan.source, git_commit="ABCDEF0123456789" * 2)
    )
    assert image_tag(with_commit) == "git-abcdef012345"
    hostile = dataclasses.replace(
        plan, source=dataclasses.replace(plan.source, git_commit="x: y\nlatest")
    )
    assert image_tag(hostile).startswith("plan-")


def test_project_name() -> None:
    assert project_name(sample_plan()) == "shop-app"
    assert project_name(sample_plan(root=".")) == "monocut"
    assert project_name(sample_plan(root="."), "My_Project") == "my-project"
    assert project_name(sample_plan(root="../2024 code/")) == "s-2024-code"
