"""The short Markdown of a `monocut check`: what changed since the baseline, for a pull-request
comment or a CI step summary. It leads with the verdict, shows the three numbers the gate
watches before and after, then lists only what is new (each new dependency with the file and
line that makes it) and, folded away, what the baseline no longer needs. The full picture is
the HTML or Markdown report; this is the diff.
"""

from __future__ import annotations

from collections.abc import Mapping

from analyzer.baseline import Baseline, CrossingKey, GateResult, cycle_text
from generators.report import markdown_cell

#: New dependencies listed in full; the rest are counted (a PR comment must stay short).
MAX_LISTED = 30


def _signed(value: float, digits: int = 4) -> str:
    return f"{value:+.{digits}f}" if digits else f"{value:+d}"


def _module(module: str, partition: Mapping[str, str]) -> str:
    """`` `shop.orders.views` (orders) `` for a table cell."""
    return f"`{markdown_cell(module)}` ({markdown_cell(partition.get(module, '?'))})"


def verdict(result: GateResult) -> str:
    if result.failed:
        return "failed"
    if result.violations:
        return "passed with warnings (warn mode)"
    return "passed"


def change_markdown(
    result: GateResult,
    before: Baseline,
    after: Baseline,
    partition: Mapping[str, str],
    sites: Mapping[CrossingKey, str],
) -> str:
    """Markdown of what changed between `before` (the baseline) and `after` (the code now)."""
    deps_before = int(before.metrics.get("cross_service_dependencies", 0))
    deps_after = int(after.metrics.get("cross_service_dependencies", 0))
    icp_note = f" (threshold +{result.settings.icp_threshold})"
    if result.icp_exceeded:
        icp_note += " **above the threshold**"
    lines = [
        f"## monocut architecture check {verdict(result)}",
        "",
        "| | baseline | now | change |",
        "|---|---:|---:|---:|",
        f"| ICP | {result.icp_before:.4f} | {result.icp_after:.4f} | "
        f"{_signed(result.icp_delta)}{icp_note} |",
        f"| cross-service dependencies (module pairs) | {deps_before} | {deps_after} | "
        f"{_signed(deps_after - deps_before, 0)} |",
        f"| service cycles | {len(before.cycles)} | {len(after.cycles)} | "
        f"{_signed(len(after.cycles) - len(before.cycles), 0)} |",
        "",
    ]
    if result.plan_changed:
        lines += [
            "> The plan's services changed since the baseline was written; once the new plan "
            "is accepted, run `monocut check --update-baseline`.",
            "",
        ]
    if result.new_dependencies:
        lines += [
            f"### New cross-service dependencies ({len(result.new_dependencies)})",
            "",
            "| from | to | kind | where |",
            "|---|---|---|---|",
        ]
        for key in result.new_dependencies[:MAX_LISTED]:
            source, target = (_module(m, partition) for m in (key.from_module, key.to_module))
            where = f"`{markdown_cell(sites[key])}`" if key in sites else ""
            lines.append(f"| {source} | {target} | {key.kind} | {where} |")
        hidden = len(result.new_dependencies) - MAX_LISTED
        if hidden > 0:
            lines.append(f"\nand {hidden} more (`monocut check` prints them all).")
        lines.append("")
    if result.new_cycles:
        lines += [f"### New service cycles ({len(result.new_cycles)})", ""]
        lines += [f"- {markdown_cell(cycle_text(c))}" for c in result.new_cycles]
        lines.append("")
    if not result.violations:
        lines += ["Nothing new crosses a service boundary.", ""]
    gone = [str(k) for k in result.stale_dependencies]
    gone += [f"service cycle {cycle_text(c)}" for c in result.stale_cycles]
    if gone:
        lines += [
            "<details>",
            f"<summary>{len(gone)} baseline entr{'y' if len(gone) == 1 else 'ies'} no longer "
            "present: the baseline can shrink (run <code>monocut check --update-baseline</code>)"
            "</summary>",
            "",
        ]
        lines += [f"- `{markdown_cell(item)}`" for item in gone[:MAX_LISTED]]
        if len(gone) > MAX_LISTED:
            lines.append(f"- and {len(gone) - MAX_LISTED} more")
        lines += ["", "</details>", ""]
    return "\n".join(lines).rstrip("\n") + "\n"
