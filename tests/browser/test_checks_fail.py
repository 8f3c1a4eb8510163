"""The checks can fail: each one reports the problem planted in fixtures/broken.html.

A check that never fails proves nothing. If one of these tests fails, a check in a11y.py
has gone blind to the problem it exists to catch.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import a11y
import pytest
from playwright.sync_api import Page

BROKEN = "broken.html"


@pytest.fixture
def broken(
    contexts: Callable[..., object], fixture_server: a11y.SiteServer
) -> Iterator[Callable[[int], Page]]:
    """broken(width) -> the broken page open at that viewport width."""
    opened: list[Page] = []

    def open_(width: int) -> Page:
        page = contexts(width).new_page()  # type: ignore[attr-defined]
        opened.append(page)
        response = page.goto(fixture_server.url(BROKEN))
        assert response is not None and response.status == 200
        return page

    yield open_
    for page in opened:
        page.close()


def _mentions(problems: list[str], *needles: str) -> bool:
    return any(all(needle in problem for needle in needles) for problem in problems)


def test_axe_reports_contrast_label_alt_and_lang(broken: Callable[[int], Page]) -> None:
    """axe finds the faint text, the unlabelled input, the image with no alt and the missing
    lang, and its messages give rule id, impact, selector and help."""
    violations = a11y.run_axe(broken(1280))
    ids = {violation["id"] for violation in violations}
    assert {"color-contrast", "label", "image-alt", "html-has-lang"} <= ids, ids
    problems = a11y.format_violations(violations)
    assert _mentions(problems, "axe color-contrast (serious)", ".faint", "help: https://")
    assert _mentions(problems, "axe label (critical)", "at ['input']")


def test_content_rules_report_lang_alt_heading_skip_and_vague_link(
    broken: Callable[[int], Page],
) -> None:
    """The content rules find no lang, an img without alt, h1 followed by h3, "click here"."""
    problems = a11y.check_content_rules(broken(1280))
    assert _mentions(problems, "<html> has no lang")
    assert _mentions(problems, "img", "has no alt attribute")
    assert _mentions(problems, "Heading level skipped", "h1", "h3")
    assert _mentions(problems, "'click here'", "does not make sense out of context")


def test_reflow_reports_the_wide_box_and_the_unreachable_scroller(
    broken: Callable[[int], Page],
) -> None:
    """At 320px the 900px box makes the page scroll sideways, and the scrolling <pre> has no
    tabindex."""
    problems = a11y.check_reflow(broken(320))
    assert _mentions(problems, "scrolls sideways")
    assert _mentions(problems, "div.wide")
    assert _mentions(problems, "pre.scroller", "keyboard users cannot reach")


def test_text_spacing_reports_clipped_text(broken: Callable[[int], Page]) -> None:
    """With WCAG text spacing the fixed-height box hides part of its paragraph."""
    problems = a11y.check_text_spacing(broken(1280))
    assert _mentions(problems, "p.clipped", "text is cut off")


def test_focus_checks_report_no_ring_and_unseen_stop(broken: Callable[[int], Page]) -> None:
    """Tabbing finds the button without a focus ring and the off-screen link."""
    forward = a11y.tab_stops(broken(1280))
    problems = a11y.check_focus_visible(forward)
    assert _mentions(problems, "button.no-ring", "shows no focus indicator")
    assert _mentions(problems, "a.offscreen", "cannot be seen")


def test_obscured_check_reports_focus_under_the_sticky_header(
    broken: Callable[[int], Page],
) -> None:
    """With the page scrolled a little, Tab reaches a link that is in the viewport but under
    the sticky header (no scroll-padding-top), so the browser does not scroll to it."""
    page = broken(1280)
    page.evaluate("() => window.scrollTo(0, 60)")
    page.focus("header a")
    page.keyboard.press("Tab")
    stop = a11y.current_focus(page, 1)
    assert stop is not None and "Near link" in stop.description
    assert _mentions(a11y.check_focus_not_obscured([stop]), "Near link", "sticky header")


def test_skip_link_check_reports_a_missing_skip_link(broken: Callable[[int], Page]) -> None:
    """The first tab stop is the header's link, not a skip link."""
    problems = a11y.check_skip_link(broken(1280))
    assert _mentions(problems, "not a skip link")


def test_contrast_ratio_matches_known_values() -> None:
    """The contrast arithmetic: black on white is 21:1, a colour on itself 1:1, #767676 on
    white just passes 4.5:1."""
    assert a11y.contrast_ratio((0, 0, 0), (255, 255, 255)) == pytest.approx(21.0)
    assert a11y.contrast_ratio((90, 90, 90), (90, 90, 90)) == pytest.approx(1.0)
    assert a11y.contrast_ratio(a11y.parse_hex("#767676"), (255, 255, 255)) == pytest.approx(
        4.54, abs=0.01
    )
