"""The case-study writer on the site (/contribute/write/): the description its form is built from.

`writer_json` makes docs/contribute/writer-fields.json from the schema and the taxonomy, and
`kb generate` writes it (`kb generate --check` fails when it drifts). docs/javascripts/writer.js
reads it and builds the form in the browser: nothing is sent anywhere.

The description holds, for each field: its label and help (the same words as `kb new` and the
issue form), the choices with their names, its limits in plain words, and whether it is
required; the five body sections; the schema itself, with the taxonomy's ids filled in, which
the script checks answers against and whose messages it words as `kb validate` does
(kb.content.schema); and how each answer goes into the pre-filled GitHub issue form (by the
form's field ids, from kb.contrib.issue_form), so the writer, the issue form and the validator
cannot disagree.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from kb.content.casestudy import Rules
from kb.content.taxonomy import Taxonomy
from kb.contrib.issue_form import FORM_PATH, form_fields, issue_value_kind
from kb.contrib.scaffold import AUTOMATIC, FIXED_CHOICE_WORDS, NOT_ASKED, SEPARATOR, Field, fields

#: Where the description is written, relative to the project root.
WRITER_PATH = Path("docs") / "contribute" / "writer-fields.json"


def schema_node(root: dict[str, Any], path: tuple[str, ...]) -> dict[str, Any]:
    """The schema of the field at `path` (its `$ref` followed), records' items opened up."""
    node: dict[str, Any] = root
    for key in path:
        node = _resolve(root, node)
        if node.get("type") == "array":
            node = _resolve(root, node.get("items", {}))
        node = node.get("properties", {}).get(key, {})
    return _resolve(root, node)


def _resolve(root: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref")
    if not ref:
        return node
    name = ref.rsplit("/", 1)[-1]
    return {**root["$defs"][name], **{k: v for k, v in node.items() if k != "$ref"}}


def limits_text(node: dict[str, Any], root: dict[str, Any]) -> str:
    """A field's limits in plain words, such as 'Between 40 and 400 characters.'."""
    parts = []
    low, high = node.get("minLength"), node.get("maxLength")
    if low and high:
        parts.append(f"Between {low} and {high} characters.")
    elif high:
        parts.append(f"Up to {high} characters.")
    elif low:
        parts.append(f"At least {low} characters.")
    items = _resolve(root, node.get("items", {})) if node.get("type") == "array" else {}
    few, many = node.get("minItems"), node.get("maxItems")
    if node.get("type") == "array" and many:
        parts.append(f"Up to {many}." if not few else f"Between {few} and {many}.")
    if items.get("type") == "string" and not items.get("x-taxonomy"):
        low, high = items.get("minLength"), items.get("maxLength")
        if low and high:
            parts.append(f"Each one {low} to {high} characters.")
    return " ".join(parts)


def _field(item: Field, rules: Rules, taxonomy: Taxonomy) -> dict[str, Any]:
    node = schema_node(rules.schema.resolved, item.path)
    entry: dict[str, Any] = {
        "name": item.name,
        "path": list(item.path),
        "kind": item.kind,
        "label": item.label,
        "help": item.help,
        "limits": limits_text(node, rules.schema.resolved),
        "required": item.required,
    }
    if item.facet:
        entry["choices"] = [
            {"id": term.id, "name": term.name, "description": term.description}
            for term in taxonomy.terms(item.facet)
        ]
    elif item.fixed:
        words = FIXED_CHOICE_WORDS.get(item.name, {})
        entry["choices"] = [
            {"id": value, "name": words.get(value, value), "description": ""}
            for value in item.fixed
        ]
    if item.kind == "partial_date":
        entry["placeholder"] = "2019 or 2019-04"
    if item.kind == "records":
        entry["children"] = [_field(child, rules, taxonomy) for child in item.children]
        # What one record is called, from the last word of the label: "source", "commissioner".
        last = item.label.split()[-1].lower()
        entry["one"] = last[:-1] if last.endswith("s") else last
    return entry


def writer_data(rules: Rules, taxonomy: Taxonomy) -> dict[str, Any]:
    """The writer's description of the case study, as data."""
    asked = [item for item in fields(rules) if item.path[0] not in NOT_ASKED]

    def opened(items: list[Field] | tuple[Field, ...]) -> list[dict[str, Any]]:
        result = []
        for item in items:
            if item.kind == "object":
                result.append(
                    {
                        "name": item.name,
                        "path": list(item.path),
                        "kind": "object",
                        "label": item.label,
                        "help": item.help,
                        "required": item.required,
                        "children": opened(item.children),
                    }
                )
            else:
                result.append(_field(item, rules, taxonomy))
        return result

    issue = [
        {"id": form_field.id, "from": name, "how": how}
        for form_field in form_fields(rules, taxonomy)
        for name, how in [issue_value_kind(form_field)]
        if how
    ]
    return {
        "about": (
            "Made by `kb generate` from schema/case-study.schema.json and data/taxonomy.yml for "
            "the case-study writer (docs/javascripts/writer.js): change those, not this file."
        ),
        "automatic": {"status": "draft", "dates": [name for name in AUTOMATIC if name != "status"]},
        # Every top-level field in the schema's order: the file's front matter follows it.
        "order": [item.name for item in fields(rules)],
        "fields": opened(asked),
        "sections": rules.schema.body_sections,
        "separator": SEPARATOR,
        "issue": {"template": FORM_PATH.name, "title": "Case study: ", "fields": issue},
        "schema": rules.schema.resolved,
    }


def writer_json(rules: Rules, taxonomy: Taxonomy) -> str:
    """The text of docs/contribute/writer-fields.json."""
    return json.dumps(writer_data(rules, taxonomy), indent=1, ensure_ascii=False) + "\n"
