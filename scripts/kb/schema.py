"""The JSON Schemas in schema/, completed from the taxonomy, and their errors in plain English.

A schema property marked `"x-taxonomy": "regions"` takes its allowed values from that list in
data/taxonomy.yml: `resolved_schema` fills in the `enum`, so the allowed values are written in
one place only. `x-hint` on a property with a `pattern` says, in plain words, what the pattern
wants; the schema's `description`s are the help texts the template and issue form show.

Checking a document: most pass, and jsonschema, which walks the whole schema to find every
error, is slow for that (0.33 ms a case study). The schema is also compiled to Python by
fastjsonschema (0.02 ms), which only says whether a document passes; jsonschema walks the
documents that do not, for every problem and its plain message. fastjsonschema implements the
drafts up to 7: the schema uses only keywords that mean the same there as in 2020-12
(`DRAFT_7_KEYWORDS`, checked by a test), so what it passes jsonschema passes. (It is stricter
in one place, `format: uri`, which jsonschema checks only with an extra package: such a document
goes to jsonschema, which has the last word.)
"""

from __future__ import annotations

import copy
import difflib
import functools
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import fastjsonschema

if TYPE_CHECKING:  # imported when a document fails: every process of a clean build saves 0.1 s
    import jsonschema
    from jsonschema.exceptions import ValidationError

from kb import paths
from kb.taxonomy import Taxonomy, load_taxonomy

#: (path inside the document, message); the caller turns the path into a line number.
SchemaProblem = tuple[tuple[str | int, ...], str]


@functools.cache
def raw_schema(path: Path) -> dict[str, Any]:
    """The schema file as written, without taxonomy values."""
    return json.loads(path.read_text(encoding="utf-8"))


def resolved_schema(path: Path, taxonomy: Taxonomy | None = None) -> dict[str, Any]:
    """The schema with every `x-taxonomy` reference turned into an `enum` of the taxonomy's ids."""
    taxonomy = taxonomy or load_taxonomy()
    schema = copy.deepcopy(raw_schema(path))

    def fill(node: Any) -> None:
        if isinstance(node, dict):
            facet = node.get("x-taxonomy")
            if facet is not None:
                node["enum"] = taxonomy.ids(facet)
            for value in node.values():
                fill(value)
        elif isinstance(node, list):
            for value in node:
                fill(value)

    fill(schema)
    return schema


@functools.cache
def _validator(path: Path) -> jsonschema.Draft202012Validator:
    import jsonschema

    return jsonschema.Draft202012Validator(
        resolved_schema(path), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


#: The keywords the schemas may use: each means the same in JSON Schema draft 7 (what
#: fastjsonschema implements) as in 2020-12 (what jsonschema applies), so `passes` and
#: `schema_problems` agree. `x-` keywords are this project's own and validate nothing.
DRAFT_7_KEYWORDS = frozenset(
    {
        # Annotations and structure
        "$schema", "$id", "$defs", "$ref", "title", "description", "examples",
        # Validation
        "type", "enum", "const", "pattern", "format", "minLength", "maxLength",
        "properties", "required", "additionalProperties",
        "items", "minItems", "maxItems", "uniqueItems",
        "allOf", "if", "then",
    }
)  # fmt: skip


@functools.cache
def _compiled_check(path: Path) -> Callable[[Any], Any]:
    """The resolved schema compiled by fastjsonschema: raises JsonSchemaException on failure.

    Without $schema (fastjsonschema knows drafts up to 7) and $id (it would resolve the local
    $refs against that web address instead of this document).
    """
    schema = copy.deepcopy(resolved_schema(path))
    schema.pop("$schema", None)
    schema.pop("$id", None)
    return fastjsonschema.compile(schema)


def passes(document: Any, schema_path: Path) -> bool:
    """Whether `document` meets the schema: the quick answer, with no explanation."""
    try:
        _compiled_check(schema_path)(document)
    except fastjsonschema.JsonSchemaException:
        return False
    return True


def schema_problems(document: Any, schema_path: Path) -> Iterator[SchemaProblem]:
    """Yield every way `document` breaks the schema, each with its path and a plain message."""
    if passes(document, schema_path):
        return
    errors = list(_validator(schema_path).iter_errors(document))
    # Where a value has the wrong type, that is the one thing to say about it: "must be one of"
    # or "must match" on a list instead of text would only confuse.
    wrong_type = {tuple(error.absolute_path) for error in errors if error.validator == "type"}
    for error in errors:
        if error.validator != "type" and tuple(error.absolute_path) in wrong_type:
            continue
        yield from _explain(error)


def body_sections(schema_path: Path = paths.CASE_STUDY_SCHEMA_FILE) -> list[dict[str, str]]:
    """The body sections every case study must have, in order: id, heading and prompt."""
    return list(raw_schema(schema_path)["x-body-sections"])


def field_description(schema_path: Path, *names: str) -> str:
    """The help text of a (nested) property, from the schema's `description`."""
    node = raw_schema(schema_path)
    for name in names:
        node = node["properties"][name]
        if "$ref" in node:
            ref = node["$ref"].rsplit("/", 1)[-1]
            node = {**raw_schema(schema_path)["$defs"][ref], **node}
    return str(node.get("description", ""))


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


def _explain(error: ValidationError) -> Iterator[SchemaProblem]:
    path = tuple(error.absolute_path)
    schema = error.schema if isinstance(error.schema, dict) else {}
    kind = error.validator
    value = error.instance

    if kind == "required":
        missing = [name for name in error.validator_value if name not in (value or {})]
        properties = schema.get("properties", {})
        for name in missing:
            help_text = properties.get(name, {}).get("description", "")
            hint = f" ({help_text})" if help_text else ""
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
        allowed = list(error.validator_value)
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
        wanted = _TYPE_WORDS.get(str(error.validator_value), str(error.validator_value))
        if value is None:
            yield path, f"is empty; it must be {wanted}"
        else:
            yield path, f"must be {wanted}; got {_show(value)}"
    elif kind == "minLength":
        yield (
            path,
            (
                f"is too short: it must be at least {error.validator_value} characters; "
                f"it has {len(value)}"
            ),
        )
    elif kind == "maxLength":
        yield (
            path,
            (
                f"is too long: it must be at most {error.validator_value} characters; "
                f"it has {len(value)}, so shorten it"
            ),
        )
    elif kind == "pattern":
        hint = schema.get("x-hint", f"must match the pattern {error.validator_value}")
        yield path, f"{hint}; got {_show(value)}"
    elif kind == "format":
        hint = schema.get("x-hint", f"must be a valid {error.validator_value}")
        yield path, f"{hint}; got {_show(value)}"
    elif kind == "minItems":
        if "then" in error.relative_schema_path or "then" in error.schema_path:
            yield (
                path,
                (
                    "must list at least one source, because consent is 'published-sources' "
                    "(the case study is compiled only from published sources)"
                ),
            )
        else:
            yield path, f"must list at least {error.validator_value}; it is empty"
    elif kind == "maxItems":
        yield path, f"must list at most {error.validator_value}; it lists {len(value)}"
    elif kind == "uniqueItems":
        seen: set[str] = set()
        repeated = [item for item in value if str(item) in seen or seen.add(str(item))]
        yield path, f"lists {_quoted_list(repeated)} more than once; remove the repeat"
    else:  # a keyword added to the schema later: still a clear, located message
        yield path, error.message
