"""Everything committed to the repository passes its own checks."""

from __future__ import annotations

from kb import paths
from kb.casestudy import case_study_files, load_case_studies
from kb.datafiles import ALL_DATA_FILES, load_records
from kb.taxonomy import FACETS, load_taxonomy


def test_every_case_study_in_the_repository_validates():
    collection = load_case_studies(case_study_files(paths.CASE_STUDIES_DIR))
    assert [str(problem) for problem in collection.problems] == []
    assert len(collection.case_studies) == collection.files_checked


def test_every_data_file_validates():
    for kind in ALL_DATA_FILES:
        _records, problems = load_records(kind)
        assert [str(problem) for problem in problems] == [], kind.path


def test_taxonomy_has_every_list_and_the_eleven_wanted_categories():
    taxonomy = load_taxonomy()
    assert all(taxonomy.terms(facet) for facet in FACETS)
    assert len(taxonomy.categories) == 11
    assert len(taxonomy.regions) == 13  # nine English regions, three nations, UK-wide
    assert {term.id for term in taxonomy.categories if term.priority}
