"""case_studies/_template.md is made from the schema and taxonomy, and a copy of it is caught."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from kb import paths
from kb.casestudy import check_file
from kb.commands.schema import GENERATED, out_of_date
from kb.scaffold import LABELS, all_paths, fields, template_text
from kb.schema import body_sections
from kb.strict_yaml import load
from kb.taxonomy import FACETS, load_taxonomy
from kb.text_rules import PLACEHOLDER

TEMPLATE = paths.TEMPLATE_FILE


def test_committed_template_is_what_the_generator_makes() -> None:
    assert TEMPLATE.read_text(encoding="utf-8") == template_text(), (
        "case_studies/_template.md is out of date: run kb generate and commit the result"
    )


def test_generate_check_finds_every_generated_file_up_to_date() -> None:
    assert [str(problem) for problem in out_of_date()] == []
    assert {path for path, _ in GENERATED} >= {TEMPLATE}


def test_generate_check_reports_a_drifted_file(tmp_path: Path, monkeypatch) -> None:
    stale = tmp_path / "_template.md"
    stale.write_text("old\n", encoding="utf-8")
    monkeypatch.setattr("kb.commands.schema.GENERATED", ((stale, template_text),), raising=True)
    problems = out_of_date()
    assert len(problems) == 1
    assert problems[0].line == 1
    assert "run kb generate" in problems[0].message


def test_template_has_every_field_with_its_help_text() -> None:
    text = TEMPLATE.read_text(encoding="utf-8")
    for item in fields():
        for name in all_paths([item]):
            key = name.rsplit(".", 1)[-1]
            assert re.search(rf"^\s*(# )?\s*(- )?{key}:", text, re.MULTILINE), name
    # Every help text is shown (wrapped over comment lines, so compare without line breaks).
    flat = " ".join(line.strip().lstrip("#").strip() for line in text.splitlines())
    for item in fields():
        assert item.description in flat, item.name


def test_template_lists_every_allowed_value_from_the_taxonomy() -> None:
    text = TEMPLATE.read_text(encoding="utf-8")
    taxonomy = load_taxonomy()
    used = {"categories", "regions", "commissioner_types", "service_areas", "sourcing"}
    for facet in FACETS:
        if facet not in used:
            continue
        for term in taxonomy.terms(facet):
            assert f"#   {term.id}: {term.name}" in text, (facet, term.id)


def test_template_is_a_draft_with_the_five_sections_and_their_prompts() -> None:
    text = TEMPLATE.read_text(encoding="utf-8")
    assert '\nstatus: "draft"\n' in text
    headings = re.findall(r"^## (.+)$", text, re.MULTILINE)
    assert headings == [section["heading"] for section in body_sections()]
    for section in body_sections():
        assert f"{PLACEHOLDER} {section['prompt']}" in text


def test_template_front_matter_is_valid_strict_yaml() -> None:
    text = TEMPLATE.read_text(encoding="utf-8")
    front = text.split("\n---\n", 1)[0].removeprefix("---\n")
    loaded = load(front, first_line=2)
    assert loaded.problems == []
    assert loaded.value["status"] == "draft"


def test_a_copied_template_fails_only_where_there_is_something_to_replace(
    tmp_path: Path,
) -> None:
    copy = tmp_path / "my-case-study.md"
    shutil.copy(TEMPLATE, copy)
    result = check_file(copy)
    assert result.case_study is None
    lines = copy.read_text(encoding="utf-8").split("\n")
    placeholder = re.compile(rf'{PLACEHOLDER}|""|\[\]|"YYYY')
    for problem in result.problems:
        assert placeholder.search(lines[problem.line - 1]), str(problem)
    # Every required field and every section is flagged, each once.
    fields_flagged = {problem.field for problem in result.problems}
    assert {
        "title",
        "summary",
        "dpulo.name",
        "commissioner.name",
        "commissioner.type",
        "region",
        "categories",
        "period.start",
        "published",
        "reviewed",
        "consent",
    } <= fields_flagged
    assert sum(problem.field == "body" for problem in result.problems) == len(body_sections())


def test_labels_name_exactly_the_schema_fields() -> None:
    assert set(LABELS) == set(all_paths(fields()))


def test_the_validator_skips_the_template() -> None:
    from kb.casestudy import case_study_files

    assert TEMPLATE not in case_study_files(paths.CASE_STUDIES_DIR)


def test_uncommented_examples_are_caught_until_replaced(tmp_path: Path) -> None:
    """A contributor who uncomments the example source but keeps its words is told so."""
    lines = TEMPLATE.read_text(encoding="utf-8").split("\n")
    start = lines.index("sources: []")
    example = [line for line in lines[start + 1 :] if line.startswith("#   ")]
    uncommented = ["sources:", *(line[1:] for line in example)]
    copy = tmp_path / "my-case-study.md"
    copy.write_text(
        "\n".join(lines[:start] + uncommented + lines[start + 1 + 2 + len(example) :]),
        encoding="utf-8",
    )
    flagged = {problem.field for problem in check_file(copy).problems}
    assert {"sources[1].title", "sources[1].publisher", "sources[1].date", "sources[1].url"} <= (
        flagged
    )
