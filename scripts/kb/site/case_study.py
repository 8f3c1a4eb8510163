"""One case study's page: everything around its Markdown body.

The body itself is rendered by mkdocs with raw HTML switched off (kb.site.safe_markdown); this
module writes the rest as escaped HTML: the heading, summary, key facts (with the sources the
body cites as #source-1, #source-2, …), a note on where it came from, a link to propose a
change, related case studies, and the markers Pagefind reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kb.content.casestudy import CaseStudy
from kb.content.dates import partial_date, period_text
from kb.content.taxonomy import Taxonomy
from kb.site.catalogue import CONTRIBUTE_URL, case_url, term_url
from kb.site.markup import esc, link, relative_url, time_element
from kb.site.search_markup import search_markers


@dataclass(frozen=True)
class CaseStudyPage:
    """The HTML that goes before and after a case study's rendered body."""

    before: str
    after: str
    #: The ids of elements this HTML adds, so mkdocs can check links to them.
    anchors: frozenset[str]
    #: (heading, id) of each section after the body, for the table of contents.
    sections_after: tuple[tuple[str, str], ...]


def source_id(number: int) -> str:
    """The id of the nth source (counted from 1), which bodies cite as [source n](#source-n)."""
    return f"source-{number}"


def render_case_study(
    case: CaseStudy,
    taxonomy: Taxonomy,
    *,
    related: tuple[CaseStudy, ...],
    edit_url: str,
) -> CaseStudyPage:
    """The parts of a case study's page around its body. Every value is escaped."""
    here = case_url(case.slug)
    before = "\n".join(
        [
            search_markers(case, taxonomy),
            f"<h1>{esc(case.title)}</h1>",
            f'<p class="kb-summary">{esc(case.summary)}</p>',
            key_facts(case, taxonomy, here),
        ]
    )
    sources = case.meta.get("sources") or []
    after = [
        sources_section(sources),
        about_section(case, here, edit_url),
        related_section(related, taxonomy, here),
    ]
    sections = [("Sources", SOURCES_ID)] if sources else []
    sections.append(("About this case study", "about-this-case-study"))
    if related:
        sections.append(("Related case studies", "related-case-studies"))
    anchors = {"key-facts", *(anchor for _, anchor in sections)}
    anchors.update(source_id(n) for n in range(1, len(sources) + 1))
    return CaseStudyPage(
        before, "\n".join(filter(None, after)), frozenset(anchors), tuple(sections)
    )


#: The banner on a draft's page in `kb serve` (drafts are never built by `kb build`).
DRAFT_BANNER = (
    '<div class="admonition warning kb-draft" role="note" aria-label="Draft">\n'
    '<p class="admonition-title">Draft: not published</p>\n'
    "<p>This case study has <code>status: draft</code>. Only this preview shows it: it is "
    "listed nowhere, and the published site leaves it out. Change its status to "
    "<code>published</code> when it is ready.</p>\n</div>"
)


def wrap(page: CaseStudyPage, body_html: str, *, draft: bool = False) -> str:
    """The page content: one element Pagefind indexes, holding everything but the page chrome.

    A draft's page (only in `kb serve`) starts with DRAFT_BANNER and is kept out of search.
    """
    marker = 'data-pagefind-ignore="all"' if draft else "data-pagefind-body"
    banner = f"{DRAFT_BANNER}\n" if draft else ""
    return (
        f'<div class="kb-case-study" {marker}>\n{banner}{page.before}\n'
        f'<div class="kb-case-study__body">\n{body_html}\n</div>\n{page.after}\n</div>'
    )


def key_facts(case: CaseStudy, taxonomy: Taxonomy, here: str) -> str:
    """The key facts box: a labelled <aside> holding a description list."""
    meta = case.meta
    rows: list[tuple[str, str]] = []

    dpulo = meta["dpulo"]
    name = link(dpulo["website"], dpulo["name"]) if dpulo.get("website") else esc(dpulo["name"])
    if dpulo.get("description"):
        name += f'<br><span class="kb-facts__note">{esc(dpulo["description"])}</span>'
    rows.append(("Disabled people’s user-led organisation", name))

    commissioners = []
    types = taxonomy.facet("commissioner_types")
    for commissioner in case.commissioners:
        kind = commissioner["type"]
        type_link = link(
            relative_url(here, term_url(types, kind)), taxonomy.name("commissioner_types", kind)
        )
        commissioners.append(f"{esc(commissioner['name'])} ({type_link})")
    label = "Commissioner" if len(commissioners) == 1 else "Commissioners"
    rows.append((label, _one_or_list(commissioners)))

    for name in ("regions", "categories", "service_areas", "sourcing", "outcomes"):
        facet, ids = taxonomy.facet(name), case.terms(name)
        if not ids:
            continue
        names = [
            link(relative_url(here, term_url(facet, term)), taxonomy.name(name, term))
            if facet.path
            else esc(taxonomy.name(name, term))
            for term in ids
        ]
        rows.append((facet.label if len(names) == 1 else facet.plural, _one_or_list(names)))
    rows.append(("When", esc(period_text(meta["period"]))))
    caveats = meta.get("caveats") or []
    if caveats:
        rows.append(("Read this first", _one_or_list([esc(caveat) for caveat in caveats])))
    checked = consent_text(meta.get("consent_record"))
    if checked:
        rows.append(("Agreed to publish", esc(checked)))
    rows.append(("Published", time_element(case.published)))
    rows.append(("Last reviewed", time_element(case.reviewed)))
    sources = meta.get("sources") or []
    if sources:
        count = "1 published source" if len(sources) == 1 else f"{len(sources)} published sources"
        rows.append(("Sources", f"{link(f'#{SOURCES_ID}', count)}, with what each says"))

    items = "\n".join(f"<dt>{esc(term)}</dt>\n<dd>{value}</dd>" for term, value in rows)
    return (
        '<aside class="kb-facts" aria-label="Key facts">\n'
        '<h2 id="key-facts">Key facts</h2>\n'
        f"<dl>\n{items}\n</dl>\n</aside>"
    )


