"""Reader paths (issue 20), in Chromium on the real site: no dead ends, every page searchable,
no request to a third party, filters usable on a phone.

Runs on the site built by conftest.py (`kb build`), served under its published prefix.
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import a11y
import pytest
from pages import NOT_FOUND, PAGE_TYPES

from conftest import ContextFactory, Loaded, resolve_path
from kb.content.taxonomy import load_taxonomy

WIDTHS = [1280, 320]
DONE = "() => document.getElementById('kb-search').dataset.kbSearchDone === '1'"
Opener = Callable[..., Loaded]

#: The pages changed for issue 20, checked with axe at both widths.
CHANGED = [
    "category-without-case-studies",
    "commissioner-type",
    "region",
    "search",
    "search-filtered",
    "glossary",
    "open-data",
    "about",
    "coverage",
    "home",
]


def _assert_none(problems: list[str], where: str) -> None:
    assert not problems, f"{len(problems)} problem(s) on {where}:\n\n" + "\n\n".join(problems)


# ---------------------------------------------------------------------------------------------
# No request leaves the site
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("page_type", [p for p in PAGE_TYPES if p != NOT_FOUND] + [NOT_FOUND])
def test_no_request_leaves_the_sites_origin(
    contexts: ContextFactory,
    site_server: a11y.SiteServer,
    built_site: Path,
    page_type: str,
    width: int,
) -> None:
    """Every request a page makes (scripts, styles, fonts, data, the theme's repository facts)
    goes to the site's own origin: nothing tells a third party who reads which page."""
    url = site_server.url(resolve_path(PAGE_TYPES[page_type], built_site))
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(url))
    page = contexts(width).new_page()
    outside: list[str] = []
    page.on(
        "request",
        lambda request: (
            None
            if request.url.startswith((origin + "/", "data:", "about:", "blob:"))
            else outside.append(request.url)
        ),
    )
    try:
        page.goto(url, wait_until="load")
        page.wait_for_load_state("networkidle")
        if page.locator("#kb-search").count():
            page.wait_for_function(DONE, timeout=30_000)
            page.wait_for_load_state("networkidle")
    finally:
        page.close()
    assert not outside, f"{url} ({width}px) asked another site for: " + ", ".join(outside)


# ---------------------------------------------------------------------------------------------
# No dead ends
# ---------------------------------------------------------------------------------------------


def _term_pages() -> list[tuple[str, str]]:
    taxonomy = load_taxonomy(a11y.REPO / "data" / "taxonomy.yml")
    return [
        (facet.path, term.id)
        for facet in taxonomy.browse_facets
        if facet.path
        for term in taxonomy.terms(facet.name)
    ]


def test_every_term_page_links_a_guide_a_glossary_entry_or_a_case_study(
    contexts: ContextFactory, site_server: a11y.SiteServer
) -> None:
    """Every category, region and commissioner-type page, with case studies or without, links
    at least one guide, practice example, glossary entry or case study, and says how to share
    a case study when it has none."""
    page = contexts(1280).new_page()
    problems = []
    try:
        for path, term_id in _term_pages():
            url = site_server.url(f"/{path}/{term_id}/")
            response = page.goto(url, wait_until="load")
            assert response is not None and response.status == 200, url
            hrefs = page.eval_on_selector_all("article a[href]", "links => links.map(a => a.href)")
            useful = [
                href
                for href in hrefs
                if re.search(
                    r"/(guides|practice|history)/[^/#]+/|/glossary/#|/case-studies/[^/]+/", href
                )
            ]
            if not useful:
                problems.append(f"{url}: links no guide, glossary entry or case study")
            text = page.inner_text("article")
            if "no published case studies" in text and "Share your case study" not in text:
                problems.append(f"{url}: has no case studies and does not say how to share one")
    finally:
        page.close()
    _assert_none(problems, "the term pages")


# ---------------------------------------------------------------------------------------------
# Every reader page is searchable
# ---------------------------------------------------------------------------------------------


def _fragments(site: Path) -> list[dict]:
    records = []
    for path in sorted((site / "pagefind" / "fragment").glob("*")):
        data = gzip.decompress(path.read_bytes())
        records.append(json.loads(data[data.index(b"{") :]))
    return records


