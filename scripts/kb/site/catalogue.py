"""The published case studies, indexed once per build: newest first, by term, and related.

Every listing page and every case-study page reads from a Catalogue instead of scanning all case
studies, so building N case-study pages costs O(N), not O(N²).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from kb.content.casestudy import CaseStudy
from kb.content.taxonomy import Facet, Taxonomy

#: Where the site puts each page, relative to the site root (directory URLs).
BROWSE_URL = "case-studies/"
CONTRIBUTE_URL = "contribute/"
SHARE_URL = "share/"
SEARCH_URL = "search/"


def case_url(slug: str) -> str:
    """The address of a case study's page: the one place it is built."""
    return f"{BROWSE_URL}{slug}/"


def case_study_src_uri(slug: str) -> str:
    """Where a case study's page pretends to live in docs/; mkdocs serves it at case_url(slug)."""
    return f"{case_url(slug).rstrip('/')}.md"


def facet_url(facet: Facet) -> str:
    """The address of a facet's index page, e.g. 'categories/'."""
    return f"{facet.path}/"


def term_url(facet: Facet, term_id: str) -> str:
    """The address of one term's page, e.g. 'regions/london/'."""
    return f"{facet.path}/{term_id}/"


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


RELATED_LIMIT = 5
#: Related case studies are chosen from the newest this many of each shared category, which
#: keeps the work per case study constant however large the collection grows.
RELATED_SCAN = 50


def build_catalogue(case_studies: Iterable[CaseStudy], taxonomy: Taxonomy) -> Catalogue:
    """Index the published case studies among `case_studies`; drafts are left out here."""
    published = sorted((case for case in case_studies if case.is_published), key=lambda c: c.slug)
    published.sort(key=lambda case: case.published, reverse=True)  # stable: slug breaks ties
    by_term: dict[str, dict[str, list[CaseStudy]]] = {
        facet: {term_id: [] for term_id in taxonomy.ids(facet)} for facet in taxonomy.facets
    }
    for case in published:
        for facet, terms in by_term.items():
            for term_id in case.terms(facet):
                terms.setdefault(term_id, []).append(case)
    frozen = {
        facet: {term_id: tuple(cases) for term_id, cases in terms.items()}
        for facet, terms in by_term.items()
    }
    position = {case.slug: index for index, case in enumerate(published)}

    def related(case: CaseStudy) -> tuple[CaseStudy, ...]:
        shared = Counter(
            other.slug
            for category in case.categories
            for other in frozen["categories"].get(category, ())[:RELATED_SCAN]
            if other.slug != case.slug
        )
        ranked = sorted(shared, key=lambda slug: (-shared[slug], position[slug]))
        return tuple(published[position[slug]] for slug in ranked[:RELATED_LIMIT])

    return Catalogue(tuple(published), frozen, {case.slug: related(case) for case in published})
