"""The search page in Chromium, on a site built from a small generated corpus.

The corpus is 24 fictional case studies (tests.support.corpus); number 5's title holds a word no
other page has, and so does number 17's, a word that starts with one every page has. The site
is built once with `kb build --case-studies DIR --site-dir DIR` (one Pagefind index, and its
checks) and served under "/kb/", as on GitHub Pages; one test serves it at "/" too.
"""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import a11y
import pytest

from kb import search
from kb.content.casestudy import case_study_text
from kb.content.project import Project
from kb.search import check_case_study_records, read_records
from tests.support.corpus import body, front_matter
from tests.support.project import ROOT, repo_taxonomy

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

CORPUS = 24
UNIQUE = 5
UNIQUE_WORD = "quokkaford"
#: A word only number 17 has, starting with a word every generated page has ("council").
PREFIXED = 17
PREFIXED_WORD = "councilbrook"
#: Where the site is published: site_url's path.
PREFIX = "/kb/"
DONE = "() => document.getElementById('kb-search').dataset.kbSearchDone === '1'"


def slug(index: int) -> str:
    return f"fictional-case-study-{index:05d}"


@pytest.fixture(scope="session")
def corpus_meta(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, dict]]:
    """The generated case studies' folder, and each one's front matter by slug."""
    folder = tmp_path_factory.mktemp("search-corpus")
    taxonomy = repo_taxonomy()
    metas = {}
    for index in range(1, CORPUS + 1):
        overrides: dict[str, Any] = {}
        if index == UNIQUE:
            overrides["title"] = f"Fictional case study {index}: the Quokkaford partnership"
        if index == PREFIXED:
            overrides["title"] = f"Fictional case study {index}: the Councilbrook agreement"
        meta = front_matter(index, taxonomy, **overrides)
        text = case_study_text(meta, body(30, index))
        (folder / f"{slug(index)}.md").write_text(text, encoding="utf-8")
        metas[slug(index)] = meta
    return folder, metas


