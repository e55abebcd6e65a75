"""Degraded-mode facts for files libcst cannot parse because they are written in Python 2.

libcst reads Python 3 grammar only, and a legacy monolith may be Python 2 throughout (print
and exec statements, `except E, e:`, backticks, `0777`, `10L`, `ur''`, `<>`). Such a file still
says what it imports and what it defines, and that is most of what the import graph and the
clustering need. `legacy_facts` recovers it from the standard library's tokenizer (`tokenize`,
not lib2to3, which Python 3.13 removed), statement by statement, never executing anything.

What it recovers, with the same conventions as analyzer.parse: every import statement (module,
name, alias, level, line, the qualified name of its enclosing function or class as `scope`,
and its kind: top level, in a function, under `if TYPE_CHECKING:`, or guarded by a `try` whose
handlers catch ImportError), every def and class (qualname, kind, `def`/`class` line, end
line, decorators and class bases written as dotted names, and for functions the names bound
in them: parameters, assignment, `for`, `with`/`except` targets, imports, nested defs), the
names assigned at module level, a literal `__all__`, line counts, identifier terms, and the
tables named in SQL strings.

What it leaves out: calls and data flow (`ModuleFacts.flow` is None, so the call graph has
nothing from these modules: no call sites, no class hierarchy through the points-to solver).
The facts carry `degraded`, the reason they are partial, so the pipeline and reports say so.

Before tokenizing, the Python 2 lexical forms a Python 3 tokenizer rejects are rewritten in a
copy of the text, line breaks unchanged: backticks become spaces, `0777` becomes `0o777`, `10L`
`10`, `ur''` `r''`, `<>` `!=`, and tabs in indentation are expanded to Python 2's 8 columns.
What is still unreadable arrives as ERRORTOKENs, which are skipped; a tokenizer error (an
unclosed bracket or string at the end, an inconsistent dedent) ends the scan and the facts
found before it are kept.
"""

from __future__ import annotations

import ast
import hashlib
import io
import keyword
import re
import tokenize
from collections.abc import Iterator
from dataclasses import dataclass

from analyzer.dunder_all import DunderAll
from analyzer.facts import (
    PARTIAL_ANALYSIS,
    DefinitionKind,
    ImportFact,
    ImportKind,
    ModuleFacts,
    SourceFile,
)
from analyzer.lines import count_lines
from analyzer.open_definition import OpenDefinition
from analyzer.vocabulary import looks_like_sql, module_terms, sql_tables

_FALLBACK_EXCEPTIONS = frozenset(
    {"ImportError", "ModuleNotFoundError", "Exception", "BaseException"}
)
_COMPOUND = frozenset(
    {"if", "elif", "else", "try", "except", "finally", "for", "while", "with", "def", "class"}
)
#: Keywords, and Python 2's statement keywords: not identifiers (libcst's Name nodes).
_NOT_IDENTIFIERS = frozenset({*keyword.kwlist, "print", "exec"})
_AUGMENTED = frozenset(
    {"+=", "-=", "*=", "/=", "//=", "%=", "**=", ">>=", "<<=", "&=", "^=", "|=", "@="}
)
_OPEN = {"(": ")", "[": "]", "{": "}"}
_ASYNC = frozenset({"def", "for", "with"})
_NOT_STATEMENT = frozenset(
    {
        tokenize.NL,
        tokenize.COMMENT,
        tokenize.INDENT,
        tokenize.DEDENT,
        tokenize.ERRORTOKEN,
        tokenize.ENCODING,
    }
)
_SKIPPED = frozenset({tokenize.ERRORTOKEN, tokenize.NL, tokenize.ENCODING, tokenize.ENDMARKER})