def _unique_word(records: list[dict], kind: str) -> tuple[str, dict]:
    """A word (7+ letters) that only pages of type `kind` have, and one page that has it.

    The two resource lists share many entries, so a word may be on both.
    """
    words_of = {
        record["url"]: set(re.findall(r"[a-z]{7,}", record["content"].lower()))
        for record in records
    }
    kinds: dict[str, set[str]] = {}
    for record in records:
        for word in words_of[record["url"]]:
            kinds.setdefault(word, set()).update(record["filters"].get("type", []))
    for record in records:
        if kind not in record["filters"].get("type", []):
            continue
        unique = sorted(word for word in words_of[record["url"]] if kinds[word] == {kind})
        if unique:
            return unique[0], record
    raise AssertionError(f"no page of type {kind!r} has a word of its own")


@pytest.mark.parametrize("kind", ["glossary", "practice", "guide", "resource", "history"])
def test_search_finds_each_kind_of_page_by_a_word_only_it_has(
    contexts: ContextFactory, site_server: a11y.SiteServer, built_site: Path, kind: str
) -> None:
    """Guides, practice examples, history, the glossary and the resource lists are in the
    index: a word only one of them has finds it. A glossary result lands on its entry."""
    word, record = _unique_word(_fragments(built_site), kind)
    page = contexts(1280).new_page()
    try:
        page.goto(site_server.url(f"/search/?q={word}"), wait_until="load")
        page.wait_for_function(DONE, timeout=30_000)
        hrefs = page.eval_on_selector_all(
            "#kb-search-list a", "links => links.map(a => a.getAttribute('href'))"
        )
    finally:
        page.close()
    target = record["url"].split("#")[0]
    assert any(href.split("#")[0].endswith(target) for href in hrefs), (
        f"searching for {word!r} did not find {target}; results: {hrefs}"
    )
    if kind == "glossary":
        ids = [anchor["id"] for anchor in record["anchors"] if anchor["element"] == "dt"]
        landing = [href for href in hrefs if href.split("#")[0].endswith(target)]
        assert landing[0].partition("#")[2] in ids, f"{landing[0]} does not land on an entry"


def test_unknown_filter_value_is_reported_not_applied(
    contexts: ContextFactory, site_server: a11y.SiteServer
) -> None:
    """?category=Reserved%20contracts (a name, not an id) is reported and left out, and the
    page title carries the search."""
    page = contexts(1280).new_page()
    try:
        page.goto(site_server.url("/search/?q=council&category=Reserved%20contracts"))
        page.wait_for_function(DONE, timeout=30_000)
        unknown = page.inner_text("#kb-search-unknown")
        results = int(page.get_attribute("#kb-search", "data-kb-results") or "0")
        title = page.title()
    finally:
        page.close()
    assert "is not a category" in unknown
    assert results > 0, "the unknown value was applied as a filter"
    assert title.startswith("Search: council"), title


def test_every_taxonomy_value_is_a_filter_even_at_zero(
    contexts: ContextFactory, site_server: a11y.SiteServer
) -> None:
    """Each category, region and commissioner type is a filter, shown with its count (0 too)."""
    taxonomy = load_taxonomy(a11y.REPO / "data" / "taxonomy.yml")
    page = contexts(1280).new_page()
    try:
        page.goto(site_server.url("/search/"))
        page.wait_for_function(DONE, timeout=30_000)
        boxes = page.eval_on_selector_all(
            "#kb-search-groups input[type=checkbox]", "bs => bs.map(b => b.name + ':' + b.value)"
        )
    finally:
        page.close()
    missing = [
        f"{facet.search_key}:{term.id}"
        for facet in taxonomy.search_facets
        for term in taxonomy.terms(facet.name)
        if f"{facet.search_key}:{term.id}" not in boxes
    ]
    assert not missing, f"not offered as filters: {missing}"


# ---------------------------------------------------------------------------------------------
# Filters on a phone
# ---------------------------------------------------------------------------------------------


