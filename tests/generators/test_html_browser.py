"""report.html in a real headless browser (Debian's chromium driven by Playwright).

The page must render with no console error and no network request, draw one graph node per
service, show a service's modules when it is clicked, switch the dependency matrix between
service, package and module level, and filter modules through the search box, also at
2,000 modules. Skipped when no chromium is installed, unless MONOCUT_REQUIRE_BROWSER is set
(as .ci/run does), in which case a missing browser fails the run.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from analyzer.plan import read_plan
from generators.html_report import report_html
from monocut import cli
from tests.generators.html_plans import large_plan, trend_points

SAMPLE = Path(__file__).resolve().parents[2] / "sample_monolith"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    for candidate in (os.environ.get("MONOCUT_CHROMIUM"), "chromium", "chromium-browser"):
        if candidate and (found := shutil.which(candidate)):
            return found
    return None


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    executable = chromium_path()
    if executable is None:
        if os.environ.get("MONOCUT_REQUIRE_BROWSER"):
            pytest.fail("MONOCUT_REQUIRE_BROWSER is set but no chromium is installed")
        pytest.skip("no chromium installed (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield instance
        instance.close()


class OpenedPage:
    """A page plus every console error, page error and non-file request it produced."""

    def __init__(self, browser: Any, path: Path) -> None:
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page = browser.new_page(viewport={"width": 1366, "height": 800})
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on(
            "request",
            lambda r: None if r.url.startswith(("file:", "data:")) else self.requests.append(r.url),
        )
        self.page.goto(path.as_uri())

    def close(self) -> None:
        self.page.close()


@pytest.fixture(scope="module")
def sample_report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    """report.html as `monocut decompose` writes it for sample_monolith, and its plan."""
    out = tmp_path_factory.mktemp("decompose") / "out"
    code = cli.main(["decompose", str(SAMPLE), "-o", str(out), "--no-cache", "-q", "--jobs", "1"])
    assert code == 0
    return out / "report.html", read_plan(out / "plan.yaml", check_dependencies=False)


def test_sample_report_renders_the_service_graph(browser: Any, sample_report: Any) -> None:
    path, plan = sample_report
    opened = OpenedPage(browser, path)
    page = opened.page
    nodes = page.locator("#service-graph .service-node")
    assert nodes.count() == len(plan.services)
    names = sorted(nodes.nth(i).get_attribute("data-service") for i in range(nodes.count()))
    assert names == sorted(s.name for s in plan.services)
    assert page.locator("#service-graph").bounding_box()["width"] > 300
    edges = page.locator("#service-graph .service-edge").count()
    assert edges == sum(len(s.depends_on) for s in plan.services)
    assert opened.errors == [] and opened.requests == []
    opened.close()


def test_clicking_a_service_shows_its_modules_api_and_dependencies(
    browser: Any, sample_report: Any
) -> None:
    path, plan = sample_report
    opened = OpenedPage(browser, path)
    page = opened.page
    service = max(plan.services, key=lambda s: len(s.depends_on) + len(s.modules))
    page.click(f'#service-graph .service-node[data-service="{service.name}"]')
    details = page.locator("#details")
    assert details.locator("h3").inner_text() == service.name
    rows = details.locator("table.service-modules tr")
    assert sorted(rows.nth(i).get_attribute("data-module") for i in range(rows.count())) == sorted(
        service.modules
    )
    text = details.inner_text()
    for target in service.depends_on:
        assert target in text
    assert f"API ({len(service.api)})" in text
    selected = page.locator("#service-graph .service-node.selected")
    assert selected.count() == 1 and selected.get_attribute("data-service") == service.name
    active = page.locator("#service-graph .service-edge.active")
    assert active.count() >= len(service.depends_on)
    # the table's links lead to the same panel
    other = next(s for s in plan.services if s.name != service.name)
    page.click(f'a.service-link[data-service="{other.name}"]')
    assert details.locator("h3").inner_text() == other.name
    assert opened.errors == []
    opened.close()


def test_matrix_switches_between_service_package_and_module_level(
    browser: Any, sample_report: Any
) -> None:
    path, plan = sample_report
    opened = OpenedPage(browser, path)
    page = opened.page
    canvas = page.locator("#dsm")
    groups = len(plan.services) + (1 if plan.shared.modules else 0)
    page.click('#matrix button[data-level="service"]')
    assert canvas.get_attribute("data-size") == str(groups)
    page.click('#matrix button[data-level="module"]')
    assert canvas.get_attribute("data-size") == str(len(plan.modules))
    page.click('#matrix button[data-level="package"]')
    assert groups <= int(canvas.get_attribute("data-size")) <= len(plan.modules)
    box = canvas.bounding_box()
    page.mouse.move(box["x"] + box["width"] - 3, box["y"] + 3)
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    assert page.locator("#dsm-tip").is_visible()
    assert "\u2192" in page.locator("#dsm-tip").inner_text()
    assert opened.errors == []
    opened.close()


def test_search_filters_modules_and_marks_their_services(browser: Any, sample_report: Any) -> None:
    path, plan = sample_report
    opened = OpenedPage(browser, path)
    page = opened.page
    query = "orders"
    page.fill("#module-search", query)
    visible = page.locator("tr.module-row:visible")
    shown = [visible.nth(i).get_attribute("data-module") for i in range(visible.count())]
    expected = [m for m in plan.modules if query in m]
    assert sorted(shown) == expected
    assert page.locator("#search-count").inner_text().startswith(f"{len(expected)} of ")
    matched = page.locator("#service-graph .service-node.match")
    owners = {s.name for s in plan.services if any(query in m for m in s.modules)}
    assert {matched.nth(i).get_attribute("data-service") for i in range(matched.count())} == owners
    page.fill("#module-search", "")
    assert page.locator("tr.module-row:visible").count() == len(plan.modules)
    assert opened.errors == []
    opened.close()


def test_two_thousand_modules_stay_usable(browser: Any, tmp_path: Path) -> None:
    plan, context = large_plan(services=20, per_service=100)
    path = tmp_path / "report.html"
    path.write_text(report_html(plan, context, trend=trend_points(8)), encoding="utf-8")
    opened = OpenedPage(browser, path)
    page = opened.page
    assert page.locator("#service-graph .service-node").count() == 20
    # collapsed by service at this size, and the matrix starts at service level
    assert page.locator("details.module-group[open]").count() == 0
    assert page.locator("#dsm").get_attribute("data-level") == "service"
    page.click('#matrix button[data-level="module"]')
    assert page.locator("#dsm").get_attribute("data-size") == str(len(plan.modules))
    page.fill("#module-search", "domain07.api.m041")
    visible = page.locator("tr.module-row:visible")
    assert visible.count() == 1
    assert visible.first.get_attribute("data-module") == "corp.domain07.api.m041"
    assert page.locator("details.module-group[open]").count() == 1
    page.click('#service-graph .service-node[data-service="domain07"]')
    assert page.locator("#details table.service-modules tr").count() == 100
    chart = page.locator("#trend svg polyline.icp")
    assert chart.count() == 1 and len(chart.get_attribute("points").split()) == 8
    assert opened.errors == [] and opened.requests == []
    opened.close()
