"""Load YAML from untrusted contributions safely and strictly.

Rules, and why:
- Every scalar stays a string (or None for an empty value). YAML 1.1 would turn `NO` into False,
  `2024-01-01` into a date and `10:00` into the number 600; the schema decides what a value is.
- Duplicate keys are errors naming both lines: YAML silently keeps the last one, losing data.
- Anchors, aliases and tags are errors: they are never needed in a case study, and aliases allow
  "billion laughs" expansion.
- Only one document.

The loader builds values straight from PyYAML's event stream (the C parser when available), so
nothing is ever constructed from a tag, and it records the line of every key and list item.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml

try:  # libyaml's parser is several times faster; fall back to pure Python where it is missing.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

#: A location in a loaded document: keys and list indexes from the top, e.g. ("sources", 0, "url").
Path = tuple[str | int, ...]


class StrictYAMLError(Exception):
    """The text is not YAML we accept. `line` is 1-based within the text given."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass
class Loaded:
    """A loaded document and the line where each part of it starts."""

    value: Any
    first_line: int = 1
    lines: dict[Path, int] = field(default_factory=dict)
    #: Problems that did not stop loading (a duplicate key, an anchor, a tag): (line, message).
    problems: list[tuple[int, str]] = field(default_factory=list)

    def line_of(self, path: Path) -> int:
        """The line of `path`, or of its nearest parent that has one (else the first line)."""
        for end in range(len(path), -1, -1):
            line = self.lines.get(tuple(path[:end]))
            if line is not None:
                return line
        return self.first_line


# Hints for the parser errors contributors meet most, in plain English.
_HINTS = {
    "mapping values are not allowed": (
        "a value contains a colon followed by a space; put the whole value in double quotes"
    ),
    "that cannot start any token": (
        "a line starts with a character YAML cannot read, often a tab; indent with spaces, and "
        "put values that start with @, ` or % in double quotes"
    ),
    "could not find expected ':'": "a line is missing the colon after its field name",
    "did not find expected key": (
        "the indentation is uneven, a quote is not closed, or a value needs quotes; "
        "line up the fields and check the quotes"
    ),
    "found undefined alias": "'*' starts an alias, which is not allowed; put the value in quotes",
    "found unexpected end of stream": "a quote or bracket is not closed",
}


def load(text: str, first_line: int = 1) -> Loaded:
    """Load one YAML document from `text`, strictly.

    A syntax error raises StrictYAMLError (the parser cannot go on after one); duplicate keys,
    anchors, aliases and tags are collected in `Loaded.problems`, so all of them are reported.
    `first_line` is the line of the file that `text` starts on; every line reported counts from it.
    """
    global _offset, _lines
    _offset = first_line - 1
    _lines = text.split("\n")
    events = _events(text)
    loaded = Loaded(value=None, first_line=first_line)
    next(events)  # the parser always starts the stream, then a document or the stream's end
    if isinstance(next(events), yaml.StreamEndEvent):
        return loaded  # an empty document
    loaded.value = _build(events, next(events), (), loaded)
    next(events)  # the document's end
    event = next(events)
    if not isinstance(event, yaml.StreamEndEvent):
        raise StrictYAMLError(
            _line(event), "holds more than one YAML document; remove the extra '---' line"
        )
    return loaded


