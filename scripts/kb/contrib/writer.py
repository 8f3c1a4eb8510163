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
from kb.contrib.scaffold import AUTOMATIC, NOT_ASKED, SEPARATOR, Field, fields

#: Where the description is written, relative to the project root.
WRITER_PATH = Path("docs") / "contribute" / "writer-fields.json"


def _entry(item: Field, taxonomy: Taxonomy) -> dict[str, Any]:
    """One field as the writer shows it; an object or a list of records with its children."""
    entry: dict[str, Any] = {
        "name": item.name,
        "path": list(item.path),
        "kind": item.kind,
        "label": item.label,
        "help": item.help,
    }
    if item.kind != "object":
        entry["limits"] = item.limits
    entry["required"] = item.required
    if item.facet or item.fixed:
        entry["choices"] = [
            {"id": term.id, "name": term.name, "description": term.description}
            for term in item.choices(taxonomy)
        ]
    if item.kind == "partial_date":
        entry["placeholder"] = "2019 or 2019-04"
    if item.children:
        entry["children"] = [_entry(child, taxonomy) for child in item.children]
    if item.kind == "records":
        # What one record is called, from the last word of the label: "source", "commissioner".
        last = item.label.split()[-1].lower()
        entry["one"] = last[:-1] if last.endswith("s") else last
    return entry


def writer_data(rules: Rules, taxonomy: Taxonomy) -> dict[str, Any]:
    """The writer's description of the case study, as data."""
    asked = [item for item in fields(rules) if item.path[0] not in NOT_ASKED]
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
        "fields": [_entry(item, taxonomy) for item in asked],
        "sections": rules.schema.body_sections,
        "separator": SEPARATOR,
        "issue": {"template": FORM_PATH.name, "title": "Case study: ", "fields": issue},
        "schema": rules.schema.resolved,
    }


def writer_json(rules: Rules, taxonomy: Taxonomy) -> str:
    """The text of docs/contribute/writer-fields.json."""
    return json.dumps(writer_data(rules, taxonomy), indent=1, ensure_ascii=False) + "\n"