_LEXICAL_RE = re.compile(
    r"""
    (?P<i>^[ \t]+)
    |(?P<s>(?<!\w)[rRbBuU]{0,2}
        (?:\"\"\"[^"\\]*(?:(?:\\.|"(?!""))[^"\\]*)*\"\"\"
          |'''[^'\\]*(?:(?:\\.|'(?!''))[^'\\]*)*'''
          |"[^"\\\n]*(?:\\.[^"\\\n]*)*"
          |'[^'\\\n]*(?:\\.[^'\\\n]*)*'))
    |(?P<c>\#[^\n]*)
    |(?P<n>(?<![\w.])\d\w*)
    |(?P<b>`)
    |(?P<ne><>)
    |(?P<w>\w+)
    """,
    re.VERBOSE | re.DOTALL | re.MULTILINE,
)
_OCTAL_RE = re.compile(r"0([0-7]+)[lL]?")
_NONZERO_OCTAL_RE = re.compile(r"0[0-7]*[1-7][0-7]*[lL]?")
_LONG_RE = re.compile(r"(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|\d+)[lL]")


def legacy_facts(source: SourceFile, text: str, reason: str) -> ModuleFacts | None:
    """Imports and definitions of a Python 2 file libcst refused for `reason`; None when
    nothing useful can be read. Never raises, never executes the code."""
    try:
        return _legacy_facts(source, text, reason)
    except Exception:  # noqa: BLE001 - a degraded reading must never fail the run
        return None


def _legacy_facts(source: SourceFile, text: str, reason: str) -> ModuleFacts | None:
    total_lines, code_lines = count_lines(text)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    reader = _Reader()
    complete = reader.read(_tokens(_python3_lexemes(text)))
    if not complete and not (reader.imports or reader.definitions or reader.module_names):
        return None
    return ModuleFacts(
        module=source.module,
        relpath=source.relpath,
        is_package=source.is_package,
        content_hash=hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest(),
        total_lines=total_lines,
        code_lines=code_lines,
        imports=reader.import_facts(),
        definitions=tuple(d.freeze() for d in reader.definitions),
        module_names=tuple(dict.fromkeys(reader.module_names)),
        all_names=reader.all_names.names(),
        flow=None,
        terms=module_terms(reader.identifiers, reader.prose),
        sql_tables=tuple(sorted({t for sql in reader.sql for t in sql_tables(sql)})),
        degraded=f"{reason}; {PARTIAL_ANALYSIS}",
    )


# --- lexical rewriting and tokens ---------------------------------------------------------------


def _python3_lexemes(text: str) -> str:
    """`text` with Python 2's lexical forms rewritten to Python 3 ones (see the module doc)."""

    def rewrite(match: re.Match[str]) -> str:
        kind = match.lastgroup
        value = match.group()
        if kind == "i":
            return value.expandtabs(8) if "\t" in value else value
        if kind == "s":
            if value[:2].lower() == "ur":
                return value[1:]
            return value
        if kind == "n":
            octal = _OCTAL_RE.fullmatch(value)
            if octal is not None:
                return "0o" + octal.group(1)
            long = _LONG_RE.fullmatch(value)
            return long.group(1) if long is not None else value
        if kind == "b":
            return " "
        if kind == "ne":
            return "!="
        return value

    return _LEXICAL_RE.sub(rewrite, text)


def old_octal_line(text: str) -> int | None:
    """Line of the first Python 2 octal literal (`0777`) outside strings and comments: where
    libcst's tokenizer failed, when it says only "leading zeros in decimal integer literals"."""
    for match in _LEXICAL_RE.finditer(text):
        if match.lastgroup == "n" and _NONZERO_OCTAL_RE.fullmatch(match.group()):
            return text.count("\n", 0, match.start()) + 1
    return None


