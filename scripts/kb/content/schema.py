"""The JSON Schemas in schema/, completed from the taxonomy, and their errors in plain English.

A schema property marked `"x-taxonomy": "regions"` takes its allowed values from that list in
data/taxonomy.yml: `load_schema` fills in the `enum`, so the allowed values are written in one
place only. `x-hint` on a property with a `pattern` says, in plain words, what the pattern
wants; the schema's `description`s are the help texts the template and issue form show.

A Schema is read once per build or check and handed to whatever needs it: nothing is cached
for the life of the process, so `kb serve` sees an edited schema or taxonomy on the next build.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema
from jsonschema.exceptions import ValidationError

from kb.content.taxonomy import Taxonomy

#: (path inside the document, message); the caller turns the path into a line number.
SchemaProblem = tuple[tuple[str | int, ...], str]


@dataclass(frozen=True)
class Schema:
    """One JSON Schema file as written (`raw`) and with the taxonomy's ids filled in."""

    path: Path
    raw: dict[str, Any]
    resolved: dict[str, Any]
    _validator: jsonschema.Draft202012Validator = field(repr=False, compare=False)

    def problems(self, document: Any) -> Iterator[SchemaProblem]:
        """Yield every way `document` breaks the schema, each with its path and a plain message."""
        errors = list(self._validator.iter_errors(document))
        # Where a value has the wrong type, that is the one thing to say about it: "must be one
        # of" or "must match" on a list instead of text would only confuse.
        wrong_type = {tuple(error.absolute_path) for error in errors if error.validator == "type"}
        for error in errors:
            if error.validator != "type" and tuple(error.absolute_path) in wrong_type:
                continue
            yield from _explain(error)

    @property
    def body_sections(self) -> list[dict[str, str]]:
        """The body sections every case study must have, in order: id, heading and prompt."""
        return list(self.raw.get("x-body-sections", []))


def load_schema(path: Path, taxonomy: Taxonomy) -> Schema:
    """Read a schema file and turn every `x-taxonomy` reference into an `enum` of its ids."""
    text = path.read_text(encoding="utf-8")

    def fill(node: dict[str, Any]) -> dict[str, Any]:
        facet = node.get("x-taxonomy")
        return node if facet is None else {**node, "enum": taxonomy.ids(facet)}

    raw, resolved = json.loads(text), json.loads(text, object_hook=fill)
    validator = jsonschema.Draft202012Validator(
        resolved, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    return Schema(path, raw, resolved, validator)


def _quoted_list(values: list[Any], limit: int = 14) -> str:
    shown = ", ".join(repr(str(value)) for value in values[:limit])
    return shown + (", …" if len(values) > limit else "")


def _show(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, str):
        return repr(value if len(value) <= 60 else value[:57] + "...")
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a set of fields"
    return repr(value)  # pragma: no cover - the strict loader only makes str, list, dict, None


_TYPE_WORDS = {
    "string": "text",
    "array": "a list (one '- item' per line, or [a, b])",
    "object": "a set of fields, each on its own indented line",
}


#: Messages that need only the schema's limit and the size of the value.
_SIZES = {
    "minLength": "is too short: it must be at least {limit} characters; it has {size}",
    "maxLength": "is too long: it must be at most {limit} characters; it has {size}, so shorten it",
    "maxItems": "must list at most {limit}; it lists {size}",
}
#: Why a field is required or a list must not be empty when consent is 'published-sources'.
_PUBLISHED_SOURCES = {
    "caveats": (
        " (one plain sentence or more on how far the sources can be relied on: for example that "
        "they disagree, that there is only one, or that dates are inferred), because consent is "
        "'published-sources'"
    ),
    "quotes": (
        " (copy one or more short passages, word for word, from this source: the ones the case "
        "study relies on), because consent is 'published-sources'"
    ),
}


def _explain(error: ValidationError) -> Iterator[SchemaProblem]:
    path = tuple(error.absolute_path)
    schema = error.schema if isinstance(error.schema, dict) else {}
    kind = error.validator
    value = error.instance
    limit = error.validator_value

    if kind == "required":
        properties = schema.get("properties", {})
        for name in [name for name in limit if name not in (value or {})]:
            help_text = properties.get(name, {}).get("description", "")
            hint = f" ({help_text})" if help_text else ""
            if "then" in error.schema_path:
                hint = _PUBLISHED_SOURCES.get(name, hint)
            yield (*path, name), f"is missing; add it{hint}"
    elif kind == "additionalProperties":
        known = list(schema.get("properties", {}))
        for name in sorted(set(value) - set(known)):
            close = difflib.get_close_matches(name, known, n=1)
            guess = f"did you mean '{close[0]}'? " if close else ""
            yield (
                (*path, name),
                f"is not a field we know; {guess}"
                f"the fields allowed here are {_quoted_list(known, 30)}",
            )
    elif kind == "enum" and value is None:
        return  # the type error already says the value is empty
    elif kind == "enum":
        allowed = list(limit)
        guess = ""
        if isinstance(value, str):
            folded = value.strip().lower().replace(" ", "-").replace("_", "-")
            close = [a for a in allowed if a == folded] or difflib.get_close_matches(
                folded, allowed, n=1
            )
            if close:
                guess = f" (did you mean '{close[0]}'?)"
        yield path, f"must be one of {_quoted_list(allowed, 20)}; got {_show(value)}{guess}"
    elif kind == "type":
        wanted = _TYPE_WORDS.get(str(limit), str(limit))
        if value is None:
            yield path, f"is empty; it must be {wanted}"
        else:
            yield path, f"must be {wanted}; got {_show(value)}"
    elif kind in _SIZES:
        yield path, _SIZES[kind].format(limit=limit, size=len(value))
    elif kind in ("pattern", "format"):
        default = "must match the pattern" if kind == "pattern" else "must be a valid"
        yield path, f"{schema.get('x-hint', f'{default} {limit}')}; got {_show(value)}"
    elif kind == "minItems":
        if path and path[-1] == "quotes":
            message = (
                "must quote at least one passage, word for word, from this source, because "
                "consent is 'published-sources'"
            )
        elif "then" in error.schema_path:
            message = (
                "must list at least one source, because consent is 'published-sources' (the "
                "case study is compiled only from published sources)"
            )
        else:
            message = f"must list at least {limit}; it is empty"
        yield path, message
    elif kind == "uniqueItems":
        seen: set[str] = set()
        repeated = [item for item in value if str(item) in seen or seen.add(str(item))]
        yield path, f"lists {_quoted_list(repeated)} more than once; remove the repeat"
    elif kind == "not" and "x-hint" in schema:  # a field that is not allowed in this case
        yield path, schema["x-hint"]
    else:  # a keyword added to the schema later: still a clear, located message
        yield path, error.message
