"""Everything the site is built from, read and checked in one pass.

`load_content` is what `kb validate` runs and what the mkdocs plugin runs once per build; the
site's pages, listings, exports and coverage page are all made from the Content it returns.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from kb.content.casestudy import (
    Collection,
    Rules,
    allowed_contacts,
    case_study_files,
    load_case_studies,
)
from kb.content.datafiles import data_files, load_records
from kb.content.problems import Problem
from kb.content.project import Project, display_path
from kb.content.schema import load_schema
from kb.content.taxonomy import Taxonomy, load_taxonomy

#: Case-study file names the site needs for its own pages.
RESERVED_SLUGS = frozenset({"index"})


@dataclass(frozen=True)
class Content:
    """The checked content: taxonomy, the rules it was checked with, case studies (drafts
    included) and data files."""

    project: Project
    taxonomy: Taxonomy
    rules: Rules
    collection: Collection
    resources: list[dict[str, Any]]
    acronyms: list[dict[str, Any]]
    #: What pages in docs/ may cite by id: the bibliography, then the resources.
    bibliography: dict[str, dict[str, Any]]
    #: Case-study files and data files read: the number every summary line reports.
    files_checked: int


def load_rules(project: Project, taxonomy: Taxonomy) -> Rules:
    """The schema and allowed contacts a case study is checked against, read now."""
    return Rules(
        schema=load_schema(project.case_study_schema_file, taxonomy),
        allowed=allowed_contacts(project.allowed_contacts_file),
    )


def load_content(
    project: Project,
    case_studies_dir: Path | None = None,
    *,
    today: dt.date | None = None,
    render_bodies: bool = True,
) -> tuple[Content, list[Problem]]:
    """Read and check every case study (in `case_studies_dir`, default the project's) and every
    data file. Returns the content and every problem; the site must not be built when there are
    problems. Raises kb.content.taxonomy.TaxonomyError if the taxonomy is broken.

    `render_bodies=False` leaves the rules on each rendered body to a caller that renders the
    bodies anyway (kb.content.casestudy.rendered_body_problems): the site's build.
    """
    taxonomy = load_taxonomy(project.taxonomy_file)
    rules = replace(load_rules(project, taxonomy), render_bodies=render_bodies)
    files = case_study_files(case_studies_dir or project.case_studies_dir)
    collection = load_case_studies(files, rules, today=today)
    problems = [*collection.problems, *reserved_name_problems(collection)]
    records: dict[str, list[dict[str, Any]]] = {}
    files_checked = collection.files_checked
    for kind in data_files(project):
        loaded, data_problems = load_records(kind, taxonomy, rules.allowed)
        records[kind.key] = loaded
        problems.extend(data_problems)
        files_checked += kind.path.exists()
    content = Content(
        project=project,
        taxonomy=taxonomy,
        rules=rules,
        collection=collection,
        resources=records["resources"],
        acronyms=records["acronyms"],
        bibliography={
            record["id"]: record for record in [*records["resources"], *records["sources"]]
        },
        files_checked=files_checked,
    )
    return content, problems


def reserved_name_problems(collection: Collection) -> list[Problem]:
    """A case study may not take a name the site keeps for its own pages (index)."""
    kept = "is kept for the site's own pages; rename the file"
    return [
        Problem(display_path(case.path), 1, "file", f"the name '{case.path.name}' {kept}")
        for case in collection.case_studies
        if case.slug in RESERVED_SLUGS
    ]
