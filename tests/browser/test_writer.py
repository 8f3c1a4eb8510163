"""The case-study writer (/contribute/write/): filled by label with the keyboard, in Chromium.

The file it downloads must pass `kb validate` unchanged and be exactly what the Python writer
(kb.content.casestudy.case_study_text) makes of the same answers; a too-short summary shows
`kb validate`'s message next to the field; the pre-filled issue link carries every answer; axe
finds nothing at 1280 and 320 px.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import a11y
import frontmatter
import pytest

REPO = Path(__file__).resolve().parents[2]
WRITER = "/contribute/write/"

SECTIONS = {
    "How they worked together": "The forum and the council planned peer support together.",
    "The practicalities of the relationship": "A three-year grant, with meetings each quarter.",
    "The results": "More people used direct payments, the council's report says.",
    "What made it work, or got in the way": "Trust built over years, and a named contact.",
    "Lessons": "Start small, agree what success looks like, and keep talking.",
}
SUMMARY = (
    "Exampleshire Forum and the council planned peer support together. Others can learn how "
    "a small grant grew into a lasting partnership."
)

CAVEATS = [
    "The only source is the council's own annual report.",
    "The start date is inferred from the first grant.",
]
QUOTES = [
    "The forum planned support with 40 people in its first year.",
    "The grant was renewed for [...] three more years.",
]


@pytest.fixture
def writer(contexts: Any, site_server: a11y.SiteServer) -> Any:
    """opened(width): the writer page with an empty draft, ready for typing."""
    pages = []

    def opened(width: int = 1280) -> Any:
        page = contexts(width).new_page()
        pages.append(page)
        page.goto(site_server.url(WRITER), wait_until="load")
        page.evaluate("() => localStorage.clear()")
        page.reload(wait_until="load")
        page.wait_for_selector("#kb-writer form")
        return page

    yield opened
    for page in pages:
        page.close()


def type_into(page: Any, locator: Any, text: str) -> None:
    locator.focus()
    page.keyboard.type(text)
    page.keyboard.press("Tab")


def choose(page: Any, locator: Any, name: str) -> None:
    """Pick an option of a drop-down with the keyboard: focus it and type the option's name."""
    locator.focus()
    locator.select_option(label=name)
    page.keyboard.press("Tab")


def fill_writer(page: Any) -> None:
    type_into(
        page,
        page.get_by_label("Title (required)", exact=True),
        "Peer support planning with Exampleshire County Council",
    )
    type_into(page, page.get_by_label("Summary (required)", exact=True), SUMMARY)
    type_into(page, page.get_by_label("DPULO name (required)"), "Exampleshire Disability Forum")
    type_into(
        page, page.get_by_label("Commissioner name (required)"), "Exampleshire County Council"
    )
    choose(page, page.get_by_label("Kind of commissioner (required)"), "Local authority")
    choose(page, page.get_by_label("Region (required)"), "South West")
    page.get_by_role("checkbox", name="Strategic partnerships and secondments").focus()
    page.keyboard.press("Space")
    page.get_by_role("checkbox", name="Peer support").focus()
    page.keyboard.press("Space")
    choose(page, page.get_by_label("How the work was paid for (required)"), "Not known")
    choose(page, page.get_by_label("Outcome (required)"), "Continuing")
    type_into(page, page.get_by_label("When the work started (required)"), "April 2019")
    type_into(page, page.get_by_label("When the work ended (required)"), "ongoing")
    type_into(page, page.get_by_label("When a source last showed it going on"), "2025-11")
    type_into(page, page.get_by_label("Read this first", exact=True), "\n".join(CAVEATS))
    choose(
        page,
        page.get_by_label("Consent (required)"),
        "Compiled only from the published sources listed",
    )
    page.get_by_role("button", name="Add a source").focus()
    page.keyboard.press("Enter")
    source = page.get_by_role("group", name="Source 1")
    type_into(page, source.get_by_label("Title (required)"), "Annual report 2019")
    type_into(page, source.get_by_label("Publisher (required)"), "Exampleshire County Council")
    type_into(page, source.get_by_label("Web address (required)"), "https://www.example.org/report")
    type_into(page, source.get_by_label("Quotes", exact=True), "\n".join(QUOTES))
    for heading, text in SECTIONS.items():
        type_into(page, page.get_by_label(f"{heading} (required)"), text)


