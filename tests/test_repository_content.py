"""Everything committed to the repository passes its own checks."""

from __future__ import annotations

from kb.content.load import load_content


def test_every_case_study_and_data_file_in_the_repository_validates(project):
    content, problems = load_content(project)
    assert [str(problem) for problem in problems] == []
    collection = content.collection
    assert len(collection.case_studies) == collection.files_checked > 0
    assert content.resources and content.acronyms and content.bibliography


def test_taxonomy_has_every_list_and_the_eleven_wanted_categories(taxonomy):
    assert all(taxonomy.terms(facet) for facet in taxonomy.facets)
    assert len(taxonomy.categories) == 11
    assert len(taxonomy.regions) == 13  # nine English regions, three nations, UK-wide
    assert {term.id for term in taxonomy.categories if term.priority}
