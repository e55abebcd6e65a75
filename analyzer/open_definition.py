"""A definition while a fact reader is inside it: both readers (analyzer.parse for libcst trees,
analyzer.legacy_parse for Python 2 tokens) fill one in and freeze it into a Definition."""

from __future__ import annotations

from dataclasses import dataclass, field

from analyzer.facts import Definition, DefinitionKind


@dataclass
class OpenDefinition:
    """A def or class whose end line, and (for a function) whose names, are still being read."""

    qualname: str
    kind: DefinitionKind
    line: int
    end_line: int
    bases: tuple[str, ...] = ()
    decorators: tuple[str, ...] = ()
    #: functions only: names bound in its scope (None for a class)
    local_names: set[str] | None = None
    #: names it declares `global` or `nonlocal`, which are not its own
    declared: set[str] = field(default_factory=set)

    def freeze(self) -> Definition:
        local_names: tuple[str, ...] = ()
        if self.local_names:
            local_names = tuple(sorted(self.local_names - self.declared))
        return Definition(
            self.qualname,
            self.kind,
            self.line,
            max(self.end_line, self.line),
            self.bases,
            self.decorators,
            local_names,
        )
