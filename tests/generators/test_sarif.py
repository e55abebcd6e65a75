"""SARIF 2.1.0 logs of the dependencies that cross service boundaries, validated against the
official OASIS schema (vendored offline: tests/data/sarif-schema-2.1.0.json, see its NOTICE)."""

from __future__ import annotations

import copy
import hashlib
import json
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft4Validator

from analyzer.plan import DecompositionPlan, Service, SourceInfo
from generators.sarif import (
    FINGERPRINT_KEY,
    SRCROOT,
    BoundaryCrossing,
    sarif_json,
    sarif_log,
)

SCHEMA_PATH = Path(__file__).resolve().parents[1] / "data" / "sarif-schema-2.1.0.json"
SCHEMA_SHA256 = "c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e"
# RFC 3986 URI-reference characters (the schema's "format": "uri" is not checked by jsonschema
# without an extra package, so the tests check the characters themselves).
URI_REFERENCE = re.compile(r"^([A-Za-z0-9\-._~!$&'()*+,;=:@/?#]|%[0-9A-F]{2})*$")


@pytest.fixture(scope="module")
def validator() -> Draft4Validator:
    raw = SCHEMA_PATH.read_bytes()
    assert hashlib.sha256(raw).hexdigest() == SCHEMA_SHA256, "the vendored schema was changed"
    schema = json.loads(raw)
    Draft4Validator.check_schema(schema)
    return Draft4Validator(schema)


def plan() -> DecompositionPlan:
    return DecompositionPlan(
        source=SourceInfo(root="."),
        services=(
            Service("payments", ("shop.payments.api",), 8002),
            Service("orders", ("shop.orders.service",), 8001),
            Service("catalog", ("shop.catalog.models",), 8003),
        ),
    )


def crossing(**changes: Any) -> BoundaryCrossing:
    base = BoundaryCrossing(
        source_service="orders",
        target_service="payments",
        source_module="shop.orders.service",
        target_module="shop.payments.api",
        kind="import",
        file="shop/orders/service.py",
        line=3,
    )
    return replace(base, **changes)


def several() -> list[BoundaryCrossing]:
    """orders -> payments (an import and two calls), payments -> orders closing a cycle, and
    orders -> catalog through a base class."""
    return [
        crossing(),
        crossing(kind="call", line=42),
        crossing(kind="call", line=17),
        crossing(
            source_service="payments",
            target_service="orders",
            source_module="shop.payments.api",
            target_module="shop.orders.service",
            kind="call",
            file="shop/payments/api.py",
            line=9,
            cycle=True,
        ),
        crossing(
            target_service="catalog",
            target_module="shop.catalog.models",
            kind="inheritance",
            line=20,
        ),
    ]


def log_of(crossings: list[BoundaryCrossing], **options: Any) -> dict[str, Any]:
    return sarif_log(plan(), crossings, tool_version="0.1.0", **options)


def assert_valid(validator: Draft4Validator, log: dict[str, Any]) -> None:
    errors = [
        f"{'/'.join(str(p) for p in e.absolute_path)}: {e.message}"
        for e in validator.iter_errors(log)
    ]
    assert errors == []
    # what goes to a file is what was validated
    assert json.loads(sarif_json(log)) == log
    for result in log["runs"][0]["results"]:
        for place in result["locations"] + result.get("relatedLocations", []):
            artifact = place["physicalLocation"]["artifactLocation"]
            assert URI_REFERENCE.match(artifact["uri"]), artifact["uri"]
            assert not artifact["uri"].startswith("/")
            assert artifact["uriBaseId"] == SRCROOT


def results(log: dict[str, Any]) -> list[dict[str, Any]]:
    return log["runs"][0]["results"]


def test_the_vendored_schema_rejects_a_broken_log(validator: Draft4Validator) -> None:
    """The schema really checks: a log the spec forbids fails it."""
    log = log_of(several())
    broken = copy.deepcopy(log)
    broken["version"] = "2.0.0"
    assert not validator.is_valid(broken)
    broken = copy.deepcopy(log)
    results(broken)[0]["level"] = "fatal"
    assert not validator.is_valid(broken)
    broken = copy.deepcopy(log)
    results(broken)[0]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0
    assert not validator.is_valid(broken)
    broken = copy.deepcopy(log)
    del results(broken)[0]["message"]
    assert not validator.is_valid(broken)


def test_no_crossings_is_a_valid_log_with_no_results(validator: Draft4Validator) -> None:
    log = log_of([])
    assert_valid(validator, log)
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert log["version"] == "2.1.0"
    [run] = log["runs"]
    assert run["results"] == []
    driver = run["tool"]["driver"]
    assert driver["name"] == "monocut"
    assert driver["version"] == "0.1.0"
    assert driver["informationUri"].startswith("https://")
    assert [r["id"] for r in driver["rules"]] == ["MC001", "MC002"]
    assert driver["rules"][0]["shortDescription"]["text"] == "cross-service dependency"
    assert driver["rules"][1]["shortDescription"]["text"] == "dependency cycle between services"
    for rule in driver["rules"]:
        assert rule["fullDescription"]["text"] and rule["help"]["text"]
        assert rule["defaultConfiguration"] == {"level": "warning"}
    assert "originalUriBaseIds" not in run
    assert run["properties"] == {"services": ["catalog", "orders", "payments"]}


