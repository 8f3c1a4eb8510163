"""The published case studies, indexed once per build: newest first, by term, and related.

Every listing page and every case-study page reads from a Catalogue instead of scanning all case
studies, so building N case-study pages costs O(N), not O(N²).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from kb.casestudy import CaseStudy
from kb.taxonomy import Taxonomy

#: Where the site puts each page, relative to the site root (directory URLs).
HOME_URL = ""
BROWSE_URL = "case-studies/"
CONTRIBUTE_URL = "contribute/"
SHARE_URL = "share/"
SEARCH_URL = "search/"
GLOSSARY_URL = "glossary/"


@dataclass(frozen=True)
class BrowseFacet:
    """A taxonomy list that has browse pages: /<path>/ and /<path>/<term id>/."""

    facet: str
    path: str
    #: "Category": shown before a term's name in its page title.
    label: str
    #: "category": used in sentences.
    noun: str
    #: The title of the index page listing every term.
    index_title: str
    #: How a term page with no case studies says so.
    empty: str


BROWSE_FACETS = (
    BrowseFacet(
        "categories",
        "categories",
        "Category",
        "category",
        "Case studies by category",
        "There are no published case studies in this category yet.",
    ),
    BrowseFacet(
        "regions",
        "regions",
        "Region",
        "region",
        "Case studies by region",
        "There are no published case studies from this region yet.",
    ),
    BrowseFacet(
        "commissioner_types",
        "commissioner-types",
        "Commissioner type",
        "commissioner type",
        "Case studies by commissioner type",
        "There are no published case studies with this type of commissioner yet.",
    ),
)
BROWSE_FACET = {browse.facet: browse for browse in BROWSE_FACETS}


def case_url(slug: str) -> str:
    """The address of a case study's page."""
    return f"{BROWSE_URL}{slug}/"


def facet_url(facet: str) -> str:
    """The address of a facet's index page, e.g. 'categories/'."""
    return f"{BROWSE_FACET[facet].path}/"


def term_url(facet: str, term_id: str) -> str:
    """The address of one term's page, e.g. 'regions/london/'."""
    return f"{BROWSE_FACET[facet].path}/{term_id}/"


def case_terms(case: CaseStudy, facet: str) -> list[str]:
    """The term ids a case study has in a browse facet, each once, in the order written."""
    if facet == "categories":
        return case.categories
    if facet == "regions":
        return [case.region]
    if facet == "commissioner_types":
        return case.commissioner_types
    raise KeyError(facet)


@dataclass(frozen=True)
class Catalogue:
    """Published case studies only (drafts never reach the site), indexed for the pages."""

    #: Newest published first; ties by slug.
    published: tuple[CaseStudy, ...]
    #: facet -> term id -> case studies with that term, newest first. Every term has an entry.
    by_term: dict[str, dict[str, tuple[CaseStudy, ...]]]
    #: slug -> up to RELATED_LIMIT case studies sharing a category, most shared then newest.
    related: dict[str, tuple[CaseStudy, ...]]

    def cases(self, facet: str, term_id: str) -> tuple[CaseStudy, ...]:
        return self.by_term[facet].get(term_id, ())

    def count(self, facet: str, term_id: str) -> int:
        return len(self.cases(facet, term_id))


RELATED_LIMIT = 5
#: Related case studies are chosen from the newest this many of each shared category, which
#: keeps the work per case study constant however large the collection grows.
RELATED_SCAN = 50


def build_catalogue(case_studies: Iterable[CaseStudy], taxonomy: Taxonomy) -> Catalogue:
    """Index the published case studies among `case_studies`; drafts are left out here."""
    published = sorted((case for case in case_studies if case.is_published), key=lambda c: c.slug)
    published.sort(key=lambda case: case.published, reverse=True)  # stable: slug breaks ties
    by_term: dict[str, dict[str, list[CaseStudy]]] = {
        browse.facet: {term_id: [] for term_id in taxonomy.ids(browse.facet)}
        for browse in BROWSE_FACETS
    }
    for case in published:
        for browse in BROWSE_FACETS:
            for term_id in case_terms(case, browse.facet):
                by_term[browse.facet].setdefault(term_id, []).append(case)
    frozen = {
        facet: {term_id: tuple(cases) for term_id, cases in terms.items()}
        for facet, terms in by_term.items()
    }
    position = {case.slug: index for index, case in enumerate(published)}
    related = {case.slug: _related(case, frozen["categories"], position) for case in published}
    return Catalogue(tuple(published), frozen, related)


def _related(
    case: CaseStudy, by_category: dict[str, tuple[CaseStudy, ...]], position: dict[str, int]
) -> tuple[CaseStudy, ...]:
    shared: dict[str, int] = {}
    found: dict[str, CaseStudy] = {}
    for category in case.categories:
        for other in by_category.get(category, ())[:RELATED_SCAN]:
            if other.slug != case.slug:
                shared[other.slug] = shared.get(other.slug, 0) + 1
                found[other.slug] = other
    ranked = sorted(shared, key=lambda slug: (-shared[slug], position[slug]))
    return tuple(found[slug] for slug in ranked[:RELATED_LIMIT])
