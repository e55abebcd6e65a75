"""The recognizer registry and `find_wiring`: plug-ins, run order, de-duplication, and the
wiring edges of the dependency graph."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from analyzer.pipeline import Analysis
from analyzer.signals import wiring as wiring_module
from analyzer.signals.wiring import (
    Recognizer,
    WiringContext,
    WiringLink,
    find_wiring,
    recognizer,
    registered_recognizers,
)
from tests.trees import analyze_tree, code_index_of

BUILT_IN = {
    "celery.task_name",
    "django.get_model",
    "django.installed_apps",
    "django.model_reference",
    "django.signal",
    "django.url_include",
    "dynamic.class_loader",
    "dynamic.import",
    "sqlalchemy.relationship",
    "string_reference",
}

PLUGIN_TREE = {
    "site/__init__.py": "",
    "site/registry.py": """
        from site.hooks import plug

        plug("site.handlers.audit")
        plug("site.handlers")
        plug("site.nowhere.thing")
    """,
    "site/handlers.py": """
        def audit(event):
            return event
    """,
    "site/hooks.py": """
        def plug(target):
            return target
    """,
}


@pytest.fixture
def registry() -> Iterator[dict[str, type[Recognizer]]]:
    """The registry, restored after the test (so that test recognizers leave no trace)."""
    registered_recognizers()  # load the built-in ones first
    saved = dict(wiring_module._REGISTRY)
    yield wiring_module._REGISTRY
    wiring_module._REGISTRY.clear()
    wiring_module._REGISTRY.update(saved)


def context_of(analysis: Analysis) -> WiringContext:
    return WiringContext(code_index_of(analysis), analysis.models)


def test_built_in_recognizers_in_run_order() -> None:
    found = registered_recognizers()
    assert {r.name for r in found} >= BUILT_IN
    order = [(r.priority, r.name) for r in found]
    assert order == sorted(order)
    assert found[-1].name == "string_reference"  # the catch-all runs last
    assert all(isinstance(r, Recognizer) for r in found)


def test_a_new_recognizer_is_used_by_find_wiring_and_the_pipeline(
    registry: dict[str, type[Recognizer]], tmp_path: Path
) -> None:
    @recognizer
    class Plugs(Recognizer):
        """`plug("dotted.path")`: a made-up framework's registry."""

        name = "test.plug"
        priority = 5

        def find(self, context: WiringContext) -> Iterator[WiringLink]:
            for module in context.code.modules:
                for call in context.code.calls(module):
                    if call.name == "plug" and call.args and call.args[0]:
                        link = context.link(module, call.args[0], self.name, call.line)
                        if link is not None:
                            yield link

    assert registry["test.plug"] is Plugs
    assert registered_recognizers()[0].name == "test.plug"  # priority 5: first
    analysis = analyze_tree(tmp_path, PLUGIN_TREE, cochange=False)
    found = {(w.source, w.target, w.kind, w.line) for w in analysis.wiring}
    # the plug-in runs before `string_reference`, so it keeps the references it finds
    assert ("site.registry", "site.handlers.audit", "test.plug", 3) in found
    assert ("site.registry", "site.handlers", "test.plug", 4) in found
    assert not any(w.target.startswith("site.nowhere") for w in analysis.wiring)
    assert not any(w.kind == "string_reference" for w in analysis.wiring)
    assert find_wiring(context_of(analysis)) == analysis.wiring
    assert analysis.dependencies.edges["site.registry", "site.handlers"]["signals"]["wiring"] > 0


def test_without_the_recognizer_only_the_catch_all_remains(
    registry: dict[str, type[Recognizer]], tmp_path: Path
) -> None:
    assert "test.plug" not in registry  # the previous test cleaned up
    analysis = analyze_tree(tmp_path, PLUGIN_TREE, cochange=False)
    assert {(w.target, w.kind) for w in analysis.wiring} == {
        ("site.handlers.audit", "string_reference"),
        ("site.handlers", "string_reference"),
    }


def test_recognizer_needs_a_name(registry: dict[str, type[Recognizer]]) -> None:
    before = dict(registry)
    with pytest.raises(ValueError, match="no name"):

        @recognizer
        class Nameless(Recognizer):
            def find(self, context: WiringContext) -> Iterator[WiringLink]:
                yield from ()

    assert registry == before


class Fixed(Recognizer):
    """Yields given links (for find_wiring's own rules)."""

    def __init__(self, name: str, links: list[WiringLink]) -> None:
        self.name = name
        self.links = links

    def find(self, context: WiringContext) -> Iterator[WiringLink]:
        yield from self.links


def test_find_wiring_keeps_the_first_recognizers_link_and_drops_self_links(
    tmp_path: Path,
) -> None:
    context = context_of(analyze_tree(tmp_path, PLUGIN_TREE, cochange=False))
    first = WiringLink("site.registry", "site.handlers", "site.handlers.audit", "first", 3)
    again = WiringLink("site.registry", "site.handlers", "site.handlers.audit", "second", 3)
    other_line = WiringLink("site.registry", "site.handlers", "site.handlers.audit", "second", 4)
    itself = WiringLink("site.handlers", "site.handlers", "site.handlers.audit", "first", 1)
    found = find_wiring(
        context, [Fixed("first", [other_line, first, itself]), Fixed("second", [again])]
    )
    assert found == (first, other_line)  # sorted; one per (source, target, line)
    assert find_wiring(context, []) == ()


def test_context_link_only_to_analyzed_code(tmp_path: Path) -> None:
    context = context_of(analyze_tree(tmp_path, PLUGIN_TREE, cochange=False))
    link = context.link("site.registry", "site.handlers.audit", "k", 7, "Audit")
    assert link == WiringLink(
        "site.registry", "site.handlers", "site.handlers.audit", "k", 7, "Audit"
    )
    assert context.link("site.registry", "django.db.models.Model", "k", 7) is None
    assert context.link("site.registry", "sitemaps.x", "k", 7) is None


# -- wiring in the dependency graph


@pytest.mark.parametrize(
    ("source", "target"),
    [
        ("shop.urls", "shop.orders.urls"),  # include()
        ("shop.orders.models", "shop.catalogue.models"),  # ForeignKey("catalogue.Product")
        ("shop.orders.services", "shop.orders.models"),  # apps.get_model
        ("shop.notifications.handlers", "shop.orders.services"),  # signal sent there
        ("shop.settings", "shop.catalogue"),  # INSTALLED_APPS
        ("shop.settings", "shop.orders.apps"),
    ],
)
def test_wiring_edges_in_the_dependency_graph(
    django_shop: Analysis, source: str, target: str
) -> None:
    signals = django_shop.dependencies.edges[source, target]["signals"]
    assert signals["wiring"] > 0
    # none of these is an import, except the handler that also imports the Order model
    assert "import" not in signals


def test_wiring_adds_to_an_import_edge(django_shop: Analysis) -> None:
    signals = django_shop.dependencies.edges["shop.notifications.handlers", "shop.orders.models"][
        "signals"
    ]
    assert signals["import"] > 0
    assert signals["wiring"] > 0  # `sender=Order`


def test_wiring_is_deterministic(django_shop: Analysis, tmp_path: Path) -> None:
    from tests.analyzer.signals.projects import DJANGO_SHOP

    again = analyze_tree(tmp_path, DJANGO_SHOP, cochange=False)
    assert again.wiring == django_shop.wiring
    assert list(again.wiring) == sorted(again.wiring)