def test_ticking_a_filter_on_a_phone_keeps_the_results_in_reach(
    contexts: ContextFactory, site_server: a11y.SiteServer
) -> None:
    """At 320 px the filters fold behind a 'Filters' button; after ticking one, a 'Show N
    results' control is in view, and it moves focus to the results."""
    page = contexts(320).new_page()
    try:
        page.goto(site_server.url("/search/"))
        page.wait_for_function(DONE, timeout=30_000)
        assert not page.eval_on_selector("#kb-search-filters", "d => d.open")
        page.click("#kb-search-filters > summary")
        label = page.locator("#kb-search-groups label").nth(3)
        label.scroll_into_view_if_needed()
        label.click()
        page.wait_for_function(DONE, timeout=30_000)
        page.wait_for_function(
            "() => document.getElementById('kb-search-chosen').textContent.includes('1 chosen')"
        )
        show = page.locator("#kb-search-show")
        box = show.bounding_box()
        viewport = page.viewport_size
        assert box and viewport
        assert box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"], (
            f"'Show results' is out of view at {box}"
        )
        assert re.match(r"Show \d+ results?", show.inner_text()), show.inner_text()
        assert page.locator(".kb-search__chip").count() == 1
        show.click()
        focused = page.evaluate("() => document.activeElement && document.activeElement.id")
        assert focused == "kb-search-heading"
        assert not page.eval_on_selector("#kb-search-filters", "d => d.open")
    finally:
        page.close()


def test_chosen_filter_button_removes_it(
    contexts: ContextFactory, site_server: a11y.SiteServer
) -> None:
    page = contexts(320).new_page()
    try:
        page.goto(site_server.url("/search/?category=strategic-partnerships"))
        page.wait_for_function(DONE, timeout=30_000)
        page.click(".kb-search__chip")
        page.wait_for_function(DONE, timeout=30_000)
        assert page.locator(".kb-search__chip").count() == 0
        assert "category=" not in page.url
    finally:
        page.close()


def test_search_page_without_javascript_links_every_way_in(open_page: Opener) -> None:
    """With scripts off the search page says why and links the browse pages, guides,
    resources and glossary."""
    loaded = open_page("search", 320, javascript=False)
    hrefs = loaded.page.eval_on_selector_all(
        "article a[href]", "links => links.map(a => a.getAttribute('href'))"
    )
    for wanted in (
        "categories/",
        "regions/",
        "commissioner-types/",
        "guides/",
        "glossary/",
        "for-providers/",
        "for-commissioners/",
        "practice/",
    ):
        assert any(href.endswith(wanted) for href in hrefs), f"no link to {wanted}"
    assert "Search needs JavaScript" in loaded.page.inner_text("article")


# ---------------------------------------------------------------------------------------------
# Pages share well, and pass axe
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("page_type", ["home", "case-study", "guide", "glossary"])
def test_open_graph_and_feed_in_every_head(open_page: Opener, page_type: str) -> None:
    loaded = open_page(page_type)
    head = {
        name: loaded.page.get_attribute(f"meta[{attr}='{name}']", "content")
        for attr, name in [
            ("property", "og:title"),
            ("property", "og:description"),
            ("name", "twitter:card"),
            ("name", "twitter:title"),
        ]
    }
    assert all(head.values()), head
    feed = loaded.page.get_attribute("link[rel=alternate][type='application/atom+xml']", "href")
    assert feed and feed.endswith("feed.xml")
    if page_type == "case-study":
        assert head["og:title"] == loaded.page.inner_text("h1").strip()


def test_coverage_tables_fit_at_1280(open_page: Opener) -> None:
    """The category-by-region and category-by-commissioner-type tables fit the text column at
    1280 px: no sideways scrolling on a desktop."""
    loaded = open_page("coverage", 1280)
    overflowing = loaded.page.eval_on_selector_all(
        ".kb-table-scroll",
        "boxes => boxes.filter(b => b.scrollWidth > b.clientWidth + 1)"
        ".map(b => b.getAttribute('aria-label') + ': ' + b.scrollWidth + '>' + b.clientWidth)",
    )
    assert not overflowing, overflowing
    assert loaded.page.locator("[aria-label='Category by commissioner type table']").count() == 1


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("page_type", CHANGED)
def test_axe_finds_nothing_on_changed_pages(open_page: Opener, page_type: str, width: int) -> None:
    loaded = open_page(page_type, width)
    _assert_none(a11y.axe_problems(loaded.page), f"{loaded.url} ({width}px)")
