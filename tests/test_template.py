"""case_studies/_template.md is made from the schema and taxonomy, and a copy of it is caught."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from kb.content.casestudy import case_study_files, check_file
from kb.content.strict_yaml import load
from kb.content.text_rules import PLACEHOLDER
from kb.contrib.generated import drifted, generated_files
from kb.contrib.issue_form import FORM_PATH
from kb.contrib.scaffold import LABELS, all_paths, fields, leaves
from kb.contrib.writer import WRITER_PATH
from tests.support.project import PROJECT, repo_rules, repo_taxonomy

TEMPLATE = PROJECT.template_file


def test_committed_generated_files_are_what_the_generator_makes(project, rules, taxonomy) -> None:
    files = generated_files(project, rules, taxonomy)
    assert set(files) == {TEMPLATE, project.root / FORM_PATH, project.root / WRITER_PATH}
    assert drifted(files) == [], "out of date: run kb generate and commit the result"


def test_a_drifted_or_missing_generated_file_is_found(tmp_path: Path) -> None:
    same, stale = tmp_path / "same.md", tmp_path / "stale.md"
    same.write_text("now\n", encoding="utf-8")
    stale.write_text("old\n", encoding="utf-8")
    missing = tmp_path / "missing.md"
    assert drifted({same: "now\n", stale: "now\n", missing: "now\n"}) == [stale, missing]


def test_template_has_every_field_with_its_help_text() -> None:
    text = TEMPLATE.read_text(encoding="utf-8")
    for item in fields(repo_rules()):
        for name in all_paths([item]):
            key = name.rsplit(".", 1)[-1]
            assert re.search(rf"^\s*(# )?\s*(- )?{key}:", text, re.MULTILINE), name
    # Every help text is shown (wrapped over comment lines, so compare without line breaks).
    flat = " ".join(line.strip().lstrip("#").strip() for line in text.splitlines())
    for item in fields(repo_rules()):
        assert item.description in flat, item.name


def test_template_lists_every_allowed_value_from_the_taxonomy() -> None:
    text = TEMPLATE.read_text(encoding="utf-8")
    taxonomy = repo_taxonomy()
    used = {"categories", "regions", "commissioner_types", "service_areas", "sourcing"}
    for facet in taxonomy.facets:
        if facet not in used:
            continue
        for term in taxonomy.terms(facet):
            assert f"#   {term.id}: {term.name}" in text, (facet, term.id)


def test_template_is_a_draft_with_the_five_sections_and_their_prompts() -> None:
    text = TEMPLATE.read_text(encoding="utf-8")
    assert '\nstatus: "draft"\n' in text
    headings = re.findall(r"^## (.+)$", text, re.MULTILINE)
    sections = repo_rules().schema.body_sections
    assert headings == [section["heading"] for section in sections]
    for section in sections:
        assert f"{PLACEHOLDER} {section['prompt']}" in text


def test_template_front_matter_is_valid_strict_yaml() -> None:
    text = TEMPLATE.read_text(encoding="utf-8")
    front = text.split("\n---\n", 1)[0].removeprefix("---")
    loaded = load(front)
    assert loaded.problems == []
    assert loaded.value["status"] == "draft"


def test_a_copied_template_fails_only_where_there_is_something_to_replace(
    tmp_path: Path,
) -> None:
    copy = tmp_path / "my-case-study.md"
    shutil.copy(TEMPLATE, copy)
    result = check_file(copy, repo_rules())
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
    assert sum(problem.field == "body" for problem in result.problems) == len(
        repo_rules().schema.body_sections
    )


def test_labels_name_only_schema_fields_and_every_field_has_a_distinct_label() -> None:
    items = list(fields(repo_rules()))
    assert set(LABELS) <= set(all_paths(items))
    # The Word form reads answers by their labels: the questions, and each record's parts.
    records = [item for item in leaves(items) if item.kind == "records"]
    for group in [list(leaves(items)), *(item.children for item in records)]:
        labels = [item.label for item in group]
        assert len(labels) == len(set(labels)), labels
    assert [item.label for item in items][:2] == ["Title", "Summary"]


def test_the_validator_skips_the_template() -> None:
    assert TEMPLATE not in case_study_files(PROJECT.case_studies_dir)


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
    flagged = {problem.field for problem in check_file(copy, repo_rules()).problems}
    assert {"sources[1].title", "sources[1].publisher", "sources[1].date", "sources[1].url"} <= (
        flagged
    )
