"""The files made from the schema and the taxonomy: the case-study template, the issue form and
the field description the writer on the site is built from.

`kb generate` writes them; `kb generate --check` and the tests fail when a committed copy has
drifted from what the schema and taxonomy make now.
"""

from __future__ import annotations

from pathlib import Path

from kb.content.casestudy import Rules
from kb.content.project import Project
from kb.content.taxonomy import Taxonomy
from kb.contrib.issue_form import FORM_PATH, form_yaml
from kb.contrib.scaffold import template_text
from kb.contrib.writer import WRITER_PATH, writer_json


def generated_files(project: Project, rules: Rules, taxonomy: Taxonomy) -> dict[Path, str]:
    """Each generated file's path and the text it should have now."""
    return {
        project.template_file: template_text(rules, taxonomy),
        project.root / FORM_PATH: form_yaml(rules, taxonomy),
        project.root / WRITER_PATH: writer_json(rules, taxonomy),
    }


def drifted(files: dict[Path, str]) -> list[Path]:
    """The generated files whose committed text differs from what is made now (or missing)."""
    return [
        path
        for path, text in files.items()
        if not path.exists() or path.read_text(encoding="utf-8") != text
    ]