def statement_start(text: str, line: int) -> int:
    """First line of the statement that reaches `line` (over brackets, backslashes and
    multi-line strings), read with the same tokens as `legacy_facts`; `line` when unknown."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    start: int | None = None
    try:
        for token in _tokens(_python3_lexemes(text)):
            if token.start[0] > line:
                break
            if token.type == tokenize.NEWLINE:
                if token.start[0] >= line and start is not None:
                    return start
                start = None
            elif token.type not in _NOT_STATEMENT:
                if start is None:
                    start = token.start[0]
                if token.end[0] >= line:
                    return start
    except Exception:  # noqa: BLE001 - only a better line number is at stake
        pass
    return start if start is not None else line


def _tokens(text: str) -> Iterator[tokenize.TokenInfo]:
    """The tokenizer's tokens; stops quietly where the tokenizer gives up."""
    return tokenize.generate_tokens(io.StringIO(text).readline)


# --- the statement reader -----------------------------------------------------------------------


@dataclass
class _TryGroup:
    """A `try` statement: whether one of its handlers catches import errors."""

    fallback: bool = False


@dataclass
class _Block:
    """An indented (or same-line) body: of a def or class (`definition`, `scope_name`, the
    name the flow facts would give it), under `if TYPE_CHECKING:`, or of a try or handler."""

    definition: OpenDefinition | None = None
    scope_name: str = ""
    type_checking: bool = False
    group: _TryGroup | None = None


@dataclass
class _PendingImport:
    module: str
    name: str | None
    alias: str | None
    level: int
    line: int
    scope: str
    type_checking: bool
    in_function: bool
    groups: tuple[_TryGroup, ...]

    def freeze(self) -> ImportFact:
        if self.type_checking:
            kind = ImportKind.TYPE_CHECKING
        elif any(group.fallback for group in self.groups):
            kind = ImportKind.FALLBACK
        elif self.in_function:
            kind = ImportKind.FUNCTION
        else:
            kind = ImportKind.TOP_LEVEL
        return ImportFact(
            self.module, self.name, self.alias, self.level, kind, self.line, self.scope
        )


Tokens = list[tokenize.TokenInfo]


