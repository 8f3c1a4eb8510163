"""A case study whose closing `---` is missing is reported at the first line that is not YAML,
with the exact message a contributor reads (a golden test)."""

from __future__ import annotations

from pathlib import Path

from kb.content.casestudy import check_file, missing_close_line
from kb.content.load import load_rules
from kb.content.project import Project
from kb.content.taxonomy import load_taxonomy

ROOT = Path(__file__).resolve().parents[1]

TEXT = """---
title: "Fictional forum and Exampleshire Council"
summary: "A fictional summary."
region: london
categories: [tupe]
period:
  start: "2019-04"
status: published

## What happened

Text of the case study.
"""

EXPECTED = (
    "case_studies/fictional-no-close.md:10: front matter: the fields at the top must end "
    "with a line '---'; add a line '---' here, before this line, where the fields end and "
    "the text begins"
)


def test_missing_closing_line_is_reported_at_the_first_line_that_is_not_yaml(
    tmp_path: Path,
) -> None:
    path = tmp_path / "fictional-no-close.md"
    path.write_text(TEXT, encoding="utf-8")
    project = Project(ROOT)
    rules = load_rules(project, load_taxonomy(project.taxonomy_file))
    result = check_file(path, rules, shown="case_studies/fictional-no-close.md")
    assert [str(problem) for problem in result.problems] == [EXPECTED]
    assert result.case_study is None


def test_the_first_line_that_is_not_yaml() -> None:
    assert missing_close_line(TEXT) == 10  # '## What happened'
    assert missing_close_line("---\ntitle: x\nJust prose here.\n") == 3
    assert missing_close_line("---\ntitle: x\n") == 3  # no such line: the end of the file
