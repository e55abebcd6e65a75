"""Coupling signals between modules, and their combination into the graphs clustering uses.

- `static`: imports (by kind), calls and inheritance: the directed dependency graph.
- `wiring` (+ `frameworks/`): references the import graph misses (Django string references,
  dynamic loaders, Celery task names...), found by plug-in recognizers.
- `data`: the models and tables each module defines, reads and writes.
- `semantic`: TF-IDF similarity of the words modules are written in.
- co-change from git history lives in analyzer.cochange.
- `combine`: each signal normalized per module pair, propagated and weighted into one
  similarity, with the evidence kept for explanations.
"""

from analyzer.signals.static import (
    CLIQUE_LIMIT,
    SignalWeights,
    affinity_graph,
    dependency_graph,
    layout_ties,
    package_of,
    saturating,
)

__all__ = [
    "CLIQUE_LIMIT",
    "SignalWeights",
    "affinity_graph",
    "dependency_graph",
    "layout_ties",
    "package_of",
    "saturating",
]