def _one_or_list(items: list[str]) -> str:
    """One item as it is; several as a <ul>, so screen readers announce how many."""
    if len(items) == 1:
        return items[0]
    return "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"


def consent_text(record: dict[str, str] | None) -> str:
    """'Checked by Real, March 2027, by e-mail' from a consent record; '' without one."""
    if not record:
        return ""
    return f"Checked by {record['by']}, {partial_date(record['date'])}, {record['how']}"


#: The id of the section listing a case study's sources.
SOURCES_ID = "sources"


def sources_section(sources: list[dict[str, Any]]) -> str:
    """The sources after the body as an ordered list; item n has id="source-n", in front-matter
    order, as the body cites it. Under each, the passages the case study relies on, word for
    word, so a reader can check a claim without leaving the page."""
    if not sources:
        return ""
    items = []
    for number, source in enumerate(sources, start=1):
        details = esc(source["publisher"])
        if source.get("date"):
            details += f", {esc(partial_date(source['date']))}"
        quotes = "".join(
            f'<blockquote class="kb-quote"><p>{esc(quote)}</p></blockquote>'
            for quote in source.get("quotes") or []
        )
        if quotes:
            quotes = f'<p class="kb-quote-intro">The source says:</p>{quotes}'
        items.append(
            f'<li id="{source_id(number)}">{link(source["url"], source["title"])}. {details}'
            f"{quotes}</li>"
        )
    return (
        f'<section class="kb-sources-section" aria-labelledby="{SOURCES_ID}">\n'
        f'<h2 id="{SOURCES_ID}">Sources</h2>\n'
        "<p>The case study cites these as (source 1), (source 2) and so on. Under each is what "
        "the source says, word for word, so you can check a claim without leaving this page.</p>"
        f'\n<ol class="kb-sources">{"".join(items)}</ol>\n</section>'
    )


def about_section(case: CaseStudy, here: str, edit_url: str) -> str:
    """Where the case study came from, and how to correct it.

    Left out of search (data-pagefind-ignore): every case-study page has the same words here,
    so a search for "contribute" or "GitHub" would otherwise list every case study.
    """
    contribute = link(relative_url(here, CONTRIBUTE_URL), "how to contribute")
    propose = link(edit_url, "Propose a change to this case study on GitHub")
    if case.meta.get("consent") == "published-sources":
        note = (
            f'<div class="admonition note kb-compiled">\n'
            '<p class="admonition-title">Compiled from published sources</p>\n'
            "<p>We compiled this case study only from the published sources listed above. The "
            "organisations named did not write it and have not checked it.</p>\n"
            "<p>If you work for one of these organisations, please help us correct it or add "
            f"to it: read {contribute}, or propose a change.</p>\n</div>"
        )
    else:
        checked = consent_text(case.meta.get("consent_record"))
        note = (
            "<p>The organisations named agreed to publish this case study"
            f"{f' ({esc(checked)})' if checked else ''}. To correct it or add to it, read "
            f"{contribute}.</p>"
        )
    return (
        '<section class="kb-about" aria-labelledby="about-this-case-study" '
        "data-pagefind-ignore>\n"
        '<h2 id="about-this-case-study">About this case study</h2>\n'
        f'{note}\n<p class="kb-propose">{propose}</p>\n</section>'
    )


def related_section(related: tuple[CaseStudy, ...], taxonomy: Taxonomy, here: str) -> str:
    """Up to five case studies sharing a category, left out of the search index."""
    if not related:
        return ""
    items = "".join(
        f"<li>{link(relative_url(here, case_url(other.slug)), other.title)}: "
        f"{esc(other.meta['dpulo']['name'])} and {esc(other.meta['commissioner']['name'])}, "
        f"{esc(taxonomy.name('regions', other.region))}</li>"
        for other in related
    )
    return (
        '<section class="kb-related" aria-labelledby="related-case-studies" '
        "data-pagefind-ignore>\n"
        '<h2 id="related-case-studies">Related case studies</h2>\n'
        f"<ul>{items}</ul>\n</section>"
    )
