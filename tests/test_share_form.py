"""Links that open the GitHub case-study form with a category or region already chosen
(kb.site.share_form): on empty category and region pages, and on the coverage page."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import markdown
import yaml

from htmltree import parse
from kb.content.casestudy import CaseStudy, Collection
from kb.contrib.issue_form import FORM_PATH, form_id
from kb.site import listings
from kb.site.catalogue import build_catalogue
from kb.site.coverage_page import render_coverage_page
from kb.site.share_form import FORM_FIELDS, share_form_url
from tests.support.corpus import front_matter
from tests.support.project import ROOT, repo_taxonomy

TAXONOMY = repo_taxonomy()
REPO = "https://github.com/example/kb"
LINK_TEXT = "Share one through the form"
WALES = TAXONOMY.term("regions", "wales")


def chosen(url: str | None) -> dict[str, str]:
    """The new-issue address's choices, checking it opens the case-study form of REPO."""
    assert url is not None
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == (
        "https",
        "github.com",
        "/example/kb/issues/new",
    )
    query = {key: values[0] for key, values in parse_qs(parts.query).items()}
    assert query.pop("template") == FORM_PATH.name
    return query


def form_links(text: str) -> list[str]:
    tree = parse(markdown.markdown(text, extensions=["md_in_html"]))
    return [a.get("href") or "" for a in tree.find_all("a") if a.text().strip() == LINK_TEXT]


def test_the_link_opens_the_form_with_the_term_chosen() -> None:
    assert chosen(share_form_url(REPO + "/", "regions", WALES)) == {"region": "Wales"}
    category = TAXONOMY.categories[0]
    assert chosen(share_form_url(REPO, "categories", category)) == {"categories": category.name}
    assert share_form_url(None, "regions", WALES) is None
    assert share_form_url("", "regions", WALES) is None
    outcome = TAXONOMY.terms("outcomes")[0]
    assert share_form_url(REPO, "outcomes", outcome) is None


def test_each_question_filled_in_is_a_drop_down_of_its_list() -> None:
    """GitHub selects a drop-down's choice by its name: the names must be the form's options."""
    form = yaml.safe_load((ROOT / FORM_PATH).read_text(encoding="utf-8"))
    by_id = {item["id"]: item for item in form["body"] if "id" in item}
    for facet, name in FORM_FIELDS.items():
        question = by_id[form_id(name)]
        assert question["type"] == "dropdown"
        assert question["attributes"]["options"] == [term.name for term in TAXONOMY.terms(facet)]


def test_an_empty_term_page_links_the_form_with_the_term_chosen() -> None:
    catalogue = build_catalogue([], TAXONOMY)
    page = listings.term_page("regions", WALES, catalogue, TAXONOMY, repo_url=REPO)
    [link] = form_links(page)
    assert chosen(link) == {"region": "Wales"}
    category = TAXONOMY.categories[0]
    page = listings.term_page("categories", category, catalogue, TAXONOMY, repo_url=REPO)
    [link] = form_links(page)
    assert chosen(link) == {"categories": category.name}
    # Without a repository address, the page still says how to share one, without the form.
    page = listings.term_page("regions", WALES, catalogue, TAXONOMY)
    assert form_links(page) == [] and "how to contribute" in page


def test_a_term_page_with_case_studies_does_not_ask_for_more() -> None:
    meta = front_matter(1, region="wales")
    case = CaseStudy("case-1", Path("case-1.md"), meta, "## Body\n\nText.\n")
    catalogue = build_catalogue([case], TAXONOMY)
    page = listings.term_page("regions", WALES, catalogue, TAXONOMY, repo_url=REPO)
    assert form_links(page) == []


def test_the_coverage_page_links_the_form_for_wanted_categories_and_empty_regions() -> None:
    today = dt.date(2026, 6, 15)
    page = render_coverage_page(Collection(case_studies=[]), TAXONOMY, today, repo_url=REPO)
    filled = [chosen(link) for link in form_links(page)]
    wanted = [term.name for term in TAXONOMY.categories if term.wanted_minimum]
    assert sorted(c["categories"] for c in filled if "categories" in c) == sorted(wanted)
    assert [c["region"] for c in filled if "region" in c] == [t.name for t in TAXONOMY.regions]
    assert form_links(render_coverage_page(Collection(case_studies=[]), TAXONOMY, today)) == []
