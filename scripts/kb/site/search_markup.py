"""Which pages Pagefind indexes, and the markers it reads on them.

Once any page has `data-pagefind-body`, Pagefind indexes only such pages. Case-study pages are
marked by kb.site.case_study; the pages listed here are wrapped whole, with a `type` filter.
Every other page (browse lists, term pages, the glossary, about…) stays out of the index.
"""

from __future__ import annotations

from kb.site.markup import esc

#: Page source path, or folder prefix ending "/", -> the Pagefind `type` filter value.
INDEXED_PAGES = {
    "for-providers.md": "resource",
    "for-commissioners.md": "resource",
    "guides/": "guide",
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
        f'<span hidden data-pagefind-filter="type:{esc(kind)}"></span>\n{heading}{html}\n</div>'
    )