def test_each_crossing_dependency_is_a_result_at_its_site(validator: Draft4Validator) -> None:
    log = log_of(several(), root_uri="file:///home/me/shop")
    assert_valid(validator, log)
    run = log["runs"][0]
    assert run["originalUriBaseIds"] == {SRCROOT: {"uri": "file:///home/me/shop/"}}
    found = [
        (
            r["ruleId"],
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
            r["properties"]["kind"],
        )
        for r in results(log)
    ]
    assert found == [
        ("MC001", "shop/orders/service.py", 3, "import"),
        ("MC001", "shop/orders/service.py", 17, "call"),
        ("MC001", "shop/orders/service.py", 20, "inheritance"),
        ("MC002", "shop/payments/api.py", 9, "call"),
    ]
    first = results(log)[0]
    assert first["level"] == "warning"
    assert first["message"]["text"] == (
        "shop.orders.service (orders) imports shop.payments.api (payments): crosses the "
        "intended boundary orders -> payments"
    )
    rules = run["tool"]["driver"]["rules"]
    for result in results(log):
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]


def test_a_cycle_is_reported_under_mc002(validator: Draft4Validator) -> None:
    cycle = results(log_of(several()))[-1]
    assert cycle["ruleId"] == "MC002" and cycle["ruleIndex"] == 1
    assert cycle["message"]["text"] == (
        "shop.payments.api (payments) calls shop.orders.service (orders): crosses the intended "
        "boundary payments -> orders, part of a dependency cycle between services"
    )


def test_the_sites_of_one_dependency_make_one_result(validator: Draft4Validator) -> None:
    calls = results(log_of(several()))[1]
    assert calls["locations"][0]["physicalLocation"]["region"] == {"startLine": 17}
    [other] = calls["relatedLocations"]
    assert other["id"] == 1
    assert other["physicalLocation"]["region"] == {"startLine": 42}
    assert other["message"]["text"] == "calls shop.payments.api here too"
    assert calls["properties"]["sites"] == 2


def test_fingerprints_survive_line_moves_and_tell_dependencies_apart() -> None:
    before = results(log_of(several()))
    moved = [replace(c, line=c.line + 100) for c in several()]
    after = results(log_of(moved))
    assert [r["partialFingerprints"] for r in after] == [r["partialFingerprints"] for r in before]
    assert [r["locations"] for r in after] != [r["locations"] for r in before]

    prints = [r["partialFingerprints"][FINGERPRINT_KEY] for r in before]
    assert len(set(prints)) == len(prints)
    [one] = results(log_of([crossing()]))
    [other_target] = results(log_of([crossing(target_module="shop.payments.gateway")]))
    [other_kind] = results(log_of([crossing(kind="call")]))
    [reversed_pair] = results(
        log_of([crossing(source_module="shop.payments.api", target_module="shop.orders.service")])
    )
    keys = {
        r["partialFingerprints"][FINGERPRINT_KEY]
        for r in (one, other_target, other_kind, reversed_pair)
    }
    assert len(keys) == 4
    # a renamed file or a moved service assignment is still the same dependency
    [renamed] = results(log_of([crossing(file="shop/orders/services.py", line=99)]))
    assert renamed["partialFingerprints"] == one["partialFingerprints"]


def test_hostile_names_and_paths_stay_data(validator: Draft4Validator) -> None:
    hostile = crossing(
        source_service='or"ders',
        source_module='shop.ordres.sérvice"; rm -rf /',
        target_module="shop.[pay](1).api\\x",
        file="shop/ordres/sérvice file#1?%.py",
        line=7,
    )
    windows = crossing(file="shop\\orders\\service.py", source_module="shop.win")
    log = log_of([hostile, windows], root_uri="file:///tmp/a%20b")
    assert_valid(validator, log)
    text = sarif_json(log)
    assert "sérvice" in text  # UTF-8, not escaped away
    found = {r["properties"]["sourceModule"]: r for r in results(log)}
    result = found['shop.ordres.sérvice"; rm -rf /']
    uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "shop/ordres/s%C3%A9rvice%20file%231%3F%25.py"
    # brackets and backslashes cannot read as a SARIF embedded link
    message = result["message"]["text"]
    assert "\\[pay\\](1)" in message and "\\\\x" in message
    assert result["properties"]["targetModule"] == "shop.[pay](1).api\\x"
    win = found["shop.win"]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert win == "shop/orders/service.py"


def test_a_site_without_a_line_points_at_the_file(validator: Draft4Validator) -> None:
    log = log_of([crossing(kind="wiring", file="./shop/settings.py", line=0)])
    assert_valid(validator, log)
    [result] = results(log)
    location = result["locations"][0]["physicalLocation"]
    assert location == {"artifactLocation": {"uri": "shop/settings.py", "uriBaseId": SRCROOT}}
    assert "is wired to" in result["message"]["text"]


@pytest.mark.parametrize(
    "changes",
    [{"kind": "export"}, {"line": -1}, {"line": True}, {"file": "/abs/x.py"}, {"file": "C:\\x.py"}],
)
def test_a_crossing_that_cannot_be_located_is_refused(changes: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        crossing(**changes)


def test_the_log_is_deterministic() -> None:
    forwards = sarif_json(log_of(several(), root_uri="file:///src"))
    backwards = sarif_json(log_of(list(reversed(several())), root_uri="file:///src"))
    assert forwards == backwards
    assert forwards.endswith("}\n")
    assert sarif_json(json.loads(forwards)) == forwards


def test_logs_do_not_share_state() -> None:
    first = log_of([])
    first["runs"][0]["tool"]["driver"]["rules"][0]["shortDescription"]["text"] = "changed"
    second = log_of([])
    assert second["runs"][0]["tool"]["driver"]["rules"][0]["shortDescription"]["text"] == (
        "cross-service dependency"
    )


def test_a_log_without_a_plan() -> None:
    log = sarif_log(None, [crossing()], tool_version="0.1.0")
    assert "properties" not in log["runs"][0]
    assert len(results(log)) == 1
