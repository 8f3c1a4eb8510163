"""The writer's field description (docs/contribute/writer-fields.json) follows the schema.

Every generated file (the template, the issue form, the writer's description, the Word form)
is checked by kb.contrib.generated: a test here fails when any committed copy has drifted.
"""

from __future__ import annotations

import json
from pathlib import Path

from kb.content.load import load_rules
from kb.content.project import Project
from kb.content.taxonomy import load_taxonomy
from kb.contrib.generated import drifted, generated_files
from kb.contrib.issue_form import form_fields
from kb.contrib.scaffold import NOT_ASKED, all_paths, fields
from kb.contrib.writer import WRITER_PATH, writer_data

REPO = Path(__file__).resolve().parents[1]


def _setup():
    project = Project(REPO)
    taxonomy = load_taxonomy(project.taxonomy_file)
    return project, load_rules(project, taxonomy), taxonomy


def test_no_generated_file_has_drifted_from_the_schema() -> None:
    project, rules, taxonomy = _setup()
    files = generated_files(project, rules, taxonomy)
    assert project.root / WRITER_PATH in files
    assert drifted(files) == [], "run `kb generate` and commit the result"


def test_writer_describes_every_field_choice_and_section() -> None:
    _, rules, taxonomy = _setup()
    data = writer_data(rules, taxonomy)

    def names(items):
        for item in items:
            yield item["name"]
            yield from names(item.get("children", []))

    described = set(names(data["fields"]))
    expected = {name for name in all_paths(fields(rules)) if name.split(".")[0] not in NOT_ASKED}
    assert described == expected
    assert data["order"] == list(rules.schema.raw["properties"])
    assert data["sections"] == rules.schema.body_sections
    assert data["schema"] == rules.schema.resolved

    def choices(items):
        for item in items:
            if "choices" in item:
                yield item["name"], [choice["id"] for choice in item["choices"]]
            yield from choices(item.get("children", []))

    for name, ids in choices(data["fields"]):
        node = next(f for f in _leaves(fields(rules)) if f.name == name)
        assert ids == (taxonomy.ids(node.facet) if node.facet else list(node.fixed))


def test_writer_fills_every_issue_form_answer() -> None:
    _, rules, taxonomy = _setup()
    data = writer_data(rules, taxonomy)
    filled = {entry["id"] for entry in data["issue"]["fields"]}
    asked = {item.id for item in form_fields(rules, taxonomy) if item.type != "checkboxes"}
    assert filled == asked
    # GitHub reads ?title= as the issue's title: no form field may be called that.
    assert "title" not in filled


def test_summary_limits_are_stated() -> None:
    data = json.loads((REPO / WRITER_PATH).read_text(encoding="utf-8"))
    summary = next(item for item in data["fields"] if item["name"] == "summary")
    assert summary["limits"] == "Between 40 and 400 characters."


def _leaves(items):
    for item in items:
        yield item
        yield from _leaves(item.children)
