"""Listing pages: browse, one page per term, the term indexes, and lists used on other pages.

Each function returns Markdown for one page (headings in Markdown, so they reach the table of
contents; lists and tables as escaped HTML). A term with no case studies says so plainly and
links to the pages that explain how to add one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from itertools import groupby
from urllib.parse import urlencode

from kb.content.casestudy import CaseStudy
from kb.content.dates import period_text
from kb.content.load import Content
from kb.content.taxonomy import Taxonomy, Term
from kb.site.catalogue import (
    BROWSE_URL,
    CONTRIBUTE_URL,
    SEARCH_URL,
    SHARE_URL,
    Catalogue,
    case_url,
    facet_url,
    term_url,
)
from kb.site.coverage_page import render_coverage_page
from kb.site.glossary import anchor
from kb.site.markup import esc, link, markdown_text, plural, relative_url, time_element
from kb.site.share_form import share_form_url

NO_CASE_STUDIES = "There are no published case studies yet."


def browse_page(catalogue: Catalogue, taxonomy: Taxonomy) -> str:
    """/case-studies/: every published case study, newest first, under a heading per year.

    A list rather than a table: each entry's key facts (who, commissioner, region, categories,
    date) read in order on a phone, at 400% zoom and with a screen reader, with no sideways
    scrolling; the year headings let readers jump through a long list.
    """
    here = BROWSE_URL
    by = or_list([link(relative_url(here, facet_url(f)), f.noun) for f in taxonomy.browse_facets])
    intro = (
        f"<p>{plural(len(catalogue.published), 'published case study', 'published case studies')}"
        f", newest first. You can also browse them by {by}.</p>"
    )
    parts = [f"# Case studies\n\n{intro}"]
    if not catalogue.published:
        parts.append(no_case_studies_yet(here, NO_CASE_STUDIES))
    for year, cases in groupby(catalogue.published, key=lambda case: case.published[:4]):
        parts.append(f"## Published in {year}\n\n{case_list(list(cases), taxonomy, here)}")
    return "\n\n".join(parts) + "\n"


def or_list(items: Sequence[str]) -> str:
    """'a', 'a or b', 'a, b or c'."""
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + " or " + items[-1]


def case_list(cases: Sequence[CaseStudy], taxonomy: Taxonomy, here: str) -> str:
    """A list of case studies: each a title link, its summary, then its key facts.

    The facts: DPULO, commissioner(s), region, categories (linked) and the date published.
    """

    @cache  # a long list names each term many times
    def term_link(facet: str, term_id: str) -> str:
        url = relative_url(here, term_url(taxonomy.facet(facet), term_id))
        return link(url, taxonomy.name(facet, term_id))

    items = []
    for case in cases:
        commissioners = " and ".join(esc(c["name"]) for c in case.commissioners)
        region = term_link("regions", case.region)
        categories = ", ".join(term_link("categories", term) for term in case.categories)
        facts = (
            f"{esc(case.meta['dpulo']['name'])} with {commissioners}. {region}. "
            f"{'Category' if len(case.categories) == 1 else 'Categories'}: {categories}. "
            f"When: {esc(period_text(case.meta['period']))}. "
            f"Outcome: {esc(taxonomy.name('outcomes', case.meta.get('outcome', 'not-known')))}. "
            f"Published {time_element(case.published)}."
        )
        items.append(
            f'<li><p class="kb-case-list__title">'
            f"{link(relative_url(here, case_url(case.slug)), case.title)}</p>"
            f"<p>{esc(case.summary)}</p>"
            f'<p class="kb-case-list__meta">{facts}</p></li>'
        )
    return '<ul class="kb-case-list">\n' + "\n".join(items) + "\n</ul>"


def no_case_studies_yet(here: str, sentence: str) -> str:
    """The plain statement that a list is empty, with the ways to fill it."""
    return (
        f'<p class="kb-empty">{esc(sentence)}</p>\n'
        f"<p>Do you know of one? {link(relative_url(here, SHARE_URL), 'Share your case study')}"
        f", or read {link(relative_url(here, CONTRIBUTE_URL), 'how to contribute')}.</p>"
    )


#: How many case studies a term page with none of its own shows instead.
NEAREST_LIMIT = 3


def term_page(
    facet: str,
    term: Term,
    catalogue: Catalogue,
    taxonomy: Taxonomy,
    titles: Mapping[str, str] | None = None,
    repo_url: str | None = None,
) -> str:
    """/<facet>/<id>/: what the term means, its case studies newest first, and where to read more.

    Never a dead end: a term with no case studies still links the guides and glossary entries
    that explain it (`see_also:` in data/taxonomy.yml, and its own glossary entry), a search
    with it as a filter, the newest case studies (labelled as not having this term) and how to
    share one (with `repo_url`, through the GitHub form with the term already chosen, for the
    lists the form asks about). `titles` gives each linked page's text
    (kb.site.see_also.see_also_titles).
    """
    browse = taxonomy.facet(facet)
    here = term_url(browse, term.id)
    cases = catalogue.cases(facet, term.id)
    parts = [
        f"# {markdown_text(browse.label)}: {markdown_text(term.name)}",
        f"<p>{esc(term.description)}</p>",
    ]
    if cases:
        parts.append(
            f"<p>{plural(len(cases), 'published case study', 'published case studies')}, "
            "newest first.</p>"
        )
        parts.append(case_list(cases, taxonomy, here))
    else:
        parts.append(
            no_case_studies_yet(
                here, f"There are no published case studies with this {browse.noun} yet."
            )
        )
        form = share_form_url(repo_url, facet, term)
        if form:
            parts.append(
                f"<p>{link(form, 'Share one through the form')}: it opens our case study form "
                f"on GitHub with the {esc(browse.noun)} “{esc(term.name)}” already chosen.</p>"
            )
    parts.append(read_more(facet, term, taxonomy, titles or {}))
    if not cases and catalogue.published:
        parts.append(nearest_case_studies(facet, term, catalogue, taxonomy, here))
    parts.append(
        f"<p>{link(relative_url(here, facet_url(browse)), f'Every {browse.noun}')} · "
        f"{link(relative_url(here, BROWSE_URL), 'All case studies')}</p>"
    )
    return "\n\n".join(parts) + "\n"


def nearest_case_studies(
    facet: str, term: Term, catalogue: Catalogue, taxonomy: Taxonomy, here: str
) -> str:
    """For a term with no case studies: the newest in its related terms (`related:` in
    data/taxonomy.yml), else the newest of all, each list saying plainly what it is."""
    browse = taxonomy.facet(facet)
    related = {case.slug for other in term.related for case in catalogue.cases(facet, other)}
    # The catalogue's own order: newest first.
    nearest = [case for case in catalogue.published if case.slug in related]
    intro = f"None of these has the {esc(browse.noun)} “{esc(term.name)}”"
    if nearest:
        names = or_list([f"“{esc(taxonomy.name(facet, other))}”" for other in term.related])
        intro += f"; they are the newest in the nearest {esc(browse.noun)}: {names}."
    else:
        intro += ": they are the newest published case studies, which may still help."
    listed = (nearest or catalogue.published)[:NEAREST_LIMIT]
    return f"## Other case studies\n\n<p>{intro}</p>\n\n" + case_list(listed, taxonomy, here)


def read_more(facet: str, term: Term, taxonomy: Taxonomy, titles: Mapping[str, str]) -> str:
    """'Read more': the term's glossary entry, its `see_also:` pages and a search with it.

    Markdown links to the pages' .md files, so mkdocs checks each one exists (strict build).
    """
    browse = taxonomy.facet(facet)
    up = "../" * (browse.path or "").count("/") + "../"  # from <path>/<id>.md to docs/
    entries = [f"glossary.md#{anchor(browse.anchor, term.id)}", *term.see_also]
    items = [f"- [{markdown_text(titles.get(e, e))}]({up}{e})" for e in dict.fromkeys(entries)]
    if browse.search_key:
        search = relative_url(term_url(browse, term.id), SEARCH_URL)
        query = urlencode({browse.search_key: term.id})
        items.append(
            f'- <a href="{esc(search)}?{esc(query)}">Search the case studies with the '
            f"{esc(browse.noun)} “{esc(term.name)}”</a>"
        )
    return "## Guides, glossary and search\n\n" + "\n".join(items)


def facet_index_page(facet: str, catalogue: Catalogue, taxonomy: Taxonomy) -> str:
    """/<facet>/: every term with its description and how many case studies it has."""
    browse = taxonomy.facet(facet)
    here = facet_url(browse)
    items = []
    for term in taxonomy.terms(facet):
        count = len(catalogue.cases(facet, term.id))
        name = link(relative_url(here, term_url(browse, term.id)), term.name)
        counted = plural(count, "case study", "case studies")
        items.append(f"<li>{name} ({counted})<br>{esc(term.description)}</li>")
    intro = (
        f"<p>Choose a {browse.noun} to see its case studies. The number after each is how many "
        "published case studies it has. "
        f"{link(relative_url(here, BROWSE_URL), 'See all case studies')}.</p>"
    )
    listing = '<ul class="kb-terms">\n' + "\n".join(items) + "\n</ul>"
    return f"# Case studies by {markdown_text(browse.noun)}\n\n{intro}\n\n{listing}\n"


def latest(catalogue: Catalogue, taxonomy: Taxonomy, here: str, limit: int) -> str:
    """The newest `limit` published case studies, for the home page."""
    if not catalogue.published:
        return no_case_studies_yet(here, NO_CASE_STUDIES)
    return case_list(catalogue.published[:limit], taxonomy, here) + (
        f"\n\n<p>{link(relative_url(here, BROWSE_URL), 'Browse all case studies')}</p>"
    )


def wanted_categories(catalogue: Catalogue, taxonomy: Taxonomy, here: str) -> str:
    """The categories coordinators want case studies for, wanted most first, with counts."""
    terms = sorted(taxonomy.categories, key=lambda term: not term.priority)  # stable
    items = []
    for term in terms:
        count = len(catalogue.cases("categories", term.id))
        name = link(relative_url(here, term_url(taxonomy.facet("categories"), term.id)), term.name)
        wanted = " <strong>(wanted most)</strong>" if term.priority else ""
        progress = (
            f"{plural(count, 'published case study', 'published case studies')}; "
            f"we would like at least {term.wanted_minimum}."
        )
        items.append(f"<li>{name}{wanted}<br>{esc(term.description)}<br>{progress}</li>")
    return '<ul class="kb-wanted">\n' + "\n".join(items) + "\n</ul>"


def listing_pages(
    content: Content,
    catalogue: Catalogue,
    titles: Mapping[str, str] | None = None,
    repo_url: str | None = None,
) -> list[tuple[str, str, bool]]:
    """The pages that exist only in the build, none written to docs/, as (address, Markdown,
    listed in mkdocs.yml's nav): browse, the term indexes, one page per term, and coverage.

    `titles`: link texts for the pages term pages point to (kb.site.see_also.see_also_titles).
    `repo_url`: mkdocs.yml's, for links that open the GitHub case-study form.
    """
    taxonomy = content.taxonomy
    pages = [(f"{BROWSE_URL}index.md", browse_page(catalogue, taxonomy), True)]
    for facet in taxonomy.browse_facets:
        pages.append(
            (f"{facet.path}/index.md", facet_index_page(facet.name, catalogue, taxonomy), True)
        )
        for term in taxonomy.terms(facet.name):
            markdown = term_page(facet.name, term, catalogue, taxonomy, titles, repo_url)
            pages.append((f"{facet.path}/{term.id}.md", markdown, False))
    coverage = render_coverage_page(content.collection, taxonomy, repo_url=repo_url)
    return [*pages, ("coverage.md", coverage, True)]
