"""Reading form files: YAML to models, with errors that name the file, line and field."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pydantic
import yaml

from practitioner_toolkit.forms.model import FormDefinition

FieldPath = tuple[str | int, ...]


@dataclass(frozen=True)
class FormProblem:
    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return (
            f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        )


class FormError(Exception):
    """A form file that cannot be used; ``problems`` lists every problem found."""

    def __init__(self, problems: Sequence[FormProblem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def format_path(path: FieldPath) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


class LineMap:
    """Remembers the line of every mapping key and list item of a YAML document."""

    def __init__(self) -> None:
        self._lines: dict[FieldPath, int] = {}

    def record(self, path: FieldPath, line: int) -> None:
        self._lines.setdefault(path, line)

    def line_for(self, path: FieldPath) -> int | None:
        """The line of ``path``, or of its nearest ancestor that has one."""
        for end in range(len(path), -1, -1):
            line = self._lines.get(tuple(path[:end]))
            if line is not None:
                return line
        return None


# libyaml's parser when available: form files are large (nine languages), and the pure-Python
# parser takes seconds. Both keep node line numbers.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _UniqueKeyLoader(_BaseLoader):  # type: ignore[misc,valid-type]
    """Safe YAML that refuses duplicate keys (a silent overwrite hides translation mistakes)."""


def _node_to_python(node: yaml.Node, path: FieldPath, lines: LineMap, file: str) -> Any:
    lines.record(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _UniqueKeyLoader.construct_scalar(_LOADER, key_node)
            if key in result:
                raise FormError(
                    [
                        FormProblem(
                            file,
                            key_node.start_mark.line + 1,
                            format_path((*path, key)),
                            "this key appears twice",
                        )
                    ]
                )
            lines.record((*path, key), key_node.start_mark.line + 1)
            result[key] = _node_to_python(value_node, (*path, key), lines, file)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_node_to_python(item, (*path, i), lines, file) for i, item in enumerate(node.value)]
    return _LOADER.construct_object(node, deep=True)


_LOADER = _UniqueKeyLoader("")


def read_yaml(text: str, file: str) -> tuple[Any, LineMap]:
    lines = LineMap()
    try:
        node = yaml.compose(text, Loader=_UniqueKeyLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark is not None else None
        raise FormError([FormProblem(file, line, "", f"not valid YAML: {exc.problem}")]) from None
    except yaml.YAMLError as exc:
        raise FormError([FormProblem(file, None, "", f"not valid YAML: {exc}")]) from None
    if node is None:
        raise FormError([FormProblem(file, 1, "", "the file is empty")])
    return _node_to_python(node, (), lines, file), lines


def _pydantic_problems(
    error: pydantic.ValidationError, lines: LineMap, file: str
) -> list[FormProblem]:
    problems = []
    for item in error.errors():
        path: FieldPath = tuple(p for p in item["loc"] if isinstance(p, str | int))
        # Unions report each alternative ("list[Choice]", "str"); keep the path readable.
        readable = tuple(p for p in path if not (isinstance(p, str) and ("[" in p or p == "str")))
        message = item["msg"]
        if item["type"] == "extra_forbidden":
            message = "unknown key (check its spelling)"
        elif item["type"] == "string_pattern_mismatch":
            message = f"{message}; got {item.get('input')!r}"
        problems.append(FormProblem(file, lines.line_for(readable), format_path(readable), message))
    return problems


def parse_form(text: str, file: str) -> tuple[FormDefinition, LineMap]:
    """Structure only: YAML syntax and the model. See ``validation.validate_form`` for the rest."""
    data, lines = read_yaml(text, file)
    if not isinstance(data, dict):
        raise FormError([FormProblem(file, 1, "", "a form file must be a mapping of keys")])
    try:
        form = FormDefinition.model_validate(data)
    except pydantic.ValidationError as exc:
        raise FormError(_pydantic_problems(exc, lines, file)) from None
    return form, lines


def load_form_file(path: Path, display_name: str | None = None) -> tuple[FormDefinition, LineMap]:
    name = display_name or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise FormError([FormProblem(name, None, "", "the file is not UTF-8 text")]) from None
    except OSError as exc:
        raise FormError([FormProblem(name, None, "", f"cannot be read: {exc.strerror}")]) from None
    return parse_form(text, name)
