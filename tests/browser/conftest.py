"""Fixtures for the browser accessibility tests.

One Chromium for the whole session, the site built once, served once, and one browser
context per (viewport width, colour scheme, JavaScript on or off), reused by every test.

Environment:
  KB_REQUIRE_BROWSER=1  a missing Chromium or Playwright fails the tests instead of skipping
                        them (CI sets this).
  KB_SITE_DIR=DIR       test an already built site instead of building one.
  KB_CHROMIUM=PATH      the Chromium binary (default /usr/bin/chromium).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import a11y
from pages import PAGE_TYPES

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page, Response


def _browser_missing(reason: str) -> None:
    """Fail when the browser is required (CI), otherwise skip with how to install it."""
    if os.environ.get("KB_REQUIRE_BROWSER") == "1":
        pytest.fail(f"KB_REQUIRE_BROWSER=1 but the browser tests cannot run: {reason}")
    pytest.skip(f"Browser tests skipped: {reason}")


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    """Debian's Chromium, launched once through Playwright's sync API."""
    reason = a11y.browser_unavailable_reason()
    if reason:
        _browser_missing(reason)
    from playwright.sync_api import Error, sync_playwright

    with sync_playwright() as playwright:
        try:
            browser = a11y.launch_chromium(playwright)
        except Error as error:
            _browser_missing(f"Chromium at {a11y.CHROMIUM_PATH} did not start: {error}")
            raise
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site, built once per session (or KB_SITE_DIR when set)."""
    given = os.environ.get("KB_SITE_DIR")
    if given:
        site = Path(given).resolve()
        assert (site / "index.html").is_file(), f"KB_SITE_DIR={given} has no index.html"
        return site
    return a11y.build_site(tmp_path_factory.mktemp("site") / "site")


@pytest.fixture(scope="session")
def site_server(built_site: Path) -> Iterator[a11y.SiteServer]:
    """The built site over HTTP under its published prefix (site_url's path, e.g. /kb/).

    The prefix matters: mkdocs writes absolute /kb/… addresses into 404.html.
    """
    server = a11y.SiteServer(built_site, a11y.site_prefix()).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def site_server_at_root(built_site: Path) -> Iterator[a11y.SiteServer]:
    """The same site served at "/", for tests that compare behaviour across prefixes."""
    server = a11y.SiteServer(built_site, "/").start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def fixture_server() -> Iterator[a11y.SiteServer]:
    """tests/browser/fixtures/ over HTTP (the deliberately broken page)."""
    server = a11y.SiteServer(a11y.FIXTURES, "/").start()
    yield server
    server.stop()


ContextFactory = Callable[..., "BrowserContext"]


def _local_only(route: Any) -> None:
    """Tests are hermetic: anything not on 127.0.0.1 is refused at once."""
    if route.request.url.startswith(("http://127.0.0.1", "data:", "about:")):
        route.continue_()
    else:
        route.abort()


def _local_only_without_scripts(route: Any) -> None:
    """As _local_only, and the page's own scripts never run.

    A Content-Security-Policy of script-src 'none' blocks inline and external scripts, as
    for a reader with JavaScript off. (Playwright's java_script_enabled=False would also stop
    axe-core's timers, so axe would never finish.) Playwright's evaluate is not subject to
    the page's CSP, so the checks still run.
    """
    request = route.request
    if not request.url.startswith("http://127.0.0.1") or request.resource_type == "script":
        route.abort()
    elif request.resource_type == "document":
        response = route.fetch()
        headers = {**response.headers, "content-security-policy": "script-src 'none'"}
        route.fulfill(response=response, headers=headers)
    else:
        route.continue_()


@pytest.fixture(scope="session")
def contexts(chromium: Browser) -> Iterator[ContextFactory]:
    """contexts(width, scheme="light", javascript=True): a cached browser context."""
    cache: dict[tuple[int, str, bool], BrowserContext] = {}

    def get(width: int, scheme: str = "light", javascript: bool = True) -> BrowserContext:
        key = (width, scheme, javascript)
        if key not in cache:
            context = chromium.new_context(
                viewport=a11y.VIEWPORTS[width],
                color_scheme=scheme,  # type: ignore[arg-type]
                reduced_motion="reduce",
                locale="en-GB",
            )
            context.set_default_timeout(30_000)
            context.route("**/*", _local_only if javascript else _local_only_without_scripts)
            cache[key] = context
        return cache[key]

    yield get
    for context in cache.values():
        context.close()


@dataclass
class Loaded:
    """A page opened by the open_page fixture."""

    page: Page
    response: Response | None
    url: str


@pytest.fixture
def open_page(
    contexts: ContextFactory, site_server: a11y.SiteServer, built_site: Path
) -> Iterator[Callable[..., Loaded]]:
    """open_page(page_type, width=1280, scheme="light", javascript=True) -> Loaded.

    Fails the test when the page type's address answers 404 (except the not-found type,
    which must answer 404), and when the colour scheme did not apply.
    """
    from pages import NOT_FOUND

    opened: list[Page] = []

    def open_(
        page_type: str, width: int = 1280, scheme: str = "light", javascript: bool = True
    ) -> Loaded:
        path = resolve_path(PAGE_TYPES[page_type], built_site)
        url = site_server.url(path)
        page = contexts(width, scheme, javascript).new_page()
        opened.append(page)
        response = page.goto(url, wait_until="load")
        status = response.status if response else 0
        if page_type == NOT_FOUND:
            assert status == 404, f"{url} should answer 404 for a missing page, got {status}"
        else:
            assert status == 200, (
                f"Page type {page_type!r} at {url} answered {status}: the page is missing. "
                "Build it, or fix its address in tests/browser/pages.py."
            )
        if javascript:
            # The search page lays itself out after its first search; checking focus or layout
            # before then measures a page that is still moving (a flaky tab-order failure).
            page.wait_for_function(
                "() => { const s = document.getElementById('kb-search');"
                " return !s || s.dataset.kbSearch === 'ready'; }",
                timeout=30_000,
            )
            expected = "slate" if scheme == "dark" else "default"
            actual = page.evaluate("() => document.body.dataset.mdColorScheme || ''")
            if actual:
                assert actual == expected, f"{url}: asked for {scheme}, page shows {actual!r}"
        return Loaded(page, response, url)

    yield open_
    for page in opened:
        page.close()


def resolve_path(path: str, site_dir: Path) -> str:
    """Fill in "{case_study}" with the first case study's slug found in the built site."""
    if "{case_study}" not in path:
        return path
    folder = site_dir / "case-studies"
    slugs = sorted(
        child.name
        for child in (folder.iterdir() if folder.is_dir() else [])
        if child.is_dir() and (child / "index.html").is_file()
    )
    assert slugs, f"No case study pages under {folder}: cannot test the case-study page type."
    return path.replace("{case_study}", slugs[0])
