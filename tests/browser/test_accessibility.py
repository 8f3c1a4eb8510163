"""WCAG 2.2 AA checks in Chromium on every page type listed in pages.py.

Each test states the rule it proves. A failure lists every problem on the page, each with
where it is and how to fix it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import a11y
import pytest
from pages import PAGE_TYPES, PLANNED_PAGE_TYPES

from conftest import Loaded, resolve_path

PAGE_IDS = list(PAGE_TYPES)
WIDTHS = [1280, 320]
SCHEMES = ["light", "dark"]

Opener = Callable[..., Loaded]


def _assert_none(problems: list[str], where: str) -> None:
    assert not problems, f"{len(problems)} problem(s) on {where}:\n\n" + "\n\n".join(problems)


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("page_type", PAGE_IDS)
def test_axe_finds_no_wcag_violations(
    open_page: Opener, page_type: str, width: int, scheme: str
) -> None:
    """axe-core reports no WCAG 2.0/2.1/2.2 A or AA violation, at 1280 and 320 CSS px, in the
    light and the dark palette."""
    loaded = open_page(page_type, width, scheme)
    _assert_none(a11y.axe_problems(loaded.page), f"{loaded.url} ({width}px, {scheme})")


@pytest.mark.parametrize("page_type", PAGE_IDS)
def test_without_javascript(open_page: Opener, page_type: str) -> None:
    """With JavaScript off the page still has no axe violation and its skip link works
    (320 CSS px, light)."""
    loaded = open_page(page_type, 320, "light", javascript=False)
    # The page's scripts are blocked; Playwright's evaluate still runs axe.
    problems = a11y.axe_problems(loaded.page) + a11y.check_skip_link(loaded.page)
    _assert_none(problems, f"{loaded.url} (320px, no JavaScript)")


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("page_type", PAGE_IDS)
def test_skip_link_moves_focus_to_main_content(
    open_page: Opener, page_type: str, width: int
) -> None:
    """WCAG 2.4.1: the first Tab reaches a visible "Skip to content" link, and activating it
    moves focus to the main content, not hidden under the header."""
    loaded = open_page(page_type, width)
    _assert_none(a11y.check_skip_link(loaded.page), f"{loaded.url} ({width}px)")


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("page_type", PAGE_IDS)
def test_every_tab_stop_shows_focus_and_is_not_obscured(
    open_page: Opener, page_type: str, width: int, scheme: str
) -> None:
    """WCAG 2.4.7, 1.4.11 and 2.4.11: Tab and Shift+Tab through the whole page; every stop is
    visible, shows a 2px+ focus indicator with 3:1 contrast, and is not under the header."""
    loaded = open_page(page_type, width, scheme)
    forward = a11y.tab_stops(loaded.page)
    assert forward, f"{loaded.url}: Tab reached nothing."
    problems = a11y.check_focus_visible(forward) + a11y.check_focus_not_obscured(forward)
    if scheme == "light":  # the layout is the same in both schemes: go back once per width
        backward = a11y.tab_stops(loaded.page, reverse=True)
        problems += [
            f"(Shift+Tab) {problem}" for problem in a11y.check_focus_not_obscured(backward)
        ]
    _assert_none(problems, f"{loaded.url} ({width}px, {scheme})")


@pytest.mark.parametrize("page_type", PAGE_IDS)
def test_reflows_at_320_css_pixels(open_page: Opener, page_type: str) -> None:
    """WCAG 1.4.10: at 320 CSS px nothing scrolls sideways except tables and code blocks, in
    their own keyboard-reachable box."""
    loaded = open_page(page_type, 320)
    _assert_none(a11y.check_reflow(loaded.page), f"{loaded.url} (320px)")


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("page_type", PAGE_IDS)
def test_text_spacing_cuts_nothing_off(open_page: Opener, page_type: str, width: int) -> None:
    """WCAG 1.4.12: with line height 1.5, letter spacing 0.12em, word spacing 0.16em and
    paragraph spacing 2em, no text is clipped."""
    loaded = open_page(page_type, width)
    _assert_none(a11y.check_text_spacing(loaded.page), f"{loaded.url} ({width}px)")


@pytest.mark.parametrize("page_type", PAGE_IDS)
def test_content_rules(open_page: Opener, page_type: str) -> None:
    """<html lang>, alt on every image, one h1 and no skipped heading level, and link text
    that makes sense out of context."""
    loaded = open_page(page_type, 1280)
    _assert_none(a11y.check_content_rules(loaded.page), loaded.url)


@pytest.mark.parametrize("page_type", PAGE_IDS)
def test_accessibility_script_runs(open_page: Opener, page_type: str) -> None:
    """The site's accessibility script (docs/javascripts/accessibility.js) loads at every
    page's address, the not-found page's too, and runs: the header's menu becomes a named
    button, which keyboards can reach."""
    loaded = open_page(page_type, 320)
    menu = loaded.page.locator(".md-header label[for='__drawer']")
    state = {"role": menu.get_attribute("role"), "named": bool(menu.get_attribute("aria-label"))}
    assert state == {"role": "button", "named": True}, f"{loaded.url}: {state}"


def test_planned_page_types_are_not_built_yet(
    site_server: a11y.SiteServer, built_site: Path
) -> None:
    """A planned page type that now exists must move into PAGE_TYPES, so it gets tested."""
    built = []
    for page_type, path in PLANNED_PAGE_TYPES.items():
        try:
            resolved = resolve_path(path, built_site)
        except AssertionError:
            continue  # no case study yet
        if a11y.http_status(site_server.url(resolved)) == 200:
            built.append(f"{page_type}: {path}")
    assert not built, (
        "These page types now exist; move them from PLANNED_PAGE_TYPES to PAGE_TYPES in "
        "tests/browser/pages.py so they are tested:\n  " + "\n  ".join(built)
    )
