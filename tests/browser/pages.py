"""The page types the browser tests check: the one list to edit.

Each entry maps a page type to its address relative to the site root ("/" is the home page;
the tests add the published prefix, e.g. /kb/). Every test runs on every entry, and a page
type whose address answers 404 FAILS (except "not-found", which must answer 404).

When you build a page type listed in PLANNED_PAGE_TYPES, move it into PAGE_TYPES:
test_planned_page_types_are_not_built_yet fails until you do, so none is left untested.

"{case_study}" stands for the first case study's slug in the built site (the first folder
under case-studies/ that has an index.html), so the list survives content changes.
"""

from __future__ import annotations

PAGE_TYPES: dict[str, str] = {
    "home": "/",
    "case-study": "/case-studies/{case_study}/",
    "browse": "/case-studies/",
    "category": "/categories/reserved-contracts/",
    "category-without-case-studies": "/categories/tupe/",
    "region": "/regions/london/",
    "commissioner-type": "/commissioner-types/local-authority/",
    "providers-hub": "/for-providers/",
    "commissioners-hub": "/for-commissioners/",
    "coverage": "/coverage/",
    "glossary": "/glossary/",
    "guide": "/guides/reserved-contracts/",
    "practice-example": "/practice/sutton-citizen-commissioners/",
    "history": "/history/central-government/",
    "about": "/about/",
    "open-data": "/open-data/",
    "contribute": "/contribute/",
    "accessibility-statement": "/accessibility/",
    "search": "/search/?q=advocacy",
    "search-filtered": "/search/?category=tupe",
    "not-found": "/no-such-page/",
}

# Page types other engineers are building. Move each into PAGE_TYPES once it exists.
PLANNED_PAGE_TYPES: dict[str, str] = {}

# The page type that must answer 404.
NOT_FOUND = "not-found"
