"""Speed changes made for the benchmark (issue 9) give exactly the answers they replaced."""

from __future__ import annotations

import posixpath

from hypothesis import given
from hypothesis import strategies as st

from kb import fake
from kb.casestudy import case_study_files, load_case_studies
from kb.site.markup import relative_url
from tests.conftest import TODAY

_SEGMENT = st.sampled_from(["", ".", "..", "a", "b", "case-studies", "x-1", "data", "cases.json"])
_URL = st.lists(_SEGMENT, max_size=5).map("/".join) | st.sampled_from(["", "/", "a/", "/a/b/"])


def _relative_url_before(from_page: str, to_page: str) -> str:
    """kb.site.markup.relative_url as it was, calling posixpath.relpath."""
    target, _, fragment = to_page.partition("#")
    start = posixpath.dirname(from_page.rstrip("/") + "/x") if from_page else "."
    end = target.rstrip("/") or "."
    path = posixpath.relpath(end, start or ".")
    if target.endswith("/") or not target:
        path = "./" if path == "." else path + "/"
    return path + (f"#{fragment}" if fragment else "")


@given(_URL, _URL, st.sampled_from(["", "#key-facts"]))
def test_relative_url_gives_what_posixpath_relpath_gave(from_page, to_page, fragment):
    assert relative_url(from_page, to_page + fragment) == _relative_url_before(
        from_page, to_page + fragment
    )


def test_relative_url_examples():
    assert relative_url("case-studies/x/", "regions/london/") == "../../regions/london/"
    assert relative_url("", "case-studies/") == "case-studies/"
    assert relative_url("case-studies/", "") == "../"
    assert relative_url("case-studies/x/", "case-studies/y/#a") == "../y/#a"
    assert relative_url("a/b/", "a/b/") == "./"
    assert relative_url("x/", "data/cases.json") == "../data/cases.json"


def test_checking_the_same_files_again_gives_the_same_collection_without_sharing_it(tmp_path):
    fake.write_corpus(tmp_path, 3, words_per_section=20)
    files = case_study_files(tmp_path)
    first = load_case_studies(files, today=TODAY)
    second = load_case_studies(files, today=TODAY)
    assert second == first and second is not first
    second.case_studies.clear()
    assert load_case_studies(files, today=TODAY) == first


def test_a_file_changed_at_once_with_the_same_size_is_checked_again(tmp_path):
    """File times can be equal for two quick saves; the remembered result must not be used."""
    [path, *_] = fake.write_corpus(tmp_path, 2, words_per_section=20)
    files = case_study_files(tmp_path)
    assert not load_case_studies(files, today=TODAY).problems
    text = path.read_text(encoding="utf-8")
    broken = text.replace('region: "', 'region: "X', 1).replace("\n\n## ", "\n## ", 1)
    assert len(broken) == len(text)
    path.write_text(broken, encoding="utf-8")
    problems = load_case_studies(files, today=TODAY).problems
    assert [problem.field for problem in problems] == ["region"]


def test_a_file_that_disappears_is_reported_not_remembered(tmp_path):
    [path, *_] = fake.write_corpus(tmp_path, 2, words_per_section=20)
    files = case_study_files(tmp_path)
    load_case_studies(files, today=TODAY)
    path.unlink()
    assert [problem.field for problem in load_case_studies(files, today=TODAY).problems] == ["file"]