class _Reader:
    """Reads logical lines from the token stream, keeping a stack of open blocks."""

    def __init__(self) -> None:
        self.imports: list[_PendingImport] = []
        self.definitions: list[OpenDefinition] = []
        self.module_names: list[str] = []
        self.all_names = DunderAll()
        self.identifiers: list[str] = []
        self.prose: list[str] = []
        self.sql: list[str] = []
        self._blocks: list[_Block] = []
        self._pending: _Block | None = None  # a header's block, until its INDENT
        self._decorators: list[str] = []
        self._last_try: dict[int, _TryGroup] = {}
        self._defined: dict[str, int] = {}
        self._last_end = 1

    def import_facts(self) -> tuple[ImportFact, ...]:
        return tuple(pending.freeze() for pending in self.imports)

    # -- the token loop

    def read(self, tokens: Iterator[tokenize.TokenInfo]) -> bool:
        """Consume the tokens; False when the tokenizer gave up before the end."""
        line: Tokens = []
        try:
            for token in tokens:
                kind = token.type
                if kind == tokenize.NEWLINE:
                    self._logical_line(line, token.start[0])
                    line = []
                elif kind == tokenize.INDENT:
                    self._blocks.append(self._pending or _Block())
                    self._pending = None
                elif kind == tokenize.DEDENT:
                    self._close_block()
                elif kind == tokenize.COMMENT:
                    self.prose.append(token.string)
                elif kind in _SKIPPED:
                    continue  # ERRORTOKENs too: what even Python 2 would not read
                else:
                    line.append(token)
        except (tokenize.TokenError, SyntaxError):
            if line:
                self._logical_line(line, line[-1].end[0])
            while self._blocks:
                self._close_block()
            return False
        return True

    def _close_block(self) -> None:
        if not self._blocks:
            return
        block = self._blocks.pop()
        if block.definition is not None:
            block.definition.end_line = self._last_end
        depth = len(self._blocks)
        for key in [k for k in self._last_try if k > depth]:
            del self._last_try[key]

    def _logical_line(self, tokens: Tokens, end: int) -> None:
        self._pending = None
        if not tokens:
            return
        self._last_end = end
        self._statement(tokens, end)

    # -- context of the current position

    def _scope_name(self) -> str:
        for block in reversed(self._blocks):
            if block.definition is not None:
                return block.scope_name
        return ""

    def _innermost(self) -> OpenDefinition | None:
        for block in reversed(self._blocks):
            if block.definition is not None:
                return block.definition
        return None

    def _function(self) -> OpenDefinition | None:
        """The innermost def, when the innermost scope is a function's."""
        inner = self._innermost()
        return inner if inner is not None and inner.kind != DefinitionKind.CLASS else None

    # -- statements

    def _statement(self, tokens: Tokens, end: int) -> None:
        first = tokens[0]
        if first.string == "async" and len(tokens) > 1 and tokens[1].string in _ASYNC:
            tokens = tokens[1:]
            first = tokens[0]
        if first.type == tokenize.NAME and first.string in _COMPOUND:
            self._compound(tokens, end)
            return
        if first.string == "@":
            reference = _reference(tokens[1:])
            if reference is not None:
                self._decorators.append(reference)
            self._identifiers(tokens)
            return
        self._decorators = []
        self._last_try.pop(len(self._blocks), None)
        for statement in _split(tokens, ";"):
            if statement:
                self._simple(statement)

    def _compound(self, tokens: Tokens, end: int) -> None:
        keyword_ = tokens[0].string
        colon = _find(tokens, ":")
        if colon is None:
            self._identifiers(tokens)
            return
        header, body = tokens[:colon], tokens[colon + 1 :]
        depth = len(self._blocks)
        if keyword_ not in ("def", "class"):
            self._decorators = []
        if keyword_ not in ("except", "else", "finally"):
            self._last_try.pop(depth, None)
        block = _Block()
        if keyword_ in ("def", "class"):
            block = self._define(header)
        elif keyword_ == "try":
            block.group = self._last_try[depth] = _TryGroup()
        elif keyword_ == "except":
            group = self._last_try.get(depth)
            if group is not None:
                if _catches_import_errors(header[1:]):
                    group.fallback = True
                block.group = group
            self._bind_local(_except_target(header[1:]))
        elif keyword_ == "if":
            block.type_checking = _is_type_checking(header[1:])
        elif keyword_ == "for":
            position = _find(header, "in")
            self._bind_targets(header[1 : position if position is not None else len(header)])
        elif keyword_ == "with":
            for item in _split(header[1:], ","):
                position = _find(item, "as")
                if position is not None:
                    self._bind_targets(item[position + 1 :])
        if keyword_ not in ("def", "class"):
            self._identifiers(header)
        if not body:
            self._pending = block
            return
        self._blocks.append(block)
        self._pending = None
        self._statement(body, end)
        self._close_block()

    def _define(self, header: Tokens) -> _Block:
        decorators, self._decorators = tuple(self._decorators), []
        if len(header) < 2 or header[1].type != tokenize.NAME:
            return _Block()
        name = header[1].string
        self.identifiers.append(name)
        is_class = header[0].string == "class"
        parent = self._innermost()
        qualname = f"{parent.qualname}.{name}" if parent is not None else name
        scope_name = self._scope_name()
        flow_name = f"{scope_name}.{name}" if scope_name else name
        if flow_name in self._defined:
            self._defined[flow_name] += 1
            flow_name = f"{flow_name}#{self._defined[flow_name]}"
        else:
            self._defined[flow_name] = 1
        self._bind_local(name)
        line = header[0].start[0]
        arguments = _arguments(header[2:])
        if is_class:
            bases = tuple(
                ref
                for argument in arguments
                if argument
                and argument[0].string not in ("*", "**")
                and not (len(argument) > 1 and argument[1].string == "=")
                and (ref := _reference(argument)) is not None
            )
            definition = OpenDefinition(
                qualname, DefinitionKind.CLASS, line, line, bases, decorators
            )
        else:
            kind = (
                DefinitionKind.METHOD
                if parent is not None and parent.kind == DefinitionKind.CLASS
                else DefinitionKind.FUNCTION
            )
            local_names = {
                token.string for argument in arguments for token in _parameter_names(argument)
            }
            definition = OpenDefinition(qualname, kind, line, line, (), decorators, local_names)
        self._identifiers(header[2:])
        self.definitions.append(definition)
        return _Block(definition=definition, scope_name=flow_name)

    def _simple(self, tokens: Tokens) -> None:
        first = tokens[0].string
        if first == "import" and tokens[0].type == tokenize.NAME:
            self._import(tokens)
            return
        if first == "from" and tokens[0].type == tokenize.NAME:
            self._from_import(tokens)
            return
        self._identifiers(tokens)
        self._strings(tokens)
        function = self._function()
        if first == "global" or first == "nonlocal":
            if function is not None:
                function.declared.update(t.string for t in tokens[1:] if t.type == tokenize.NAME)
            return
        parts = _split(tokens, "=")
        if len(parts) > 1:
            value = parts[-1]
            for target in parts[:-1]:
                annotated = _find(target, ":")
                if annotated is not None:
                    target = target[:annotated]
                self._assign(target, value, "=")
            return
        augmented = next(
            (i for i, t in enumerate(tokens) if t.type == tokenize.OP and t.string in _AUGMENTED),
            None,
        )
        if augmented is not None:
            operator = "+=" if tokens[augmented].string == "+=" else "other"
            self._assign(tokens[:augmented], tokens[augmented + 1 :], operator)
            return
        annotated = _find(tokens, ":")
        if annotated is not None and first != "lambda" and function is not None:
            self._bind_targets(tokens[:annotated])  # `x: int` alone makes `x` local too

    def _assign(self, target: Tokens, value: Tokens, operator: str) -> None:
        names = _target_names(target)
        if self._innermost() is not None:
            self._bind_local_names(names)
            return
        self.module_names.extend(names)
        if "__all__" not in names:
            return
        plain = len(target) == 1 and target[0].type == tokenize.NAME
        self.all_names.bind(_literal_strings(value) if plain else None, operator)

    # -- imports

    def _record(
        self, module: str, name: str | None, alias: str | None, level: int, line: int
    ) -> None:
        groups: list[_TryGroup] = []
        type_checking = False
        in_function = False
        for block in reversed(self._blocks):
            if block.type_checking:
                type_checking = True
            if block.definition is not None and block.definition.kind != DefinitionKind.CLASS:
                in_function = True
            if not in_function and block.group is not None:
                groups.append(block.group)
        pending = _PendingImport(
            module,
            name,
            alias,
            level,
            line,
            self._scope_name(),
            type_checking,
            in_function,
            tuple(groups),
        )
        self.imports.append(pending)
        self._bind_local(pending.freeze().bound_name)

    def _import(self, tokens: Tokens) -> None:
        line = tokens[0].start[0]
        for item in _split(tokens[1:], ","):
            module, rest = _dotted_prefix(item)
            if not module:
                continue
            alias = rest[1].string if len(rest) == 2 and rest[0].string == "as" else None
            self._record(module, None, alias, 0, line)

    def _from_import(self, tokens: Tokens) -> None:
        line = tokens[0].start[0]
        position = _find(tokens, "import")
        if position is None:
            return
        source = tokens[1:position]
        level = 0
        while source and source[0].type == tokenize.OP and set(source[0].string) == {"."}:
            level += len(source[0].string)
            source = source[1:]
        module, rest = _dotted_prefix(source)
        if rest or (not module and not level):
            return
        names = tokens[position + 1 :]
        if names and names[0].string == "(":
            names = names[1:-1] if names[-1].string == ")" else names[1:]
        if len(names) == 1 and names[0].string == "*":
            self._record(module, "*", None, level, line)
            return
        for item in _split(names, ","):
            name, rest = _dotted_prefix(item)
            if not name:
                continue
            alias = rest[1].string if len(rest) == 2 and rest[0].string == "as" else None
            self._record(module, name, alias, level, line)

    # -- names bound in functions

    def _bind_local(self, name: str | None) -> None:
        function = self._function()
        if function is not None and function.local_names is not None and name:
            function.local_names.add(name)

    def _bind_local_names(self, names: list[str]) -> None:
        for name in names:
            self._bind_local(name)

    def _bind_targets(self, target: Tokens) -> None:
        if self._function() is not None:
            self._bind_local_names(_target_names(target))

    # -- text facts

    def _identifiers(self, tokens: Tokens) -> None:
        self.identifiers.extend(
            t.string for t in tokens if t.type == tokenize.NAME and t.string not in _NOT_IDENTIFIERS
        )

    def _strings(self, tokens: Tokens) -> None:
        run: list[str] = []
        for token in (*tokens, None):
            if token is not None and token.type == tokenize.STRING:
                run.append(token.string)
                value = token.string
                if len(value) > 16 and looks_like_sql(value):
                    self.sql.append(value)
                continue
            if len(run) > 1:
                joined = " ".join(run)
                if len(joined) > 16 and looks_like_sql(joined):
                    self.sql.append(joined)
            run = []
        if all(t.type == tokenize.STRING for t in tokens):
            self.prose.append(" ".join(t.string for t in tokens))  # a docstring


