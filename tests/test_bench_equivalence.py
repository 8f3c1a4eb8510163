"""Speed changes made for the benchmark (issue 9) give exactly the answers they replaced."""

from __future__ import annotations

import posixpath

from hypothesis import given
from hypothesis import strategies as st

from kb.site.markup import relative_url

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
