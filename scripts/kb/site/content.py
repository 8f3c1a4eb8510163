"""Everything the site is built from, read and checked once per build."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kb import paths
from kb.casestudy import Collection, case_study_files, load_case_studies
from kb.datafiles import ALL_DATA_FILES, GLOSSARY, RESOURCES, SOURCES, load_records
from kb.problems import Problem
from kb.site.catalogue import Catalogue, build_catalogue
from kb.taxonomy import Taxonomy, load_taxonomy

#: Case-study file names the site needs for its own pages.
RESERVED_SLUGS = frozenset({"index"})


@dataclass(frozen=True)
class SiteContent:
    """The checked content: taxonomy, case studies (drafts included), resources, glossary."""

    taxonomy: Taxonomy
    collection: Collection
    resources: list[dict[str, Any]]
    acronyms: list[dict[str, Any]]
    #: What pages in docs/ may cite by id: the bibliography, then the resources.
    bibliography: dict[str, dict[str, Any]]

    @functools.cached_property
    def catalogue(self) -> Catalogue:
        """The published case studies indexed for the site; built when first wanted, as the
        build's first stage only checks the content and never wants it."""
        return build_catalogue(self.collection.case_studies, self.taxonomy)


def load_content(
    case_studies_dir: Path, *, today: dt.date | None = None
) -> tuple[SiteContent, list[Problem]]:
    """Read and check every case study in `case_studies_dir` and every data file.

    The same checks as `kb validate`. Returns the content and every problem; the site must not
    be built when there are problems. Raises kb.taxonomy.TaxonomyError if the taxonomy is broken.
    """
    taxonomy = load_taxonomy()
    collection = load_case_studies(case_study_files(case_studies_dir), today=today)
    problems = list(collection.problems)
    for case in collection.case_studies:
        if case.slug in RESERVED_SLUGS:
            problems.append(
                Problem(
                    paths.display_path(case.path),
                    1,
                    "file",
                    f"the name '{case.path.name}' is kept for the site's own pages; "
                    "rename the file",
                )
            )
    records: dict[str, list[dict[str, Any]]] = {}
    for kind in ALL_DATA_FILES:
        loaded, data_problems = load_records(kind)
        records[kind.key] = loaded
        problems.extend(data_problems)
    content = SiteContent(
        taxonomy=taxonomy,
        collection=collection,
        resources=records[RESOURCES.key],
        acronyms=records[GLOSSARY.key],
        bibliography={
            record["id"]: record for record in [*records[RESOURCES.key], *records[SOURCES.key]]
        },
    )
    return content, problems
