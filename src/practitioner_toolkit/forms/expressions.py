"""The condition language of ``relevant`` and ``constraint``: an XLSForm-style subset.

Parsed by a small Pratt parser into an expression tree, then evaluated against the answers;
nothing is ever handed to ``eval``. Supported::

    ${question}  .  'text'  "text"  12  3.5
    =  !=  <  <=  >  >=  and  or  +  -  *  div  mod  ( )
    selected(${q}, 'code')  count-selected(${q})  not(e)  string-length(e)
    if(cond, a, b)  coalesce(a, b)  int(e)  number(e)  today()  true()  false()

An unanswered question reads as the empty string, as in XLSForm.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

Value = str | float | bool | list[str]


class ExpressionError(ValueError):
    """A condition that cannot be parsed; ``position`` is the character offset."""

    def __init__(self, message: str, position: int) -> None:
        super().__init__(f"{message} (at character {position + 1})")
        self.position = position


# -- tokens ---------------------------------------------------------------------------------

_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<ref>\$\{(?P<refname>[A-Za-z_][A-Za-z0-9_]*)\})
  | (?P<number>\d+(?:\.\d+)?|\.\d+)
  | (?P<string>'[^']*'|"[^"]*")
  | (?P<op><=|>=|!=|=|<|>|\+|-|\*|\(|\)|,)
  | (?P<name>[A-Za-z_][A-Za-z0-9_-]*)
  | (?P<dot>\.)
    """,
    re.VERBOSE,
)


@dataclass(frozen=True)
class _Token:
    kind: str  # ref, number, string, op, name, dot, end
    text: str
    position: int


def _tokenise(source: str) -> list[_Token]:
    tokens: list[_Token] = []
    position = 0
    while position < len(source):
        match = _TOKEN.match(source, position)
        if match is None:
            raise ExpressionError(f"unexpected character {source[position]!r}", position)
        kind = match.lastgroup or ""
        if kind == "refname":
            kind = "ref"
        if match.group("ref"):
            tokens.append(_Token("ref", match.group("refname"), position))
        elif kind != "space":
            tokens.append(_Token(kind, match.group(kind), position))
        position = match.end()
    tokens.append(_Token("end", "", len(source)))
    return tokens


# -- tree -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Node:
    position: int


@dataclass(frozen=True)
class Literal(Node):
    value: Value


@dataclass(frozen=True)
class Reference(Node):
    name: str


@dataclass(frozen=True)
class Current(Node):
    pass


@dataclass(frozen=True)
class Unary(Node):
    operator: str
    operand: Node


@dataclass(frozen=True)
class Binary(Node):
    operator: str
    left: Node
    right: Node


@dataclass(frozen=True)
class Call(Node):
    function: str
    arguments: tuple[Node, ...]


_BINDING = {
    "or": 10,
    "and": 20,
    "=": 30,
    "!=": 30,
    "<": 40,
    "<=": 40,
    ">": 40,
    ">=": 40,
    "+": 50,
    "-": 50,
    "*": 60,
    "div": 60,
    "mod": 60,
}

# name -> (minimum arguments, maximum arguments)
FUNCTIONS: dict[str, tuple[int, int]] = {
    "selected": (2, 2),
    "count-selected": (1, 1),
    "not": (1, 1),
    "string-length": (1, 1),
    "if": (3, 3),
    "coalesce": (2, 2),
    "int": (1, 1),
    "number": (1, 1),
    "today": (0, 0),
    "true": (0, 0),
    "false": (0, 0),
}


class _Parser:
    def __init__(self, source: str) -> None:
        self.tokens = _tokenise(source)
        self.index = 0

    def peek(self) -> _Token:
        return self.tokens[self.index]

    def advance(self) -> _Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def expect(self, text: str) -> _Token:
        token = self.advance()
        if token.text != text:
            found = "the end" if token.kind == "end" else repr(token.text)
            raise ExpressionError(f"expected {text!r} but found {found}", token.position)
        return token

    def parse(self) -> Node:
        if self.peek().kind == "end":
            raise ExpressionError("the expression is empty", 0)
        node = self.expression(0)
        token = self.peek()
        if token.kind != "end":
            raise ExpressionError(f"unexpected {token.text!r}", token.position)
        return node

    def expression(self, min_binding: int) -> Node:
        left = self.prefix()
        while True:
            token = self.peek()
            operator = token.text if token.kind in ("op", "name") else ""
            binding = _BINDING.get(operator)
            if binding is None or binding <= min_binding:
                return left
            self.advance()
            right = self.expression(binding)
            left = Binary(token.position, operator, left, right)

    def prefix(self) -> Node:
        token = self.advance()
        if token.kind == "number":
            return Literal(token.position, float(token.text))
        if token.kind == "string":
            return Literal(token.position, token.text[1:-1])
        if token.kind == "ref":
            return Reference(token.position, token.text)
        if token.kind == "dot":
            return Current(token.position)
        if token.text == "-":
            return Unary(token.position, "-", self.expression(55))
        if token.text == "(":
            inner = self.expression(0)
            self.expect(")")
            return inner
        if token.kind == "name":
            return self.call(token)
        found = "the end of the expression" if token.kind == "end" else repr(token.text)
        raise ExpressionError(f"expected a value but found {found}", token.position)

    def call(self, token: _Token) -> Node:
        if token.text not in FUNCTIONS:
            raise ExpressionError(f"unknown function or word {token.text!r}", token.position)
        self.expect("(")
        arguments: list[Node] = []
        if self.peek().text != ")":
            arguments.append(self.expression(0))
            while self.peek().text == ",":
                self.advance()
                arguments.append(self.expression(0))
        self.expect(")")
        low, high = FUNCTIONS[token.text]
        if not low <= len(arguments) <= high:
            raise ExpressionError(
                f"{token.text}() takes {low if low == high else f'{low} to {high}'} "
                f"argument(s), not {len(arguments)}",
                token.position,
            )
        return Call(token.position, token.text, tuple(arguments))