# --- token helpers ------------------------------------------------------------------------------


def _split(tokens: Tokens, separator: str) -> list[Tokens]:
    """`tokens` split at `separator` outside brackets."""
    parts: list[Tokens] = [[]]
    depth = 0
    for token in tokens:
        if token.type == tokenize.OP:
            if token.string in _OPEN:
                depth += 1
            elif token.string in (")", "]", "}"):
                depth = max(depth - 1, 0)
            elif depth == 0 and token.string == separator:
                parts.append([])
                continue
        parts[-1].append(token)
    return parts


def _find(tokens: Tokens, text: str) -> int | None:
    """Index of the first `text` token outside brackets, else None."""
    depth = 0
    for index, token in enumerate(tokens):
        if token.type == tokenize.OP and token.string in _OPEN:
            depth += 1
        elif token.type == tokenize.OP and token.string in (")", "]", "}"):
            depth = max(depth - 1, 0)
        elif depth == 0 and token.string == text and token.type != tokenize.STRING:
            return index
    return None


def _dotted_prefix(tokens: Tokens) -> tuple[str, Tokens]:
    """(`a.b.c`, the tokens after it) for tokens starting with a dotted name, else ("", tokens)."""
    parts: list[str] = []
    index = 0
    while index < len(tokens) and tokens[index].type == tokenize.NAME:
        parts.append(tokens[index].string)
        index += 1
        if (
            index < len(tokens) - 1
            and tokens[index].string == "."
            and tokens[index + 1].type == tokenize.NAME
        ):
            index += 1
            continue
        break
    return ".".join(parts), tokens[index:]


