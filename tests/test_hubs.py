"""The audience hubs (issue 20): sections by task, each with site pages and checked resources.

Reads only this checkout (docs/, data/); no network and no build.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import markdown
import pytest

from htmltree import parse
from kb.content.load import load_content
from kb.site.markers import MARKER, expand_markers
from kb.site.resources import chosen_resources, resource_list, resource_marker
from tests.support.project import PROJECT, repo_taxonomy

HUBS = {"providers": "for-providers.md", "commissioners": "for-commissioners.md"}
DOCS = PROJECT.root / "docs"
LEGISLATION = "https://www.legislation.gov.uk/"
#: Relative Markdown links from a hub to pages on this site that answer a task.
SITE_PAGE = re.compile(r"\]\(((?:case-studies|guides|practice)/[a-z0-9-]+\.md)\)")


@cache
def resources() -> list[dict]:
    """data/resources.yml as the site reads it, loaded once for this module (no test changes it)."""
    content, problems = load_content(PROJECT)
    assert [str(problem) for problem in problems] == []
    return content.resources


def sections(audience: str) -> dict[str, str]:
    """Each `## ` section of a hub page: heading -> its Markdown."""
    text = (DOCS / HUBS[audience]).read_text(encoding="utf-8")
    parts = re.split(r"^## (.+)$", text, flags=re.M)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def task_sections(audience: str) -> dict[str, str]:
    """The sections that answer a task: every section with a resources marker."""
    return {
        heading: body
        for heading, body in sections(audience).items()
        if any(m.group(1) == "resources" for m in MARKER.finditer(body))
    }


def hub_entries(audience: str, records: list[dict]) -> dict[str, list[str]]:
    """Section heading -> the ids of the resources its markers list."""
    taxonomy = repo_taxonomy()
    listed: dict[str, list[str]] = {}
    for heading, body in task_sections(audience).items():
        ids: list[str] = []
        for match in MARKER.finditer(body):
            words = match.group(2).split()
            assert words[0] == audience, f"{heading}: a {words[0]} list on the {audience} hub"
            chosen = chosen_resources(records, words[0], taxonomy, words[1:] or None)
            ids += [record["id"] for record in chosen]
        listed[heading] = ids
    return listed


def test_at_least_thirty_resources_are_not_legislation() -> None:
    records = resources()
    others = [record for record in records if not record["url"].startswith(LEGISLATION)]
    assert len(others) >= 30


def test_every_resource_has_a_checked_date_and_its_own_id() -> None:
    records = resources()
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", record["checked"]) for record in records)
    ids = [record["id"] for record in records]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize(
    ("audience", "tasks"),
    [
        (
            "providers",
            [
                "Getting ready to bid",
                "Pricing and full cost recovery",
                "Co-production",
                "Evidencing social value",
                "Partnerships and consortia",
                "When funding is cut",
            ],
        ),
        (
            "commissioners",
            [
                "Co-producing a specification",
                "Choosing how to fund",
                "Making procurement accessible",
                "Reserving contracts",
                "Measuring social value",
                "Keeping local organisations alive",
            ],
        ),
    ],
)
def test_each_hub_has_a_section_per_task(audience: str, tasks: list[str]) -> None:
    assert list(task_sections(audience)) == tasks


@pytest.mark.parametrize("audience", list(HUBS))
def test_every_section_lists_a_site_page_and_a_resource(audience: str) -> None:
    records = resources()
    listed = hub_entries(audience, records)
    for heading, body in task_sections(audience).items():
        pages = SITE_PAGE.findall(body)
        assert pages, f"{HUBS[audience]} '{heading}' links no case study, guide or practice page"
        for page in pages:
            assert (DOCS / page).exists() or (
                page.startswith("case-studies/")
                and (PROJECT.root / "case_studies" / Path(page).name).exists()
            ), f"{HUBS[audience]} '{heading}' links {page}, which does not exist"
        assert listed[heading], f"{HUBS[audience]} '{heading}' lists no resources"


@pytest.mark.parametrize("audience", list(HUBS))
def test_no_legislation_on_the_hubs(audience: str) -> None:
    records = {record["id"]: record for record in resources()}
    for heading, ids in hub_entries(audience, list(records.values())).items():
        law = [i for i in ids if records[i]["url"].startswith(LEGISLATION)]
        assert not law, f"{HUBS[audience]} '{heading}' lists legislation: {law}"


def test_the_hubs_share_at_most_a_third_of_their_entries() -> None:
    records = resources()
    listed = {
        audience: {i for ids in hub_entries(audience, records).values() for i in ids}
        for audience in HUBS
    }
    shared = listed["providers"] & listed["commissioners"]
    smaller = min(len(entries) for entries in listed.values())
    assert 3 * len(shared) <= smaller, f"{len(shared)} shared of {smaller}: {sorted(shared)}"


def test_no_resource_is_listed_twice_on_one_hub() -> None:
    records = resources()
    for audience in HUBS:
        ids = [i for ids in hub_entries(audience, records).values() for i in ids]
        assert len(ids) == len(set(ids)), audience


# -- the marker and the renderer, on fictional records ------------------------------------------

RECORD = {
    "publisher": "P",
    "year": "2024",
    "url": "https://e.org/",
    "description": "What it is for.",
    "checked": "2026-12-04",
}
RECORDS = [
    {**RECORD, "id": "b", "title": "B", "audience": ["providers"], "topic": "co-production"},
    {**RECORD, "id": "a", "title": "A", "audience": ["providers"], "topic": "co-production"},
    {
        **RECORD,
        "id": "c",
        "title": "C",
        "audience": ["providers", "commissioners"],
        "topic": "when-funding-is-cut",
    },
    {**RECORD, "id": "d", "title": "D", "audience": ["commissioners"], "topic": "co-production"},
]


def test_a_topic_list_has_no_heading_and_only_that_audience_and_topic() -> None:
    html = resource_list(RECORDS, "providers", repo_taxonomy(), topics=["co-production"])
    tree = parse(markdown.markdown(html))
    assert not tree.find_all("h2")
    assert [a.text() for a in tree.find_all("a")] == ["A", "B"]


def test_a_marker_may_name_several_topics() -> None:
    text = "<!-- kb:resources providers  co-production when-funding-is-cut -->\n"
    out, problems = expand_markers(
        text, {"resources": lambda arg: resource_marker(RECORDS, arg, repo_taxonomy())}
    )
    assert problems == []
    assert [a.text() for a in parse(markdown.markdown(out)).find_all("a")] == ["A", "B", "C"]


def test_a_marker_with_an_unknown_topic_or_no_audience_is_reported() -> None:
    renderers = {"resources": lambda arg: resource_marker(RECORDS, arg, repo_taxonomy())}
    text = "<!-- kb:resources providers no-such-topic -->\n<!-- kb:resources -->\n"
    out, problems = expand_markers(text, renderers)
    assert "<!-- kb:resources providers no-such-topic -->" in out
    assert problems[0].startswith(
        "marker <!-- kb:resources providers no-such-topic -->: unknown topic 'no-such-topic'"
    )
    assert problems[1].startswith("marker <!-- kb:resources -->: say whose list it is")


def test_a_topic_with_nothing_for_the_audience_says_so() -> None:
    html = resource_list(RECORDS, "commissioners", repo_taxonomy(), topics=["reserving-contracts"])
    assert "There are no resources in this list yet." in html
