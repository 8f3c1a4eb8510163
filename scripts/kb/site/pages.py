"""The pages the build generates, as (address, Markdown) pairs; none is written to docs/."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from kb.content.load import Content
from kb.site.catalogue import BROWSE_URL, Catalogue
from kb.site.coverage_page import render_coverage_page
from kb.site.listings import browse_page, facet_index_page, term_page


@dataclass(frozen=True)
class GeneratedPage:
    """A page that exists only in the build. `in_nav` pages are listed in mkdocs.yml's nav."""

    src_uri: str
    markdown: str
    in_nav: bool


def listing_pages(
    content: Content,
    catalogue: Catalogue,
    titles: Mapping[str, str] | None = None,
    repo_url: str | None = None,
) -> list[GeneratedPage]:
    """Browse, the term indexes, one page per term, and the coverage report.

    `titles`: link texts for the pages term pages point to (kb.site.see_also.see_also_titles).
    `repo_url`: mkdocs.yml's, for links that open the GitHub case-study form.
    """
    taxonomy = content.taxonomy
    pages = [GeneratedPage(f"{BROWSE_URL}index.md", browse_page(catalogue, taxonomy), True)]
    for facet in taxonomy.browse_facets:
        index = facet_index_page(facet.name, catalogue, taxonomy)
        pages.append(GeneratedPage(f"{facet.path}/index.md", index, True))
        for term in taxonomy.terms(facet.name):
            markdown = term_page(facet.name, term, catalogue, taxonomy, titles, repo_url)
            pages.append(GeneratedPage(f"{facet.path}/{term.id}.md", markdown, False))
    coverage = render_coverage_page(content.collection, taxonomy, repo_url=repo_url)
    return [*pages, GeneratedPage("coverage.md", coverage, True)]