def _skip_brackets(tokens: Tokens, index: int) -> int | None:
    """Index after the bracketed group opening at `index`, None when it never closes."""
    depth = 0
    for position in range(index, len(tokens)):
        text = tokens[position].string
        if tokens[position].type != tokenize.OP:
            continue
        if text in _OPEN:
            depth += 1
        elif text in (")", "]", "}"):
            depth -= 1
            if depth == 0:
                return position + 1
    return None


def _reference(tokens: Tokens) -> str | None:
    """Dotted text of a base or decorator: a dotted name followed only by call arguments or
    subscripts (as analyzer.parse's `_reference`), else None."""
    name, rest = _dotted_prefix(tokens)
    if not name:
        return None
    index = 0
    while index < len(rest):
        if rest[index].string not in ("(", "["):
            return None
        after = _skip_brackets(rest, index)
        if after is None:
            return None
        index = after
    return name


def _arguments(tokens: Tokens) -> list[Tokens]:
    """The comma-separated items inside the parentheses `tokens` start with."""
    if not tokens or tokens[0].string != "(":
        return []
    end = _skip_brackets(tokens, 0)
    inner = tokens[1 : (end - 1) if end is not None else len(tokens)]
    return [item for item in _split(inner, ",") if item]


def _parameter_names(parameter: Tokens) -> list[tokenize.TokenInfo]:
    """Names a parameter binds: `a`, `a=1`, `a: int`, `*args`, `**kw`, Python 2's `(a, b)`."""
    while parameter and parameter[0].string in ("*", "**"):
        parameter = parameter[1:]
    if not parameter:
        return []
    if parameter[0].string == "(":
        return [t for t in parameter if t.type == tokenize.NAME]
    return [parameter[0]] if parameter[0].type == tokenize.NAME else []