def parse(source: str) -> Node:
    return _Parser(source).parse()


def references(node: Node) -> set[str]:
    """Every ``${name}`` an expression reads."""
    if isinstance(node, Reference):
        return {node.name}
    if isinstance(node, Unary):
        return references(node.operand)
    if isinstance(node, Binary):
        return references(node.left) | references(node.right)
    if isinstance(node, Call):
        found: set[str] = set()
        for argument in node.arguments:
            found |= references(argument)
        return found
    return set()


def uses_current(node: Node) -> bool:
    if isinstance(node, Current):
        return True
    if isinstance(node, Unary):
        return uses_current(node.operand)
    if isinstance(node, Binary):
        return uses_current(node.left) or uses_current(node.right)
    if isinstance(node, Call):
        return any(uses_current(a) for a in node.arguments)
    return False


# -- evaluation -----------------------------------------------------------------------------


def _as_number(value: Value) -> float:
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, float):
        return value
    if isinstance(value, list):
        return float(len(value))
    try:
        return float(value)
    except ValueError:
        return math.nan


def _as_bool(value: Value) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        return value != 0 and not math.isnan(value)
    return len(value) > 0


def _as_text(value: Value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    if isinstance(value, list):
        return " ".join(value)
    return value


def _compare(operator: str, left: Value, right: Value) -> bool:
    if isinstance(left, bool) or isinstance(right, bool):
        a: Any = _as_bool(left)
        b: Any = _as_bool(right)
    elif isinstance(left, float) or isinstance(right, float):
        a, b = _as_number(left), _as_number(right)
        if math.isnan(a) or math.isnan(b):
            a, b = _as_text(left), _as_text(right)
            if operator not in ("=", "!="):
                return False
    else:
        a, b = _as_text(left), _as_text(right)
    comparisons: dict[str, Callable[[Any, Any], bool]] = {
        "=": lambda x, y: x == y,
        "!=": lambda x, y: x != y,
        "<": lambda x, y: x < y,
        "<=": lambda x, y: x <= y,
        ">": lambda x, y: x > y,
        ">=": lambda x, y: x >= y,
    }
    return comparisons[operator](a, b)


def _answer_to_value(answer: object) -> Value:
    if answer is None:
        return ""
    if isinstance(answer, bool):
        return answer
    if isinstance(answer, int | float):
        return float(answer)
    if isinstance(answer, list):
        return [str(a) for a in answer]
    return str(answer)


def evaluate(
    node: Node,
    answers: Mapping[str, object],
    current: object = None,
    today: dt.date | None = None,
) -> Value:
    def walk(n: Node) -> Value:
        if isinstance(n, Literal):
            return n.value
        if isinstance(n, Reference):
            return _answer_to_value(answers.get(n.name))
        if isinstance(n, Current):
            return _answer_to_value(current)
        if isinstance(n, Unary):
            return -_as_number(walk(n.operand))
        if isinstance(n, Binary):
            if n.operator == "and":
                return _as_bool(walk(n.left)) and _as_bool(walk(n.right))
            if n.operator == "or":
                return _as_bool(walk(n.left)) or _as_bool(walk(n.right))
            left, right = walk(n.left), walk(n.right)
            if n.operator in ("=", "!=", "<", "<=", ">", ">="):
                return _compare(n.operator, left, right)
            a, b = _as_number(left), _as_number(right)
            if n.operator == "+":
                return a + b
            if n.operator == "-":
                return a - b
            if n.operator == "*":
                return a * b
            if n.operator == "div":
                return a / b if b else math.nan
            return math.fmod(a, b) if b else math.nan
        assert isinstance(n, Call)
        return _call(n, walk, today)

    return walk(node)


def _call(n: Call, walk: Callable[[Node], Value], today: dt.date | None) -> Value:
    name = n.function
    if name == "true":
        return True
    if name == "false":
        return False
    if name == "today":
        return (today or dt.date.today()).isoformat()
    if name == "if":
        return walk(n.arguments[1]) if _as_bool(walk(n.arguments[0])) else walk(n.arguments[2])
    values = [walk(a) for a in n.arguments]
    if name == "selected":
        chosen, code = values[0], _as_text(values[1])
        return code in chosen if isinstance(chosen, list) else _as_text(chosen) == code
    if name == "count-selected":
        chosen = values[0]
        return float(len(chosen) if isinstance(chosen, list) else (1 if chosen else 0))
    if name == "not":
        return not _as_bool(values[0])
    if name == "string-length":
        return float(len(_as_text(values[0])))
    if name == "coalesce":
        return values[0] if _as_bool(values[0]) else values[1]
    number = _as_number(values[0])
    if name == "int":
        return float(math.trunc(number)) if not math.isnan(number) else math.nan
    return number  # number()


def truthy(value: Value) -> bool:
    return _as_bool(value)