@pytest.fixture(scope="session")
def search_site(
    corpus_meta: tuple[Path, dict[str, dict]], tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """The corpus built into a site with its search index by `kb build`."""
    folder, metas = corpus_meta
    site = tmp_path_factory.mktemp("search-site") / "site"
    command = [sys.executable, "-m", "kb", "build", "--case-studies", str(folder)]
    done = subprocess.run(
        [*command, "--site-dir", str(site)],
        cwd=Project(ROOT).root,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
    # One index, holding each case study once.
    records = read_records(site / search.INDEX_DIR)
    assert check_case_study_records(records, case_urls(metas)) == []
    return site


@pytest.fixture(scope="session")
def server(search_site: Path) -> Iterator[a11y.SiteServer]:
    """The site served under "/kb/", as published."""
    served = a11y.SiteServer(search_site, PREFIX).start()
    yield served
    served.stop()


@pytest.fixture
def page(chromium: Browser) -> Iterator[Page]:
    """A fresh page in its own context, refusing anything not on 127.0.0.1."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    context.route(
        "**/*",
        lambda route: (
            route.continue_() if route.request.url.startswith("http://127.0.0.1") else route.abort()
        ),
    )
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    yield opened
    context.close()
    assert not errors, f"script errors on the page: {errors}"


def open_search(page: Page, server: a11y.SiteServer, query: str = "") -> None:
    page.goto(server.url("search/" + query), wait_until="load")
    page.wait_for_selector("#kb-search[data-kb-search='ready']", state="attached")


def result_paths(page: Page, server: a11y.SiteServer) -> list[str]:
    """Every result's address relative to the site root, clicking "Show more" until all show."""
    while page.is_visible("#kb-search-more"):
        before = page.locator("#kb-search-list li").count()
        page.click("#kb-search-more")
        page.wait_for_function(
            "n => document.querySelectorAll('#kb-search-list li').length > n", arg=before
        )
    hrefs = page.eval_on_selector_all("#kb-search-list h3 a", "links => links.map(a => a.href)")
    paths = []
    for href in hrefs:
        path = urlsplit(href).path
        assert path.startswith(server.prefix), f"result {href} is outside {server.prefix}"
        paths.append(path[len(server.prefix) :])
    return paths


def status(page: Page) -> str:
    return page.inner_text("#kb-search-status").strip()


def label_text(page: Page, name: str) -> str:
    """The text of the filter checkbox's label (what a screen reader says), spaces normalised."""
    box = page.get_by_role("checkbox", name=name)
    text = box.evaluate("box => box.labels[0].textContent")
    return " ".join(text.split())


def case_urls(metas: dict[str, dict], **where: set[str]) -> list[str]:
    """Addresses of the case studies whose fields have one of the given values."""
    return sorted(
        f"case-studies/{name}/"
        for name, meta in metas.items()
        if all(meta[field] in values for field, values in where.items())
    )


# --- typing a query ---------------------------------------------------------------------------


def test_typing_a_query_finds_the_case_study_and_announces_it(
    page: Page, server: a11y.SiteServer
) -> None:
    open_search(page, server)
    page.focus("#kb-search-input")
    page.keyboard.type(UNIQUE_WORD, delay=20)
    page.wait_for_function(DONE)
    assert result_paths(page, server) == [f"case-studies/{slug(UNIQUE)}/"]
    live = page.locator("#kb-search-status")
    assert live.get_attribute("role") == "status"
    assert live.get_attribute("aria-live") == "polite"
    assert status(page) == f"1 result for {UNIQUE_WORD}."
    assert page.evaluate("location.search") == f"?q={UNIQUE_WORD}"
    meta = page.inner_text("#kb-search-list .kb-result__meta")
    assert f"Fictional Disabled People's Forum {UNIQUE}" in meta
    assert f"Exampleshire Council {UNIQUE}" in meta
    # The result is a real link to the page, under the sub-path too.
    page.click("#kb-search-list h3 a")
    page.wait_for_load_state()
    assert page.url == server.url(f"case-studies/{slug(UNIQUE)}/")
    assert "Quokkaford" in page.inner_text("h1")


def test_excerpts_keep_only_mark_elements(page: Page, server: a11y.SiteServer) -> None:
    open_search(page, server, "?q=forum")
    tags = page.eval_on_selector_all(
        ".kb-result__excerpt *", "els => [...new Set(els.map(e => e.tagName))]"
    )
    assert tags == ["MARK"]


def test_a_word_found_nowhere_says_so(page: Page, server: a11y.SiteServer) -> None:
    open_search(page, server, "?q=zzyzxqq")
    assert result_paths(page, server) == []
    assert status(page) == "No results for zzyzxqq. Try other words."


# --- filters without a query ------------------------------------------------------------------


def test_a_filter_with_no_query_gives_exactly_the_matching_case_studies(
    page: Page, server: a11y.SiteServer, corpus_meta: tuple[Path, dict[str, dict]]
) -> None:
    _folder, metas = corpus_meta
    open_search(page, server)
    expected = case_urls(metas, region={"london"})
    london = page.get_by_role("checkbox", name="London")
    assert london.evaluate("box => box.closest('fieldset').querySelector('legend').textContent")
    # Keyboard: focus the checkbox and press Space.
    london.focus()
    page.keyboard.press("Space")
    page.wait_for_function(DONE)
    assert sorted(result_paths(page, server)) == expected
    n = len(expected)
    assert status(page) == f"{n} result{'s' if n != 1 else ''}, filtered by London."
    assert page.evaluate("location.search") == "?region=london"


def test_values_of_one_filter_widen_and_filters_together_narrow(
    page: Page, server: a11y.SiteServer, corpus_meta: tuple[Path, dict[str, dict]]
) -> None:
    _folder, metas = corpus_meta
    open_search(page, server, "?type=case-study")
    assert sorted(result_paths(page, server)) == case_urls(metas)
    page.get_by_role("checkbox", name="London").check()
    page.wait_for_function(DONE)
    page.get_by_role("checkbox", name="Wales").check()
    page.wait_for_function(DONE)
    assert sorted(result_paths(page, server)) == case_urls(metas, region={"london", "wales"})
    assert status(page).endswith("filtered by Case studies, and by London or Wales.")
    # Counts: each filter's counts say what ticking one more value would give.
    scotland = len(case_urls(metas, region={"scotland"}))
    assert label_text(page, "Scotland") == f"Scotland ({scotland} results)"


def test_counts_before_any_search_are_the_whole_index(
    page: Page, server: a11y.SiteServer, corpus_meta: tuple[Path, dict[str, dict]]
) -> None:
    _folder, metas = corpus_meta
    open_search(page, server)
    london = len(case_urls(metas, region={"london"}))
    assert label_text(page, "London") == f"London ({london} results)"
    assert page.inner_text("#kb-search-status") == ""
    assert page.is_visible("#kb-search-idle")


def test_words_every_case_study_page_shares_do_not_find_them_all(
    page: Page, server: a11y.SiteServer
) -> None:
    """Every case-study page ends with the same "About this case study" text (how to correct
    it, a link to propose a change on GitHub). It is not searched, so its words find the pages
    about contributing, not every case study."""
    open_search(page, server, "?q=propose")
    found = [path for path in result_paths(page, server) if path.startswith("case-studies/")]
    assert found == []


def test_a_word_one_page_has_finds_that_page_alone(page: Page, server: a11y.SiteServer) -> None:
    """Where no word in an index starts with the query's, Pagefind looks for the longest word the
    query's starts with ("council"): the word must still find its one page."""
    open_search(page, server, f"?q={PREFIXED_WORD}")
    assert result_paths(page, server) == [f"case-studies/{slug(PREFIXED)}/"]
    assert status(page) == f"1 result for {PREFIXED_WORD}."


def test_newest_first_puts_every_dated_page_in_date_order_then_the_undated(
    page: Page, server: a11y.SiteServer, corpus_meta: tuple[Path, dict[str, dict]]
) -> None:
    """Newest first orders every case study by its date, and the undated pages after them."""
    _folder, metas = corpus_meta
    open_search(page, server, "?type=case-study&sort=newest")
    newest_first = sorted(metas, key=lambda name: metas[name]["published"], reverse=True)
    assert result_paths(page, server) == [f"case-studies/{name}/" for name in newest_first]
    page.select_option("#kb-search-sort", "relevance")
    page.wait_for_function(DONE)
    assert sorted(result_paths(page, server)) == case_urls(metas)
    # Words that guides use too: the case studies come first, newest first, then the guides.
    page.goto(server.url("search/?q=commissioners&sort=newest"), wait_until="load")
    page.wait_for_selector("#kb-search[data-kb-search='ready']", state="attached")
    page.wait_for_function(DONE)
    found = result_paths(page, server)
    cases = [path for path in found if path.startswith("case-studies/")]
    others = [path for path in found if not path.startswith("case-studies/")]
    assert others, "no guide or resource page has the word: choose another"
    assert found == cases + others
    dates = [metas[path.split("/")[1]]["published"] for path in cases]
    assert dates == sorted(dates, reverse=True)


# --- the address holds the search ---------------------------------------------------------------


def test_a_shared_address_restores_the_search_and_reloading_keeps_it(
    page: Page, server: a11y.SiteServer, corpus_meta: tuple[Path, dict[str, dict]]
) -> None:
    _folder, metas = corpus_meta
    open_search(page, server, "?q=forum&region=london,wales&sort=newest")
    expected = case_urls(metas, region={"london", "wales"})
    first = result_paths(page, server)
    assert sorted(first) == expected
    # Newest first: by the published date.
    dates = [metas[path.split("/")[1]]["published"] for path in first]
    assert dates == sorted(dates, reverse=True)
    assert page.input_value("#kb-search-input") == "forum"
    assert page.get_by_role("checkbox", name="London").is_checked()
    assert page.get_by_role("checkbox", name="Wales").is_checked()
    assert page.input_value("#kb-search-sort") == "newest"
    said = status(page)
    assert said == f"{len(expected)} results for forum, filtered by London or Wales."
    # The address is rewritten in the one documented form: repeated keys.
    assert page.evaluate("location.search") == ("?q=forum&region=london&region=wales&sort=newest")
    page.reload(wait_until="load")
    page.wait_for_selector("#kb-search[data-kb-search='ready']", state="attached")
    assert result_paths(page, server) == first
    assert status(page) == said


# --- without JavaScript, and the header ----------------------------------------------------------


def test_without_javascript_the_page_points_to_the_browse_pages(
    chromium: Browser, server: a11y.SiteServer
) -> None:
    context = chromium.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(server.url("search/"))
        assert page.is_visible("#kb-search-nojs")
        assert not page.is_visible("#kb-search-form")
        for name, path in [
            ("All case studies", "case-studies/"),
            ("Case studies by category", "categories/"),
            ("Case studies by region", "regions/"),
            ("Case studies by type of commissioner", "commissioner-types/"),
        ]:
            link = page.locator(".kb-search__browse").get_by_role("link", name=name, exact=True)
            assert urlsplit(link.evaluate("a => a.href")).path == server.prefix + path
    finally:
        context.close()


def test_the_header_links_to_the_search_page_by_keyboard(
    page: Page, server: a11y.SiteServer
) -> None:
    page.goto(server.url("/"))
    link = page.locator(".md-header").get_by_role("link", name="Search", exact=True)
    assert link.is_visible()
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("#kb-search[data-kb-search='ready']", state="attached")
    assert urlsplit(page.url).path == server.prefix + "search/"
    current = page.locator(".md-header").get_by_role("link", name="Search", exact=True)
    assert current.get_attribute("aria-current") == "page"


# --- keyboard and small screens -------------------------------------------------------------------


def test_show_more_moves_focus_to_the_first_new_result(page: Page, server: a11y.SiteServer) -> None:
    open_search(page, server, "?type=case-study")
    assert page.locator("#kb-search-list li").count() == 10
    page.focus("#kb-search-more")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelectorAll('#kb-search-list li').length === 20")
    focused = page.evaluate("document.activeElement.closest('li') ? 1 : 0")
    index = page.evaluate(
        "[...document.querySelectorAll('#kb-search-list li')]"
        ".indexOf(document.activeElement.closest('li'))"
    )
    assert focused and index == 10


def test_on_a_phone_the_filters_fold_away_and_open_from_the_keyboard(
    chromium: Browser, server: a11y.SiteServer
) -> None:
    context = chromium.new_context(viewport={"width": 320, "height": 640})
    try:
        page = context.new_page()
        open_search(page, server)
        assert not page.get_by_role("checkbox", name="London").is_visible()
        page.focus(".kb-search__filters > summary")
        page.keyboard.press("Enter")
        assert page.get_by_role("checkbox", name="London").is_visible()
        assert a11y.check_reflow(page) == []
    finally:
        context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_with_results_and_filters_shown(
    chromium: Browser, search_site: Path, scheme: str
) -> None:
    """The page with results, marked excerpts and every filter group drawn, in both palettes."""
    server = a11y.SiteServer(search_site, "/kb/").start()
    context = chromium.new_context(color_scheme=scheme)  # type: ignore[arg-type]
    try:
        page = context.new_page()
        open_search(page, server, "?q=forum&region=london")
        problems = a11y.axe_problems(page)
        assert not problems, "\n\n".join(problems)
    finally:
        context.close()
        server.stop()


# --- bytes ------------------------------------------------------------------------------------


def test_a_first_search_downloads_only_what_it_shows(chromium: Browser, search_site: Path) -> None:
    """Counts before a search come from search/facets.json; a first search with words loads
    Pagefind's script, WebAssembly, metadata, the index chunks for the word, the filter files
    (the counts stay beside the filters while a reader types) and only the shown fragments."""
    server = a11y.SiteServer(search_site, "/").start()
    context = chromium.new_context()
    requested: list[str] = []
    try:
        page = context.new_page()
        page.on("request", lambda request: requested.append(urlsplit(request.url).path))
        open_search(page, server)
        page.fill("#kb-search-input", "forum")
        page.wait_for_function(DONE)
        results = int(page.eval_on_selector("#kb-search", "r => r.dataset.kbResults || 0"))
        # Served at "/" instead of "/kb/", the results still link to the pages.
        first = page.eval_on_selector("#kb-search-list h3 a", "a => new URL(a.href).pathname")
        assert first.startswith("/case-studies/fictional-case-study-")
    finally:
        context.close()
        server.stop()
    # Every case study has the word; since every reader page is indexed, a few others may too.
    assert results >= CORPUS
    searched = [path.lstrip("/") for path in requested if path.startswith("/pagefind/")]
    assert "search/facets.json" in [path.lstrip("/") for path in requested]
    filters = [path for path in searched if "/filter/" in path]
    assert len(filters) == len(set(filters))  # each filter file fetched once
    assert len([path for path in searched if "/fragment/" in path]) == 10  # one page of results
    assert [path for path in searched if "/index/" in path]
    sizes = {path: (search_site / path).stat().st_size for path in set(searched)}
    total = sum(sizes.values())
    gzipped = sum(
        len(gzip.compress((search_site / path).read_bytes(), 6)) if path.endswith(".js") else size
        for path, size in sizes.items()
    )
    assert 0 < gzipped < total