def test_filled_writer_downloads_a_file_kb_validate_accepts(writer: Any, tmp_path: Path) -> None:
    page = writer()
    fill_writer(page)
    assert page.locator(".kb-writer__error:not([hidden])").count() == 0, page.locator(
        ".kb-writer__error:not([hidden])"
    ).all_inner_texts()
    page.get_by_role("button", name="Download the file").focus()
    with page.expect_download() as info:
        page.keyboard.press("Enter")
    download = info.value
    assert (
        download.suggested_filename == "peer-support-planning-with-exampleshire-county-council.md"
    )
    path = tmp_path / download.suggested_filename
    download.save_as(path)

    done = subprocess.run(
        [sys.executable, "-m", "kb", "validate", str(path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(REPO / "scripts")},
    )
    assert done.returncode == 0, done.stdout + done.stderr

    text = path.read_text(encoding="utf-8")
    post = frontmatter.loads(text)
    meta = dict(post.metadata)
    assert meta["period"] == {"start": "2019-04", "end": "ongoing", "confirmed": "2025-11"}
    assert meta["sourcing"] == "not-known"
    assert meta["outcome"] == "continuing"
    assert meta["caveats"] == CAVEATS
    assert meta["sources"][0]["quotes"] == QUOTES
    assert meta["categories"] == ["strategic-partnerships"]
    assert meta["service_areas"] == ["peer-support"]
    assert meta["published"] == dt.date.today().isoformat()
    assert meta["status"] == "draft"
    # The same double-quoted style as the Python writer, byte for byte.
    from kb.content.casestudy import case_study_text

    assert text == case_study_text(meta, post.content)


def test_too_short_summary_shows_the_message_next_to_the_field(writer: Any) -> None:
    page = writer()
    summary = page.get_by_label("Summary (required)", exact=True)
    type_into(page, summary, "Too short.")
    error = page.locator("#w-summary-error")
    expected = "Summary is too short: it must be at least 40 characters; it has 10."
    assert error.inner_text() == expected
    assert summary.get_attribute("aria-invalid") == "true"
    assert "w-summary-error" in (summary.get_attribute("aria-describedby") or "")
    assert page.locator(".kb-writer__live").inner_text() == expected
    # Fixed, the message goes.
    summary.focus()
    page.keyboard.press("End")
    page.keyboard.type(" " + SUMMARY)
    assert error.is_hidden()
    assert summary.get_attribute("aria-invalid") is None


def test_issue_link_carries_every_answer(writer: Any) -> None:
    page = writer()
    fill_writer(page)
    link = page.get_by_role("link", name="Open it as a GitHub issue (opens in a new tab)")
    link.focus()
    url = urlsplit(link.get_attribute("href") or "")
    assert url.netloc == "github.com" and url.path.endswith("/issues/new")
    query = {key: values[0] for key, values in parse_qs(url.query).items()}
    assert query["template"] == "case-study.yml"
    assert query["title"] == "Case study: Peer support planning with Exampleshire County Council"
    expected = {
        "case-study-title": "Peer support planning with Exampleshire County Council",
        "summary": SUMMARY,
        "dpulo-name": "Exampleshire Disability Forum",
        "commissioner-name": "Exampleshire County Council",
        "commissioner-type": "Local authority",
        "region": "South West",
        "categories": "Strategic partnerships and secondments",
        "service-areas": "Peer support",
        "sourcing": "Not known",
        "outcome": "Continuing",
        "period-start": "2019-04",
        "period-end": "ongoing",
        "period-confirmed": "2025-11",
        "caveats": "\n".join(CAVEATS),
        "consent": "Compiled only from the published sources listed",
    }
    for key, value in expected.items():
        assert query.get(key) == value, key
    assert "https://www.example.org/report" in query["sources"]
    assert "Annual report 2019" in query["sources"]
    for heading, text in SECTIONS.items():
        assert text in query.values(), heading


def test_draft_is_kept_in_this_browser(writer: Any) -> None:
    page = writer()
    type_into(page, page.get_by_label("Title (required)", exact=True), "A draft kept for later")
    page.wait_for_timeout(600)
    page.reload(wait_until="load")
    page.wait_for_selector("#kb-writer form")
    assert page.get_by_label("Title (required)", exact=True).input_value() == (
        "A draft kept for later"
    )


def test_email_choice_is_hidden_without_an_address(writer: Any) -> None:
    page = writer()
    assert page.locator("#kb-writer-mail").count() == 0


@pytest.mark.parametrize("width", [1280, 320])
def test_axe_finds_nothing(writer: Any, width: int) -> None:
    page = writer(width)
    type_into(page, page.get_by_label("Summary (required)", exact=True), "Too short.")
    page.get_by_role("button", name="Add a source").click()
    problems = a11y.format_violations(a11y.run_axe(page))
    assert not problems, "\n".join(problems)
    assert not a11y.check_reflow(page), a11y.check_reflow(page)


def test_without_javascript_the_other_ways_are_explained(contexts: Any, site_server: Any) -> None:
    page = contexts(1280, javascript=False).new_page()
    try:
        page.goto(site_server.url(WRITER), wait_until="load")
        note = page.locator("#kb-writer-nojs")
        assert note.is_visible()
        assert "Word form" in note.inner_text()
    finally:
        page.close()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("tupe", "You came here to write about \u201cTUPE transfers\u201d"),
        ("no-such-thing", "there is no such category. The categories are: Reserved contracts"),
    ],
)
def test_contribute_page_names_the_chosen_category(
    contexts: Any, site_server: a11y.SiteServer, query: str, expected: str
) -> None:
    page = contexts(1280).new_page()
    try:
        page.goto(site_server.url(f"/contribute/?category={query}"), wait_until="load")
        note = page.locator("#kb-chosen-category")
        note.wait_for(state="visible")
        assert expected in note.inner_text()
    finally:
        page.close()


def test_issue_link_gives_each_other_commissioner_its_own_questions(writer: Any) -> None:
    """The form asks for each joint commissioner's name and kind separately (commissioner-2-…)."""
    page = writer()
    fill_writer(page)
    page.get_by_role("button", name="Add a commissioner").focus()
    page.keyboard.press("Enter")
    other = page.get_by_role("group", name="Commissioner 1")
    type_into(page, other.get_by_label("Name (required)"), "Exampleshire NHS Trust")
    choose(page, other.get_by_label("Kind of commissioner (required)"), "NHS trust")
    link = page.get_by_role("link", name="Open it as a GitHub issue (opens in a new tab)")
    link.focus()
    query = parse_qs(urlsplit(link.get_attribute("href") or "").query)
    assert query["commissioner-2-name"] == ["Exampleshire NHS Trust"]
    assert query["commissioner-2-type"] == ["NHS trust"]
    assert "commissioner-3-name" not in query
    assert query["sources"][0].startswith("https://www.example.org/report | Annual report 2019")