def _events(text: str) -> Iterator[yaml.Event]:
    try:
        yield from yaml.parse(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = (mark.line if mark else 0) + 1 + _offset
        problem = error.problem or str(error)
        hints = (f": {hint}" for known, hint in _HINTS.items() if known in problem)
        hint = next(hints, "; check the quotes, colons and indentation")
        raise StrictYAMLError(line, f"is not valid YAML ({problem}){hint}") from None
    except yaml.YAMLError as error:  # reader errors: control characters and the like
        line = 1 + _offset
        position = getattr(error, "position", None)
        if isinstance(position, int):
            line += text.count("\n", 0, position)
        reason = getattr(error, "reason", None) or "an unreadable character"
        raise StrictYAMLError(line, f"is not valid YAML: it contains {reason}") from None


# The line offset of the text being loaded. Loading is synchronous and never nested, so a module
# variable is simpler than threading the offset through every helper.
_offset = 0
# The lines of the text being loaded, to see what follows a plain value on its line.
_lines: list[str] = []

#: Lists and fields nested deeper than this are refused (a case study needs three levels).
MAX_DEPTH = 20
_COMMENT_AFTER = re.compile(r"^[ \t]+#")


def _line(event: yaml.Event) -> int:
    return (event.start_mark.line if event.start_mark else 0) + 1 + _offset


def _comment_follows(event: yaml.ScalarEvent) -> bool:
    """A plain value followed on its line by ' #': YAML drops the rest as a comment."""
    mark = event.end_mark
    if mark is None or not 0 <= mark.line < len(_lines):
        return False
    return _COMMENT_AFTER.match(_lines[mark.line][mark.column :]) is not None


def _reject_anchor_and_tag(event: yaml.NodeEvent, loaded: Loaded) -> None:
    if event.anchor is not None:
        loaded.problems.append(
            (_line(event), f"uses the anchor '&{event.anchor}', which is not allowed; remove it")
        )
    tag, implicit = getattr(event, "tag", None), getattr(event, "implicit", None)
    # A quoted scalar carries tag None and implicit (False, True); an explicit tag such as
    # !!python/object sets tag. Block mappings and sequences carry tag None when untagged.
    if tag is not None and not (isinstance(implicit, tuple) and any(implicit)):
        loaded.problems.append(
            (_line(event), f"uses the YAML tag '{tag}', which is not allowed; remove it")
        )


def _build(events: Iterator[yaml.Event], event: yaml.Event, path: Path, loaded: Loaded) -> Any:
    if len(path) > MAX_DEPTH:
        raise StrictYAMLError(
            _line(event),
            f"nests lists or fields more than {MAX_DEPTH} deep; "
            "a case study needs no more than three levels, so flatten it",
        )
    if isinstance(event, yaml.AliasEvent):
        alias = (
            f"uses the alias '*{event.anchor}', which is not allowed; write the value out in full"
        )
        loaded.problems.append((_line(event), alias))
        return None
    _reject_anchor_and_tag(event, loaded)
    if isinstance(event, yaml.ScalarEvent):
        if event.value == "" and event.implicit[0]:  # plain (unquoted) and empty
            return None  # `key:` with nothing after it
        if event.style in (None, "") and _comment_follows(event):
            loaded.problems.append(
                (
                    _line(event),
                    f"the text after ' #' is read as a comment and left out, so the value is "
                    f"only {event.value[:60]!r}; put the whole value in double quotes",
                )
            )
        return event.value
    if isinstance(event, yaml.SequenceStartEvent):
        items: list[Any] = []
        while not isinstance(event := next(events), yaml.SequenceEndEvent):
            loaded.lines[(*path, len(items))] = _line(event)
            items.append(_build(events, event, (*path, len(items)), loaded))
        return items
    mapping: dict[str, Any] = {}  # the parser makes nothing else: a mapping starts here
    while not isinstance(event := next(events), yaml.MappingEndEvent):
        if not isinstance(event, yaml.ScalarEvent) or event.value == "":
            raise StrictYAMLError(
                _line(event), "has a field name that is not plain text; check the indentation"
            )
        _reject_anchor_and_tag(event, loaded)
        key, key_line = event.value, _line(event)
        value = _build(events, next(events), (*path, key), loaded)
        if key in mapping:
            first = loaded.lines[(*path, key)]
            loaded.problems.append(
                (
                    key_line,
                    f"has the field '{key}' twice, on lines {first} and {key_line}; "
                    "keep one and delete the other",
                )
            )
        else:
            loaded.lines[(*path, key)] = key_line
            mapping[key] = value
    return mapping


def dump_quoted(value: Any) -> str:
    """Write `value` (dicts, lists, strings) as YAML with every string in double quotes.

    What contributors or forms typed can never be read back as something else: a title holding
    a newline and 'status: published' stays one title, 'NO' stays the text NO.
    """
    return yaml.dump(
        _quote_all(value), Dumper=_QuotingDumper, sort_keys=False, allow_unicode=True, width=100_000
    )


class _Quoted(str):
    """A string that _QuotingDumper always writes in double quotes."""


class _QuotingDumper(yaml.SafeDumper):
    """safe_dump, writing every _Quoted value in double quotes."""


_QuotingDumper.add_representer(
    _Quoted, lambda dumper, data: dumper.represent_scalar("tag:yaml.org,2002:str", data, style='"')
)


def _quote_all(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _quote_all(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_quote_all(item) for item in value]
    return _Quoted(value)