def _target_names(target: Tokens) -> list[str]:
    """Names an assignment target binds: a name, or names in a (nested) tuple or list."""
    if not target:
        return []
    if len(target) == 1:
        return [target[0].string] if target[0].type == tokenize.NAME else []
    if target[0].string in ("(", "[") and _skip_brackets(target, 0) == len(target):
        return (
            _target_names(target[1:-1])
            if _find(target[1:-1], ",") is None
            else [name for item in _split(target[1:-1], ",") for name in _target_names(item)]
        )
    if target[0].string == "*":
        return _target_names(target[1:])
    items = _split(target, ",")
    if len(items) == 1:
        return []
    return [name for item in items for name in _target_names(item)]


def _except_target(clause: Tokens) -> str | None:
    """The name `except E as e:` (or Python 2's `except E, e:`) binds."""
    position = _find(clause, "as")
    if position is None:
        items = _split(clause, ",")
        if len(items) != 2:
            return None
        position, clause = -1, items[1]
    rest = clause[position + 1 :]
    return rest[0].string if len(rest) == 1 and rest[0].type == tokenize.NAME else None


def _catches_import_errors(clause: Tokens) -> bool:
    """Whether an except clause (without `except`) may catch ImportError."""
    position = _find(clause, "as")
    if position is not None:
        clause = clause[:position]
    if not clause:
        return True
    index = 0
    while index < len(clause):
        name, rest = _dotted_prefix(clause[index:])
        if name:
            if name.rsplit(".", 1)[-1] in _FALLBACK_EXCEPTIONS:
                return True
            index = len(clause) - len(rest)
        else:
            index += 1
    return False


def _is_type_checking(test: Tokens) -> bool:
    while len(test) > 2 and test[0].string == "(" and test[-1].string == ")":
        test = test[1:-1]
    name, rest = _dotted_prefix(test)
    return not rest and name.rsplit(".", 1)[-1] == "TYPE_CHECKING"


def _literal_strings(value: Tokens) -> list[str] | None:
    """The strings of a list or tuple display of string literals, else None."""
    if not value:
        return None
    items: list[Tokens]
    if value[0].string in ("(", "[") and _skip_brackets(value, 0) == len(value):
        inner = value[1:-1]
        if value[0].string == "(" and inner and _find(inner, ",") is None:
            return _literal_strings(inner) if inner[0].string in ("(", "[") else None
        items = _split(inner, ",")
    elif _find(value, ",") is not None:
        items = _split(value, ",")
    else:
        return None
    if items and not items[-1]:
        items.pop()  # a trailing comma
    strings: list[str] = []
    for item in items:
        if not item or any(t.type != tokenize.STRING for t in item):
            return None
        try:
            evaluated = ast.literal_eval(" ".join(t.string for t in item))
        except Exception:  # noqa: BLE001 - an odd literal: not a literal list
            return None
        if not isinstance(evaluated, str):
            return None
        strings.append(evaluated)
    return strings
