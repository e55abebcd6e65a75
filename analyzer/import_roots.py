"""Implicit import roots: packages whose subpackages the code imports as if top-level.

Two shapes of real code import a package's children without its name:

- a Django or script project run from its own directory (`label_studio/manage.py` puts
  `label_studio/` on sys.path, so `label_studio/projects/models.py` writes
  `from core.utils import x` for `label_studio/core/utils.py`), often mixed with imports that
  do spell the package (`from label_studio.core.utils import x`);
- Python 2's implicit relative imports (`import helpers` inside `pkg/` meaning `pkg.helpers`).

Read literally, those imports name third-party packages `core` or `helpers`, and the
dependencies vanish. This stage finds the packages that act as roots and marks each such
import with its root (`ImportFact.root`), so resolution reads `core.utils` as
`label_studio.core.utils`. To keep a real third-party import from being captured by a
same-named local module, a package counts as a root only when the code imports at least
`MIN_NAMES` different children of it this way (one `import requests` next to a local
`utils/requests.py` is not enough), or when it holds a `manage.py`. Standard-library names
and names the project defines at top level are never re-rooted.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import replace

from analyzer.facts import ImportFact, ModuleFacts

#: Distinct children imported top-level that make a package an import root.
MIN_NAMES = 2


def _ancestors(module: str, is_package: bool) -> list[str]:
    """The packages enclosing `module`, nearest first (a package encloses itself)."""
    parts = module.split(".")
    if not is_package:
        parts = parts[:-1]
    return [".".join(parts[:end]) for end in range(len(parts), 0, -1)]


def _defines(facts: ModuleFacts, name: str) -> bool:
    """Whether a module binds `name` at top level (definition, assignment or import)."""
    if name in facts.module_names or (facts.all_names is not None and name in facts.all_names):
        return True
    if any(d.qualname == name for d in facts.definitions):
        return True
    return any(i.bound_name == name for i in facts.imports if not i.scope)


def _fits(fact: ImportFact, root: str, importer: str, by_module: Mapping[str, ModuleFacts]) -> bool:
    """Whether the import, read under `root`, names what the project really has there: the
    whole dotted path exists, each name imported from it is defined there (or is a
    submodule), and it is not the importing module itself (`weblate/machinery/google.py`
    doing `import google` means the library, not itself)."""
    target = f"{root}.{fact.module}"
    if target not in by_module or importer == target or importer.startswith(target + "."):
        return False
    if fact.name is None or fact.name == "*":
        return True
    return f"{target}.{fact.name}" in by_module or _defines(by_module[target], fact.name)


def _candidates(
    facts: Iterable[ModuleFacts],
) -> tuple[set[str], list[tuple[ModuleFacts, int, ImportFact, list[str]]]]:
    by_module = {f.module: f for f in facts}
    top_level = {m.split(".")[0] for m in by_module}
    found: list[tuple[ModuleFacts, int, ImportFact, list[str]]] = []
    for module_facts in by_module.values():
        for position, fact in enumerate(module_facts.imports):
            if fact.level != 0 or fact.root or not fact.module:
                continue
            top = fact.module.split(".")[0]
            if top in top_level or top in sys.stdlib_module_names:
                continue
            roots = [
                p
                for p in _ancestors(module_facts.module, module_facts.is_package)
                if _fits(fact, p, module_facts.module, by_module)
            ]
            if roots:
                found.append((module_facts, position, fact, roots))
    return set(by_module), found


def implicit_roots(facts: Iterable[ModuleFacts]) -> dict[str, frozenset[str]]:
    """Package -> the children the code imports from it as top-level names, for every package
    that qualifies as an import root (see the module docstring)."""
    return _qualified_roots(*_candidates(facts))


def _qualified_roots(
    modules: set[str], found: list[tuple[ModuleFacts, int, ImportFact, list[str]]]
) -> dict[str, frozenset[str]]:
    names: dict[str, set[str]] = defaultdict(set)
    for _, _, fact, roots in found:
        for root in roots:
            names[root].add(fact.module.split(".")[0])
    return {
        root: frozenset(children)
        for root, children in sorted(names.items())
        if len(children) >= MIN_NAMES or f"{root}.manage" in modules
    }


def rebase_imports(facts: Iterable[ModuleFacts]) -> tuple[ModuleFacts, ...]:
    """`facts` with each import of a root's child marked with that root (`ImportFact.root`).

    Where several enclosing packages qualify, the one the code treats as a root most often
    (most distinct children) wins, then the nearest. Facts without such imports are returned
    as they are (the same objects).
    """
    facts = list(facts)
    modules, found = _candidates(facts)
    roots = _qualified_roots(modules, found)
    if not roots:
        return tuple(facts)
    changes: dict[str, dict[int, ImportFact]] = defaultdict(dict)
    for module_facts, position, fact, candidates in found:
        accepted = [r for r in candidates if r in roots]
        if not accepted:
            continue
        best = max(accepted, key=lambda r: (len(roots[r]), r.count(".")))
        changes[module_facts.module][position] = replace(fact, root=best)
    return tuple(_rebased(f, changes.get(f.module, {})) for f in facts)


def _rebased(facts: ModuleFacts, changes: Mapping[int, ImportFact]) -> ModuleFacts:
    if not changes:
        return facts
    imports = tuple(changes.get(i, fact) for i, fact in enumerate(facts.imports))
    return replace(facts, imports=imports)
