"""The built site, from a fictional corpus: pages, listings, escaping, search markers, open data.

The site is built once for the module (2-core machines): every test reads the same build.
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from htmltree import Element, parse
from kb.build import BuildOptions
from kb.content.casestudy import case_study_files, load_case_studies
from kb.content.dates import period_text
from site_fixtures import (
    DRAFT_SLUG,
    DRAFT_TITLE,
    HOSTILE_DPULO,
    HOSTILE_SLUG,
    HOSTILE_SUMMARY,
    HOSTILE_TITLE,
    JOINT_SLUG,
    PUBLISHED,
    build_fixture_site,
)
from tests.support.project import repo_rules, repo_taxonomy

SITE_URL = "https://dpulo-commissioning.github.io/kb/"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuildOptions:
    options, results = build_fixture_site(tmp_path_factory.mktemp("site"))
    failed = [(r.name, r.problems) for r in results if r.problems]
    assert not failed, failed
    return options


@pytest.fixture(scope="module")
def site(built: BuildOptions) -> Path:
    return built.built_site_dir()


@pytest.fixture(scope="module")
def published(built: BuildOptions) -> list:
    assert built.case_studies is not None
    collection = load_case_studies(case_study_files(built.case_studies), repo_rules())
    return collection.published


def page(site: Path, url: str) -> Element:
    return parse((site / url / "index.html").read_text(encoding="utf-8"))


def main_content(tree: Element) -> Element:
    found = tree.find("article")
    assert found is not None
    return found


def test_every_published_case_study_has_one_page(site: Path, published: list) -> None:
    built = sorted(p.parent.name for p in (site / "case-studies").glob("*/index.html"))
    assert built == sorted(case.slug for case in published)
    assert len(built) == PUBLISHED + 2


def test_case_study_title_is_the_page_title_and_only_h1(site: Path, published: list) -> None:
    case = next(c for c in published if c.slug == "fictional-case-study-00001")
    tree = page(site, f"case-studies/{case.slug}")
    assert [h.text() for h in tree.find_all("h1")] == [case.title]
    assert tree.find("title").text().startswith(case.title)


def test_facts_box_shows_every_fact_with_links(site: Path, published: list) -> None:
    case = next(c for c in published if c.slug == JOINT_SLUG)
    taxonomy = repo_taxonomy()
    tree = page(site, f"case-studies/{case.slug}")
    aside = tree.find("aside", aria_label="Key facts")
    assert aside is not None
    facts = dict(
        zip(
            [dt.text() for dt in aside.find_all("dt")],
            aside.find_all("dd"),
            strict=True,
        )
    )
    assert facts["Disabled people’s user-led organisation"].text() == case.meta["dpulo"]["name"]
    commissioners = facts["Commissioners"]
    assert [li.text() for li in commissioners.find_all("li")] == [
        f"{case.meta['commissioner']['name']} "
        f"({taxonomy.name('commissioner_types', case.meta['commissioner']['type'])})",
        "Fictional Integrated Care Board (NHS integrated care board)",
    ]
    assert {a.get("href") for a in commissioners.find_all("a")} == {
        f"../../commissioner-types/{case.meta['commissioner']['type']}/",
        "../../commissioner-types/nhs-integrated-care-board/",
    }
    region = facts["Region"].find("a")
    assert (region.get("href"), region.text()) == ("../../regions/london/", "London")
    category = facts["Category"].find("a")
    assert category.get("href") == "../../categories/tupe/"
    assert category.text() == "TUPE transfers"
    assert facts["Service area"].text() == taxonomy.name("service_areas", case.service_areas[0])
    assert facts["How the work was funded or bought"].text() == taxonomy.name(
        "sourcing", case.sourcing
    )
    assert facts["When"].text() == period_text(case.meta["period"])
    assert facts["Outcome"].text() == taxonomy.name("outcomes", case.meta["outcome"])
    published_time = facts["Published"].find("time")
    assert published_time.get("datetime") == case.published
    assert facts["Last reviewed"].find("time").get("datetime") == "2025-12-31"


def test_sources_are_numbered_in_front_matter_order(site: Path) -> None:
    tree = page(site, f"case-studies/{HOSTILE_SLUG}")
    items = tree.find("ol", **{"class": "kb-sources"}).find_all("li")
    assert [item.get("id") for item in items] == ["source-1", "source-2"]
    first = items[0].find("a")
    assert first.get("href") == "https://forum.example.org/report?x=1&y=2"
    assert first.text() == '<img src=x onerror=alert(4)> "Annual" report'
    assert "Fictional <Publisher>, March 2024" in items[0].text()


def test_body_sections_follow_the_facts(site: Path) -> None:
    tree = page(site, "case-studies/fictional-case-study-00002")
    headings = [h.text().rstrip("¶") for h in main_content(tree).find_all("h2")]
    assert headings[:6] == [
        "Key facts",
        "How they worked together",
        "The practicalities of the relationship",
        "The results",
        "What made it work, or got in the way",
        "Lessons",
    ]
    assert headings[6] == "About this case study"


def test_propose_a_change_links_to_the_file_on_github(site: Path) -> None:
    tree = page(site, "case-studies/fictional-case-study-00003")
    link = tree.find("p", **{"class": "kb-propose"}).find("a")
    assert link.get("href") == (
        "https://github.com/dpulo-commissioning/kb/edit/main/case_studies/"
        "fictional-case-study-00003.md"
    )
    assert link.text() == "Propose a change to this case study on GitHub"


def test_compiled_case_study_says_so_and_how_to_correct_it(site: Path) -> None:
    compiled = page(site, f"case-studies/{HOSTILE_SLUG}")
    note = compiled.find("div", **{"class": "admonition note kb-compiled"})
    assert note is not None
    assert "Compiled from published sources" in note.text()
    assert note.find("a", href="../../contribute/") is not None
    agreed = page(site, "case-studies/fictional-case-study-00001")
    assert agreed.find("div", **{"class": "admonition note kb-compiled"}) is None


def test_related_case_studies_share_a_category(site: Path, published: list) -> None:
    by_slug = {case.slug: case for case in published}
    tree = page(site, f"case-studies/{JOINT_SLUG}")
    section = tree.find("section", **{"class": "kb-related"})
    assert section is not None
    assert (
        section.get("data-pagefind-ignore") is not None or "data-pagefind-ignore" in section.attrs
    )
    links = [a.get("href") for a in section.find_all("a")]
    assert 1 <= len(links) <= 5
    for href in links:
        slug = href.split("/")[-2]
        assert "tupe" in by_slug[slug].categories


def test_pagefind_markers_on_case_study_pages(site: Path, published: list) -> None:
    case = next(c for c in published if c.slug == JOINT_SLUG)
    tree = page(site, f"case-studies/{case.slug}")
    bodies = tree.find_all(data_pagefind_body=True)
    assert len(bodies) == 1
    body = bodies[0]
    filters = {e.get("data-pagefind-filter") for e in body.find_all(data_pagefind_filter=True)}
    assert {
        "type:case-study",
        "category:tupe",
        "region:london",
        f"commissioner_type:{case.meta['commissioner']['type']}",
        "commissioner_type:nhs-integrated-care-board",
        f"service_area:{case.service_areas[0]}",
        f"sourcing:{case.sourcing}",
        f"year:{case.meta['period']['start'][:4]}",
        f"outcome:{case.meta['outcome']}",
    } == filters
    metas = {e.get("data-pagefind-meta") for e in body.find_all(data_pagefind_meta=True)}
    assert metas == {
        f"dpulo:{case.meta['dpulo']['name']}",
        f"commissioner:{case.meta['commissioner']['name']}",
        "region:London",
        f"summary:{case.summary}",
        f"period:{period_text(case.meta['period'])}",
        f"outcome:{repo_taxonomy().name('outcomes', case.meta['outcome'])}",
    }
    sorts = [e.get("data-pagefind-sort") for e in body.find_all(data_pagefind_sort=True)]
    assert sorts == [f"published:{case.published}"]
    assert body.find("h1") is not None


def test_only_case_studies_hubs_and_guides_are_indexed(site: Path) -> None:
    for url in ("", "case-studies", "categories", "categories/tupe", "coverage"):
        assert not page(site, url).find_all(data_pagefind_body=True), url
    for url, kind in (("for-providers", "resource"), ("for-commissioners", "resource")):
        tree = page(site, url)
        assert len(tree.find_all(data_pagefind_body=True)) == 1
        assert tree.find(data_pagefind_filter=f"type:{kind}") is not None
    guide = next((site / "guides").glob("*/index.html"))
    tree = parse(guide.read_text(encoding="utf-8"))
    assert tree.find(data_pagefind_filter="type:guide") is not None
    assert len(tree.find_all("h1")) == 1


def test_guides_list_the_sources_their_front_matter_cites(site: Path) -> None:
    docs = Path(__file__).resolve().parents[1] / "docs" / "guides"
    citing = [path.stem for path in docs.glob("*.md") if "\nsources: [" in path.read_text()]
    assert citing, "no guide cites sources in its front matter"
    for name in citing:
        tree = page(site, f"guides/{name}")
        citations = tree.find("ol", **{"class": "kb-citations"})
        assert citations is not None and citations.find_all("li"), name


def test_hostile_values_show_as_text_and_never_run(site: Path) -> None:
    tree = page(site, f"case-studies/{HOSTILE_SLUG}")
    for script in tree.find_all("script"):
        assert "alert(" not in script.text()
    assert tree.find("h1").text() == HOSTILE_TITLE
    assert tree.find("p", **{"class": "kb-summary"}).text() == " ".join(HOSTILE_SUMMARY.split())
    assert tree.find("title").text().startswith(HOSTILE_TITLE)
    # The header shows the title too.
    header = tree.find("div", **{"class": "md-header__title"})
    assert header is not None
    assert [span.text().strip() for span in header.find_all("span", **{"class": "md-ellipsis"})][
        -1
    ] == HOSTILE_TITLE
    assert tree.find("meta", name="description").get("content") == HOSTILE_SUMMARY
    meta = tree.find(data_pagefind_meta=f"dpulo:{HOSTILE_DPULO}")
    assert meta is not None
    assert tree.find("img") is None or all(i.get("onerror") is None for i in tree.find_all("img"))
    for url in ("", "case-studies", "categories/tupe", "regions/" + "uk-wide"):
        listing = page(site, url)
        for script in listing.find_all("script"):
            assert "alert(" not in script.text(), url
    browse = page(site, "case-studies")
    assert any(a.text() == HOSTILE_TITLE for a in browse.find_all("a"))


def test_browse_lists_every_published_case_study_newest_first(site: Path, published: list) -> None:
    content = main_content(page(site, "case-studies"))
    assert [h.text().rstrip("¶") for h in content.find_all("h2")] == ["Published in 2025"]
    items = content.find("ul", **{"class": "kb-case-list"}).find_all("li")
    titles = [item.find("p", **{"class": "kb-case-list__title"}).text() for item in items]
    assert sorted(titles) == sorted(case.title for case in published)
    dates = [item.find("time").get("datetime") for item in items]
    assert dates == sorted(dates, reverse=True)
    joint = next(item for item in items if JOINT_SLUG in str(item.find("a").get("href")))
    facts = joint.find("p", **{"class": "kb-case-list__meta"})
    assert "with Exampleshire Council 92 and Fictional Integrated Care Board." in facts.text()
    assert {a.get("href") for a in facts.find_all("a")} == {
        "../regions/london/",
        "../categories/tupe/",
    }


def test_term_page_lists_its_case_studies(site: Path) -> None:
    tree = page(site, "categories/tupe")
    assert tree.find("h1").text().rstrip("¶") == "Category: TUPE transfers"
    titles = tree.find("ul", **{"class": "kb-case-list"}).find_all(
        "p", **{"class": "kb-case-list__title"}
    )
    links = {p.find("a").get("href") for p in titles}
    assert links == {f"../../case-studies/{HOSTILE_SLUG}/", f"../../case-studies/{JOINT_SLUG}/"}


def test_term_page_with_no_case_studies_says_so(site: Path) -> None:
    tree = page(site, "categories/reserved-contracts")
    content = main_content(tree)
    assert "There are no published case studies with this category yet." in content.text()
    hrefs = {a.get("href") for a in content.find_all("a")}
    assert {"../../contribute/", "../../share/"} <= hrefs
    # Not a dead end: the newest case studies follow, labelled as not having the term.
    assert "None of these has the category “Reserved contracts”" in content.text()
    listed = tree.find("ul", **{"class": "kb-case-list"})
    assert listed is not None and "Reserved contracts" not in listed.text()


def test_every_term_has_a_page_and_the_indexes_count_them(site: Path) -> None:
    taxonomy = repo_taxonomy()
    for facet, path in (
        ("categories", "categories"),
        ("regions", "regions"),
        ("commissioner_types", "commissioner-types"),
    ):
        index = main_content(page(site, path))
        for term in taxonomy.terms(facet):
            assert (site / path / term.id / "index.html").is_file()
            assert index.find("a", href=f"{term.id}/") is not None
    tupe = next(
        li for li in page(site, "categories").find_all("li") if "TUPE transfers" in li.text()
    )
    assert "(2 case studies)" in tupe.text()


def test_drafts_appear_nowhere(site: Path) -> None:
    assert not (site / "case-studies" / DRAFT_SLUG).exists()
    for path in site.rglob("*"):
        if path.is_file() and path.suffix in {".html", ".json", ".csv", ".xml"}:
            text = path.read_text(encoding="utf-8")
            assert DRAFT_SLUG not in text, path
            assert DRAFT_TITLE not in text, path


def test_json_export_has_every_published_front_matter(site: Path, published: list) -> None:
    document = json.loads((site / "api" / "case-studies.json").read_text(encoding="utf-8"))
    assert document["count"] == len(published)
    records = {record["slug"]: record for record in document["case_studies"]}
    assert set(records) == {case.slug for case in published}
    for case in published:
        record = records[case.slug]
        assert record["url"] == f"{SITE_URL}case-studies/{case.slug}/"
        assert {k: v for k, v in record.items() if k not in ("slug", "url")} == case.meta


def test_csv_export_has_a_row_per_published_case_study(site: Path, published: list) -> None:
    text = (site / "api" / "case-studies.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {row["slug"] for row in rows} == {case.slug for case in published}
    joint = next(row for row in rows if row["slug"] == JOINT_SLUG)
    assert joint["other_commissioner_names"] == "Fictional Integrated Care Board"
    assert joint["categories"] == "tupe"
    hostile = next(row for row in rows if row["slug"] == HOSTILE_SLUG)
    assert hostile["title"] == HOSTILE_TITLE
    assert hostile["source_urls"] == (
        "https://forum.example.org/report?x=1&y=2; https://council.example.org/minutes"
    )


def test_atom_feed_lists_newest_first_with_absolute_addresses(site: Path, published: list) -> None:
    feed = ET.parse(site / "feed.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == len(published)
    dates = [entry.findtext(f"{ATOM}published") for entry in entries]
    assert dates == sorted(dates, reverse=True)
    for entry in entries:
        href = entry.find(f"{ATOM}link").get("href")
        assert href.startswith(SITE_URL + "case-studies/")
        assert entry.findtext(f"{ATOM}id") == href
    assert entries[0].findtext(f"{ATOM}title") == HOSTILE_TITLE  # newest: published 2025-12-30
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == SITE_URL + "feed.xml"


def test_sitemap_lists_generated_pages(site: Path, published: list) -> None:
    sitemap = ET.parse(site / "sitemap.xml").getroot()
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    urls = {loc.text for loc in sitemap.iter(f"{ns}loc")}
    for case in published:
        assert f"{SITE_URL}case-studies/{case.slug}/" in urls
    assert f"{SITE_URL}categories/reserved-contracts/" in urls
    assert f"{SITE_URL}case-studies/{DRAFT_SLUG}/" not in urls


def test_home_page_has_a_search_form_that_works_without_javascript(site: Path) -> None:
    tree = page(site, "")
    form = tree.find("form", action="search/")
    assert form is not None and form.get("method") == "get"
    field = form.find("input", name="q")
    label = form.find("label")
    assert label.get("for") == field.get("id") and label.text()
    latest = tree.find("ul", **{"class": "kb-case-list"})
    assert len(latest.find_all("li")) == 5
    assert latest.find("a").text() == HOSTILE_TITLE
    assert tree.find("a", href="for-providers/") and tree.find("a", href="for-commissioners/")


def test_glossary_has_every_taxonomy_term(site: Path) -> None:
    content = main_content(page(site, "glossary"))
    terms = {dt.text() for dt in content.find_all("dt")}
    taxonomy = repo_taxonomy()
    for facet in ("categories", "regions", "commissioner_types", "service_areas", "sourcing"):
        for term in taxonomy.terms(facet):
            assert term.name in terms


def test_share_page_lists_the_wanted_categories(site: Path) -> None:
    tree = page(site, "share")
    wanted = tree.find("ul", **{"class": "kb-wanted"})
    assert wanted is not None
    taxonomy = repo_taxonomy()
    hrefs = [a.get("href") for a in wanted.find_all("a")]
    assert set(hrefs) == {f"../categories/{t.id}/" for t in taxonomy.categories}
    assert "kb:wanted-categories" not in (site / "share" / "index.html").read_text()


def test_coverage_and_not_found_pages_exist(site: Path) -> None:
    assert page(site, "coverage").find("h1") is not None
    assert (site / "404.html").is_file()
