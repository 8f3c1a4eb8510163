"""One case study's page: everything around its Markdown body.

The body itself is rendered by mkdocs with raw HTML switched off (kb.site.safe_markdown); this
module writes the rest as escaped HTML: the heading, summary, key facts (with the sources the
body cites as #source-1, #source-2, …), a note on where it came from, a link to propose a
change, related case studies, and the markers Pagefind reads.
"""

from __future__ import annotations

from dataclasses import dataclass

from kb.casestudy import CaseStudy
from kb.search import SORT_KEY
from kb.site.catalogue import (
    CONTRIBUTE_URL,
    case_terms,
    case_url,
    term_url,
)
from kb.site.markup import esc, link, partial_date, relative_url, time_element
from kb.taxonomy import Taxonomy

#: Text of the note on a case study compiled only from published sources.
COMPILED_TITLE = "Compiled from published sources"


@dataclass(frozen=True)
class CaseStudyPage:
    """The HTML that goes before and after a case study's rendered body."""

    before: str
    after: str
    #: The ids of elements this HTML adds, so mkdocs can check links to them.
    anchors: frozenset[str]


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
    after = "\n".join(
        part
        for part in (
            about_section(case, here, edit_url),
            related_section(related, taxonomy, here),
        )
        if part
    )
    anchors = {"key-facts", "about-this-case-study"}
    anchors.update(source_id(n) for n in range(1, len(case.meta.get("sources", [])) + 1))
    if related:
        anchors.add("related-case-studies")
    return CaseStudyPage(before, after, frozenset(anchors))


def wrap(page: CaseStudyPage, body_html: str) -> str:
    """The page content: one element Pagefind indexes, holding everything but the page chrome."""
    return (
        f'<div class="kb-case-study" data-pagefind-body>\n{page.before}\n'
        f'<div class="kb-case-study__body">\n{body_html}\n</div>\n{page.after}\n</div>'
    )


def search_markers(case: CaseStudy, taxonomy: Taxonomy) -> str:
    """Hidden, empty elements carrying the Pagefind filters, sort key and metadata.

    Pagefind takes everything after the first ':' as the value, so names with commas or colons
    are safe; html.escape keeps quotes from ending the attribute.
    """
    filters = [("type", "case-study")]
    filters += [("category", term) for term in case.categories]
    filters.append(("region", case.region))
    filters += [("commissioner_type", term) for term in case.commissioner_types]
    filters += [("service_area", term) for term in case.service_areas]
    if case.sourcing:
        filters.append(("sourcing", case.sourcing))
    if case.meta["period"]["start"] != "unknown":
        filters.append(("year", case.meta["period"]["start"][:4]))
    metas = [
        ("dpulo", case.meta["dpulo"]["name"]),
        ("commissioner", case.meta["commissioner"]["name"]),
        ("region", taxonomy.name("regions", case.region)),
    ]
    spans = [f'<span data-pagefind-filter="{esc(k)}:{esc(v)}"></span>' for k, v in filters]
    spans.append(f'<span data-pagefind-sort="{SORT_KEY}:{esc(case.published)}"></span>')
    spans += [f'<span data-pagefind-meta="{esc(k)}:{esc(v)}"></span>' for k, v in metas]
    return '<div class="kb-search-data" hidden>' + "".join(spans) + "</div>"


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
    for commissioner in case.commissioners:
        kind = commissioner["type"]
        type_link = link(
            relative_url(here, term_url("commissioner_types", kind)),
            taxonomy.name("commissioner_types", kind),
        )
        commissioners.append(f"{esc(commissioner['name'])} ({type_link})")
    label = "Commissioner" if len(commissioners) == 1 else "Commissioners"
    rows.append((label, _one_or_list(commissioners)))

    region_url = relative_url(here, term_url("regions", case.region))
    rows.append(("Region", link(region_url, taxonomy.name("regions", case.region))))
    categories = [
        link(relative_url(here, term_url("categories", term)), taxonomy.name("categories", term))
        for term in case_terms(case, "categories")
    ]
    rows.append(("Category" if len(categories) == 1 else "Categories", _one_or_list(categories)))
    if case.service_areas:
        areas = [esc(taxonomy.name("service_areas", term)) for term in case.service_areas]
        rows.append(("Service area" if len(areas) == 1 else "Service areas", _one_or_list(areas)))
    if case.sourcing:
        rows.append(("How the work was sourced", esc(taxonomy.name("sourcing", case.sourcing))))
    rows.append(("When", esc(period_text(meta["period"]))))
    rows.append(("Published", time_element(case.published)))
    rows.append(("Last reviewed", time_element(case.reviewed)))
    sources = meta.get("sources") or []
    if sources:
        rows.append(("Sources", sources_list(sources)))

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


def period_text(period: dict[str, str]) -> str:
    """'April 2019 to 2022', 'Since December 1997' with no end, 'Until 2014' if start unknown."""
    end = period.get("end")
    if period["start"] == "unknown":
        return f"Until {partial_date(end)}" if end else "Not known: the sources do not say"
    start = partial_date(period["start"])
    if not end:
        return f"Since {start}"
    if end == period["start"]:
        return start
    return f"{start} to {partial_date(end)}"


def sources_list(sources: list[dict[str, str]]) -> str:
    """The sources as an ordered list; item n has id="source-n", in front-matter order."""
    items = []
    for number, source in enumerate(sources, start=1):
        details = esc(source["publisher"])
        if source.get("date"):
            details += f", {esc(partial_date(source['date']))}"
        items.append(
            f'<li id="{source_id(number)}">{link(source["url"], source["title"])}. {details}</li>'
        )
    return '<ol class="kb-sources">' + "".join(items) + "</ol>"


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
            f'<p class="admonition-title">{COMPILED_TITLE}</p>\n'
            "<p>We compiled this case study only from the published sources listed in its key "
            "facts. The organisations named did not write it and have not checked it.</p>\n"
            "<p>If you work for one of these organisations, please help us correct it or add "
            f"to it: read {contribute}, or propose a change.</p>\n</div>"
        )
    else:
        note = (
            "<p>The organisations named agreed to publish this case study. To correct it or add "
            f"to it, read {contribute}.</p>"
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
