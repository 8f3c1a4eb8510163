"""The pages the build generates, as (address, Markdown) pairs; none is written to docs/."""

from __future__ import annotations

from dataclasses import dataclass

from kb.coverage import render_coverage_page
from kb.site.catalogue import BROWSE_FACETS, BROWSE_URL, case_url
from kb.site.content import SiteContent
from kb.site.listings import browse_page, facet_index_page, term_page


@dataclass(frozen=True)
class GeneratedPage:
    """A page that exists only in the build. `in_nav` pages are listed in mkdocs.yml's nav."""

    src_uri: str
    markdown: str
    in_nav: bool


def case_study_src_uri(slug: str) -> str:
    """Where a case study's page pretends to live in docs/; mkdocs serves it at case_url(slug)."""
    return f"{case_url(slug).rstrip('/')}.md"


def listing_pages(content: SiteContent) -> list[GeneratedPage]:
    """Browse, the three term indexes, one page per term, and the coverage report."""
    catalogue, taxonomy = content.catalogue, content.taxonomy
    pages = [GeneratedPage(f"{BROWSE_URL}index.md", browse_page(catalogue, taxonomy), True)]
    for browse in BROWSE_FACETS:
        pages.append(
            GeneratedPage(
                f"{browse.path}/index.md", facet_index_page(browse.facet, catalogue, taxonomy), True
            )
        )
        pages.extend(
            GeneratedPage(
                f"{browse.path}/{term.id}.md",
                term_page(browse.facet, term, catalogue, taxonomy),
                False,
            )
            for term in taxonomy.terms(browse.facet)
        )
    pages.append(
        GeneratedPage("coverage.md", render_coverage_page(content.collection, taxonomy), True)
    )
    return pages
