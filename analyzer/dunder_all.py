"""`__all__` as a module builds it at top level, for both fact readers (libcst and the
Python 2 token reader): a literal list or tuple of strings assigns it, `+=` of one extends
it, and anything else (a computed value, another operator, a tuple target) makes it unknown
for good, since a later literal cannot say what the unknown part held."""

from __future__ import annotations


class DunderAll:
    """The names `__all__` holds so far, or None once it cannot be known."""

    def __init__(self) -> None:
        self._names: list[str] | None = None
        self._unknown = False

    def bind(self, literal: list[str] | None, operator: str) -> None:
        """One binding of `__all__`: `literal` is its strings (None when the value or the
        target is not a plain literal); `operator` is "=", "+=" or "other"."""
        if self._unknown or literal is None or operator == "other":
            self._names, self._unknown = None, True
        elif operator == "+=":
            if self._names is None:
                self._unknown = True
            else:
                self._names.extend(literal)
        else:
            self._names = list(literal)

    def names(self) -> tuple[str, ...] | None:
        return None if self._names is None else tuple(self._names)
