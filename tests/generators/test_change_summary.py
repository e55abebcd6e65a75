"""The short "what changed" Markdown of `monocut check`."""

from __future__ import annotations

from analyzer.baseline import Baseline, CrossingKey, GateSettings, compare
from generators.change_summary import MAX_LISTED, change_markdown

PARTITION = {"shop.orders.views": "orders", "shop.billing.api": "billing", "shop.a": "a"}


def state(keys: list[CrossingKey], cycles: tuple[tuple[str, ...], ...], icp: float) -> Baseline:
    pairs = len({(k.from_module, k.to_module) for k in keys})
    return Baseline(
        plan_fingerprint="p",
        services=("billing", "orders"),
        dependencies=tuple(sorted(keys)),
        cycles=cycles,
        metrics={"icp": icp, "cross_service_dependencies": pairs, "service_cycles": len(cycles)},
    )


def test_lists_new_dependencies_with_sites_and_new_cycles() -> None:
    new = CrossingKey("shop.orders.views", "shop.billing.api", "call")
    before = state([], (), 0.10)
    after = state([new], (("billing", "orders"),), 0.15)
    result = compare(before, after, GateSettings(icp_threshold=0.02))
    text = change_markdown(result, before, after, PARTITION, {new: "shop/orders/views.py:12"})
    assert text.splitlines()[0] == "## monocut architecture check failed"
    assert "| ICP | 0.1000 | 0.1500 | +0.0500 (threshold +0.02) **above the threshold** |" in text
    assert "| cross-service dependencies (module pairs) | 0 | 1 | +1 |" in text
    assert (
        "| `shop.orders.views` (orders) | `shop.billing.api` (billing) | call | "
        "`shop/orders/views.py:12` |"
    ) in text
    assert "### New service cycles (1)\n\n- billing -> orders -> billing" in text


def test_warn_mode_and_stale_entries() -> None:
    old = CrossingKey("shop.orders.views", "shop.billing.api", "import")
    new = CrossingKey("shop.billing.api", "shop.a", "import")
    before = state([old], (), 0.2)
    after = state([new], (), 0.2)
    result = compare(before, after, GateSettings(mode="warn"))
    text = change_markdown(result, before, after, PARTITION, {})
    assert "check passed with warnings (warn mode)" in text
    assert "<summary>1 baseline entry no longer present" in text
    assert f"- `{old}`" in text


def test_long_lists_are_cut_short() -> None:
    keys = [CrossingKey(f"shop.m{i:03d}", "shop.a", "import") for i in range(MAX_LISTED + 7)]
    before, after = state([], (), 0.0), state(keys, (), 0.0)
    text = change_markdown(compare(before, after), before, after, {}, {})
    assert text.count("| import |") == MAX_LISTED
    assert "and 7 more" in text


def test_unchanged_says_so_briefly() -> None:
    same = state([CrossingKey("shop.orders.views", "shop.billing.api", "import")], (), 0.3)
    text = change_markdown(compare(same, same), same, same, PARTITION, {})
    assert text.startswith("## monocut architecture check passed\n")
    assert "Nothing new crosses a service boundary." in text
    assert "<details>" not in text
    assert len(text.splitlines()) < 12
