"""Every `data-pagefind-*` name the site writes: which pages Pagefind indexes and what it reads.

Once any page has `data-pagefind-body`, Pagefind indexes only such pages. Case-study pages carry
`search_markers` (their filters, sort key and metadata); the pages in INDEXED_PAGES are wrapped
whole, with a `type` filter. Every other page (browse lists, term pages, coverage) stays out.
The filter keys of taxonomy lists come from data/taxonomy.yml (`search_key`).
"""

from __future__ import annotations

import re

from kb.content.casestudy import CaseStudy
from kb.content.dates import period_text
from kb.content.taxonomy import Taxonomy
from kb.site.markup import esc

#: The filter that says what kind of page a record is, and the name of each kind.
TYPE_FILTER = "type"
CASE_STUDY = "case-study"
PAGE_TYPES: dict[str, tuple[str, str]] = {
    # value: (one result, the filter's option)
    CASE_STUDY: ("Case study", "Case studies"),
    "resource": ("Resource list", "Resource lists"),
    "guide": ("Guide", "Guides"),
    "practice": ("Practice example", "Practice examples"),
    "history": ("History", "History"),
    "glossary": ("Glossary", "Glossary"),
    "page": ("About the site", "About the site"),
}
#: The filter for the year the work began (not a taxonomy list).
YEAR_FILTER = "year"
#: The key pages are sorted by for "newest first".
SORT_KEY = "published"

#: Page source path, or folder prefix ending "/", -> the Pagefind `type` filter value.
#: Every page a reader may look for: the hubs (their resource lists), guides, practice examples,
#: history, the glossary (each entry's <dt> has an id, so search.js can land on the entry), and
#: the pages about the site and how to take part. Listing pages (browse, term pages, coverage)
#: and the search page itself stay out: they only repeat what the indexed pages say.
INDEXED_PAGES = {
    "for-providers.md": "resource",
    "for-commissioners.md": "resource",
    "guides/": "guide",
    "practice/": "practice",
    "history/": "history",
    "glossary.md": "glossary",
    "about.md": "page",
    "share.md": "page",
    "contribute.md": "page",
    "contribute/": "page",
    "open-data.md": "page",
    "accessibility.md": "page",
}


def page_type(src_uri: str) -> str | None:
    """The `type` filter of a page from docs/, or None when it is not indexed."""
    for key, kind in INDEXED_PAGES.items():
        if src_uri == key or (key.endswith("/") and src_uri.startswith(key)):
            return kind
    return None


def indexed(html: str, kind: str, title: str) -> str:
    """`html` inside one Pagefind body with a hidden `type:<kind>` filter.

    When the content has no <h1> (the theme would add one outside it), the title is put inside,
    so the result's title is the page's.
    """
    heading = "" if "<h1" in html else f"<h1>{esc(title)}</h1>\n"
    return (
        f'<div class="kb-indexed" data-pagefind-body>\n'
        f'<span hidden data-pagefind-filter="{TYPE_FILTER}:{esc(kind)}"></span>\n'
        f"{heading}{html}\n</div>"
    )


def search_markers(case: CaseStudy, taxonomy: Taxonomy) -> str:
    """Hidden, empty elements carrying a case study's Pagefind filters, sort key and metadata.

    Pagefind takes everything after the first ':' as the value, so names with commas or colons
    are safe; esc keeps quotes from ending the attribute.
    """
    filters = [(TYPE_FILTER, CASE_STUDY)]
    for facet in taxonomy.search_facets:
        filters += [(facet.search_key or "", term) for term in case.terms(facet.name)]
    if case.meta["period"]["start"] != "unknown":
        filters.append((YEAR_FILTER, case.meta["period"]["start"][:4]))
    metas = [
        ("dpulo", case.meta["dpulo"]["name"]),
        ("commissioner", case.meta["commissioner"]["name"]),
        ("region", taxonomy.name("regions", case.region)),
        ("period", period_text(case.meta["period"])),
        ("outcome", taxonomy.name("outcomes", case.meta.get("outcome", "not-known"))),
        # Shown as the result's excerpt when a search has filters but no words.
        ("summary", case.summary),
    ]
    spans = [f'<span data-pagefind-filter="{esc(k)}:{esc(v)}"></span>' for k, v in filters]
    spans.append(f'<span data-pagefind-sort="{SORT_KEY}:{esc(case.published)}"></span>')
    spans += [f'<span data-pagefind-meta="{esc(k)}:{esc(v)}"></span>' for k, v in metas]
    return '<div class="kb-search-data" hidden>' + "".join(spans) + "</div>"


#: A paragraph that opens by saying what the sources do not say ("The published sources do not
#: say how RUILS was chosen, whether by tender…"): its words name what is absent.
_ABSENT = re.compile(
    r"<p>(?=(?:The )?(?:published )?sources (?:do|does) not (?:say|mention|show)\b)",
    re.IGNORECASE,
)


def ignore_absent(html: str) -> str:
    """Leave out of search the paragraphs of a case study that say what its sources lack.

    Without this, "The published sources do not say whether TUPE applied" would rank the case
    study for TUPE. Such paragraphs (they open with the template's own wording) keep
    data-pagefind-ignore: they stay on the page, unindexed. A sentence of absence in the middle
    of a paragraph is still indexed; writers should give it a paragraph of its own.
    """
    return _ABSENT.sub("<p data-pagefind-ignore>", html)
