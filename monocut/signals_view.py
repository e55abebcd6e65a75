"""`monocut analyze --signals`: every coupling signal per module pair, as text or JSON."""

from __future__ import annotations

import json
from collections import Counter

from analyzer.pipeline import Analysis
from analyzer.signals.combine import SIGNALS, Coupling

TEXT_PAIRS = 40


def signal_summary(analysis: Analysis, coupling: Coupling) -> dict[str, object]:
    """What the signals were built from: models, wiring by kind, git history, pair counts."""
    cochange = analysis.cochange
    return {
        "models": len([m for m in analysis.models.models.values() if not m.abstract]),
        "modules_touching_models": len(analysis.data.touches),
        "wiring": dict(sorted(Counter(link.kind for link in analysis.wiring).items())),
        "cochange_commits": cochange.commits_used,
        "cochange_commits_skipped": cochange.commits_skipped,
        "cochange_warning": cochange.warning,
        "pairs": {name: len(coupling.signals.get(name, {})) for name in SIGNALS},
    }


def signal_rows(coupling: Coupling) -> list[dict[str, object]]:
    """One row per module pair with any signal: normalized value of each signal and the
    combined similarity, strongest first."""
    rows = []
    for a, b, data in coupling.graph.edges(data=True):
        pair = (a, b) if a < b else (b, a)
        values = {
            name: coupling.signals[name][pair]
            for name in SIGNALS
            if pair in coupling.signals.get(name, {})
        }
        rows.append({"modules": list(pair), "combined": data["weight"], "signals": values})
    rows.sort(key=lambda r: (-r["combined"], r["modules"]))  # type: ignore[operator]
    return rows


def signals_json(analysis: Analysis, coupling: Coupling) -> str:
    return (
        json.dumps(
            {
                "weights": coupling.weights.as_dict(),
                "summary": signal_summary(analysis, coupling),
                "pairs": signal_rows(coupling),
            },
            indent=2,
            sort_keys=True,
        )
        + "\n"
    )


def signals_text(analysis: Analysis, coupling: Coupling, verbose: bool) -> list[str]:
    summary = signal_summary(analysis, coupling)
    wiring = summary["wiring"]
    lines = [
        f"data: {summary['models']} models, touched by {summary['modules_touching_models']} "
        "modules",
        "wiring: "
        + (", ".join(f"{k} {v}" for k, v in wiring.items()) if wiring else "none")  # type: ignore[union-attr]
        + " references",
        f"co-change: {summary['cochange_commits']} commits used, "
        f"{summary['cochange_commits_skipped']} too large skipped"
        + (f" ({summary['cochange_warning']})" if summary["cochange_warning"] else ""),
        "pairs per signal: " + ", ".join(f"{k} {v}" for k, v in summary["pairs"].items()),  # type: ignore[union-attr]
        "weights: " + ", ".join(f"{k} {v}" for k, v in coupling.weights.as_dict().items()),
    ]
    rows = signal_rows(coupling)
    shown = rows if verbose else rows[:TEXT_PAIRS]
    lines.append(
        f"strongest module pairs ({len(shown)} of {len(rows)}; --verbose shows all), "
        "normalized signals in [0, 1]:"
    )
    for row in shown:
        a, b = row["modules"]  # type: ignore[misc]
        values = ", ".join(f"{k} {v:.2f}" for k, v in row["signals"].items())  # type: ignore[union-attr]
        lines.append(f"  {a} <-> {b}: {row['combined']:.2f} ({values})")
    return lines
