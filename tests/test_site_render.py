"""The site's pure rendering functions, called directly: no mkdocs build needed."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from pathlib import Path

import markdown
import pytest

from htmltree import parse
from kb.build import check_export, check_pages
from kb.content.casestudy import CaseStudy
from kb.content.dates import partial_date
from kb.site import exports, listings
from kb.site.case_study import render_case_study
from kb.site.catalogue import RELATED_LIMIT, build_catalogue
from kb.site.citations import sources_section
from kb.site.exports import JSON_PATH
from kb.site.glossary import glossary
from kb.site.markers import expand_markers
from kb.site.markup import markdown_text, relative_url
from kb.site.resources import resource_list
from kb.site.safe_markdown import SafeMarkdown
from kb.site.search_markup import search_markers
from tests.support.corpus import front_matter
from tests.support.project import ROOT, repo_taxonomy

SITE = "https://example.org/kb/"


def case(index: int, **overrides: object) -> CaseStudy:
    """A fictional case study built in memory, bypassing the validator on purpose."""
    slug = overrides.pop("slug", f"case-{index}")
    meta = front_matter(index, **overrides)
    return CaseStudy(str(slug), Path(f"{slug}.md"), meta, "## Body\n\nText.\n")


@pytest.mark.parametrize(
    ("start", "target", "expected"),
    [
        ("", "case-studies/", "case-studies/"),
        ("case-studies/x/", "categories/tupe/", "../../categories/tupe/"),
        ("case-studies/x/", "", "../../"),
        ("case-studies/", "case-studies/x/", "x/"),
        ("share/", "contribute/", "../contribute/"),
        ("", "", "./"),
        ("glossary/", "glossary/#term-tupe", "./#term-tupe"),
    ],
)
def test_relative_url(start: str, target: str, expected: str) -> None:
    assert relative_url(start, target) == expected


def test_markdown_text_escapes_html_and_markdown() -> None:
    rendered = markdown.markdown("## " + markdown_text("<b>*Not* [a link](x)</b> & co"))
    assert parse(rendered).find("h2").text() == "<b>*Not* [a link](x)</b> & co"


@pytest.mark.parametrize(
    ("value", "shown"),
    [("2019", "2019"), ("2019-04", "April 2019"), ("2024-11-05", "5 November 2024")],
)
def test_partial_date(value: str, shown: str) -> None:
    assert partial_date(value) == shown


HOSTILE_BODY = """\
## How they worked together

<script>alert(1)</script>

Text with <img src=x onerror=alert(2)> inline, and <b>bold</b>.

<div markdown>**inside**</div>

A paragraph with an attribute list.
{: onclick="alert(3)" }

`<code>` stays code.
"""


def convert(text: str, active: bool) -> str:
    extensions = ["toc", "tables", "admonition", "attr_list", "md_in_html", "def_list"]
    return markdown.markdown(text, extensions=[*extensions, SafeMarkdown(active=active)])


def test_safe_markdown_shows_raw_html_as_text() -> None:
    html = convert(HOSTILE_BODY, active=True)
    tree = parse(html)
    assert tree.find_all("script") == []
    assert tree.find_all("img") == []
    assert tree.find_all("b") == []
    assert tree.find_all("div") == []
    assert not [e for e in tree.iter() if "onclick" in e.attrs]
    assert "<script>alert(1)</script>" in tree.text()
    assert "<img src=x onerror=alert(2)>" in tree.text()
    assert tree.find("code").text() == "<code>"


def test_safe_markdown_inactive_leaves_other_pages_alone() -> None:
    tree = parse(convert("<b>bold</b>\n\nText\n{: .note }\n", active=False))
    assert tree.find("b") is not None
    assert tree.find("p", **{"class": "note"}) is not None


def test_case_study_parts_escape_every_value() -> None:
    taxonomy = repo_taxonomy()
    hostile = case(
        1,
        title='<script>x</script> "t"',
        summary="<i>s</i>",
        dpulo={"name": '"><script>y</script>', "website": 'https://e.org/"onmouseover="z'},
        sources=[{"title": "<t>", "publisher": "<p>", "url": 'https://e.org/"><x>'}],
    )
    parts = render_case_study(hostile, taxonomy, related=(), edit_url='https://g/"e')
    tree = parse(parts.before + parts.after)
    assert tree.find_all("script") == [] and tree.find_all("i") == [] and tree.find_all("x") == []
    assert tree.find("h1").text() == '<script>x</script> "t"'
    website = tree.find("aside").find("a")
    assert website.get("href") == 'https://e.org/"onmouseover="z'
    assert "onmouseover" not in website.attrs
    assert tree.find("li", id="source-1").find("a").get("href") == 'https://e.org/"><x>'
    assert parts.anchors >= {"key-facts", "source-1"}


def test_search_markers_keep_quotes_and_commas_inside_the_value() -> None:
    taxonomy = repo_taxonomy()
    marked = case(2, dpulo={"name": 'A "quoted", comma: name'})
    tree = parse(search_markers(marked, taxonomy))
    assert tree.find(data_pagefind_meta='dpulo:A "quoted", comma: name') is not None
    assert tree.find("div").get("hidden") is not None or "hidden" in tree.find("div").attrs


def test_related_is_capped_and_ranked_by_shared_categories() -> None:
    taxonomy = repo_taxonomy()
    cases = [case(i, categories=["tupe"], published=f"2025-01-{i:02d}") for i in range(1, 10)]
    cases.append(case(20, categories=["tupe", "section-106"], published="2024-01-01"))
    cases.append(case(21, categories=["tupe", "section-106"], published="2024-02-01"))
    catalogue = build_catalogue(cases, taxonomy)
    related = catalogue.related["case-20"]
    assert len(related) == RELATED_LIMIT
    assert related[0].slug == "case-21"  # shares two categories
    assert [c.slug for c in related[1:]] == ["case-9", "case-8", "case-7", "case-6"]


def test_catalogue_leaves_out_drafts_and_orders_newest_first() -> None:
    taxonomy = repo_taxonomy()
    cases = [
        case(1, published="2025-01-01"),
        case(2, published="2025-03-01"),
        case(3, status="draft", published="2025-05-01"),
    ]
    catalogue = build_catalogue(cases, taxonomy)
    assert [c.slug for c in catalogue.published] == ["case-2", "case-1"]
    assert all(c.slug != "case-3" for cs in catalogue.by_term["regions"].values() for c in cs)


def test_term_page_with_none_says_so_and_links_to_contribute() -> None:
    taxonomy = repo_taxonomy()
    catalogue = build_catalogue([], taxonomy)
    text = listings.term_page("regions", taxonomy.term("regions", "wales"), catalogue, taxonomy)
    tree = parse(markdown.markdown(text))
    assert "There are no published case studies with this region yet." in tree.text()
    assert tree.find("a", href="../../contribute/") and tree.find("a", href="../../share/")


def test_markers_are_expanded_and_unknown_ones_reported() -> None:
    text = "Intro\n\n<!-- kb:hello world -->\n\n<!-- kb:nope -->\n<!-- kb:bad x -->\n"

    def bad(argument: str) -> str:
        raise ValueError(f"unknown {argument}")

    out, problems = expand_markers(text, {"hello": lambda arg: f"<p>{arg}</p>", "bad": bad})
    assert "<p>world</p>" in out and "<!-- kb:hello" not in out
    assert problems == [
        "unknown marker <!-- kb:nope -->; the markers are <!-- kb:hello -->, <!-- kb:bad -->",
        "marker <!-- kb:bad x -->: unknown x",
    ]


def test_resource_list_groups_by_topic_in_taxonomy_order() -> None:
    taxonomy = repo_taxonomy()
    record = {
        "id": "r",
        "publisher": "P <x>",
        "year": "2023",
        "url": "https://e.org/",
        "description": "What it is <b>for</b>.",
        "checked": "2026-01-02",
    }
    records = [
        {**record, "title": "B", "audience": ["providers"], "topic": "evidencing-social-value"},
        {**record, "title": "A", "audience": ["providers"], "topic": "co-production"},
        {**record, "title": "C", "audience": ["commissioners"], "topic": "co-production"},
    ]
    tree = parse(markdown.markdown(resource_list(records, "providers", taxonomy)))
    assert [h.text() for h in tree.find_all("h2")] == ["Co-production", "Evidencing social value"]
    assert [a.text() for a in tree.find_all("a")] == ["A", "B"]
    assert "P <x>, 2023. What it is <b>for</b>." in tree.text()
    assert "Link checked 2 January 2026." in tree.text()
    with pytest.raises(ValueError, match="unknown audience"):
        resource_list(records, "everyone", taxonomy)


def test_glossary_lists_acronyms_and_every_facet() -> None:
    taxonomy = repo_taxonomy()
    acronyms = [{"term": "TUPE", "expansion": "Transfer of <Undertakings>", "description": "D."}]
    tree = parse(markdown.markdown(glossary(acronyms, taxonomy)))
    assert tree.find("dt", id="term-tupe").text() == "TUPE: Transfer of <Undertakings>"
    assert tree.find("dt", id="region-london").text() == "London"
    # The acronyms, then one heading for each list in the taxonomy.
    assert len(tree.find_all("h2")) == 1 + len(taxonomy.facets)


def test_csv_keeps_spreadsheet_formulas_as_text() -> None:
    text = exports.case_studies_csv([case(1, title="=HYPERLINK(1)")], SITE, repo_taxonomy())
    row = next(csv.DictReader(io.StringIO(text)))
    assert row["title"] == "'=HYPERLINK(1)"
    assert row["url"] == "https://example.org/kb/case-studies/case-1/"


def test_feed_is_limited_to_the_newest() -> None:
    cases = [case(i, published=f"2025-01-{i:02d}") for i in range(1, 6)]
    feed = exports.atom_feed(
        cases, site_url=SITE, site_name="KB <&>", taxonomy=repo_taxonomy(), limit=2
    )
    root = ET.fromstring(feed)
    ns = "{http://www.w3.org/2005/Atom}"
    assert [e.findtext(f"{ns}id") for e in root.findall(f"{ns}entry")] == [
        f"{SITE}case-studies/case-5/",
        f"{SITE}case-studies/case-4/",
    ]
    assert root.findtext(f"{ns}title") == "KB <&>: case studies"
    assert root.findtext(f"{ns}updated") == "2025-12-31T00:00:00Z"


def test_checks_name_missing_extra_and_export_mismatches(tmp_path: Path) -> None:
    for slug in ("a", "extra"):
        (tmp_path / "case-studies" / slug).mkdir(parents=True)
        (tmp_path / "case-studies" / slug / "index.html").write_text("x")
    (tmp_path / "api").mkdir()
    (tmp_path / "api" / "case-studies.json").write_text('{"case_studies": [{"slug": "a"}]}')
    published = {"a", "b"}
    assert check_pages(tmp_path, published) + check_export(tmp_path / JSON_PATH, published) == [
        "case-studies/: no page was built for these published case studies: b",
        "case-studies/: pages were built for case studies that are not published: extra",
        "api/case-studies.json leaves out these published case studies: b",
    ]


def test_sources_section_lists_cited_ids_and_reports_unknown_ones() -> None:
    bibliography = {
        "act": {"id": "act", "title": "An <Act>", "publisher": "UK", "url": "https://l.example/"},
        "seed": {
            "id": "seed",
            "title": "A note",
            "publisher": "P",
            "date": "2018-11",
            "note": "N.",
        },
    }
    meta = {"sources": ["seed", "act", "missing"], "last_reviewed": "2026-11-25"}
    text, unknown = sources_section(meta, bibliography)
    tree = parse(markdown.markdown(text))
    assert tree.find("h2").text() == "Sources"
    assert [li.get("id") for li in tree.find_all("li")] == ["cite-seed", "cite-act"]
    assert tree.find("li", id="cite-seed").text() == "A note. P, November 2018. N."
    assert tree.find("a").text() == "An <Act>"
    assert tree.find("time").get("datetime") == "2026-11-25"
    assert unknown == ["sources: 'missing' is not an id in data/sources.yml or data/resources.yml"]
    assert sources_section({"sources": "seed", "last_reviewed": "2026-11-25"}, bibliography) == (
        None,
        [],
    )


def test_markdown_tables_get_a_named_focusable_box() -> None:
    from kb.site.markup import focusable_tables

    html = markdown.markdown(
        "| Route | <When> |\n|---|---|\n| Grant | Often |", extensions=["tables"]
    )
    tree = parse(focusable_tables(html))
    box = tree.find("div", **{"class": "kb-table-wrap kb-scroll-region"})
    assert box is not None and box.get("tabindex") == "0" and box.get("role") == "region"
    assert box.get("aria-label") == "Table: Route"
    assert box.find("table") is not None
    # Tables written by the site itself (with a class) are left as they are.
    assert focusable_tables('<table class="x"><tr><th>A</th></tr></table>').startswith("<table")


def test_a_term_with_none_shows_its_related_terms_case_studies_first() -> None:
    from dataclasses import replace

    from kb.site.catalogue import build_catalogue
    from kb.site.listings import term_page

    taxonomy = repo_taxonomy()
    tupe = replace(taxonomy.term("categories", "tupe"), related=("new-service-areas",))
    cases = [
        case(1, categories=["value-for-money"], published="2026-03-01"),
        case(2, categories=["new-service-areas"], published="2026-01-01"),
    ]
    catalogue = build_catalogue(cases, taxonomy)
    page = term_page("categories", tupe, catalogue, taxonomy)
    nearest = page[page.index("## Other case studies") :]
    assert "the nearest category: “New service areas and failing services”" in nearest
    assert "case-2" in nearest and "case-1" not in nearest
    # Without related terms, the newest of all, said as such.
    plain = term_page("categories", replace(tupe, related=()), catalogue, taxonomy)
    assert "they are the newest published case studies" in plain


def test_related_must_name_ids_of_the_same_list(tmp_path) -> None:
    import pytest

    from kb.content.taxonomy import TaxonomyError, load_taxonomy

    text = (ROOT / "data" / "taxonomy.yml").read_text(encoding="utf-8")
    broken = tmp_path / "taxonomy.yml"
    broken.write_text(
        text.replace("    related: [new-service-areas]", "    related: [no-such-category]", 1),
        encoding="utf-8",
    )
    with pytest.raises(TaxonomyError) as error:
        load_taxonomy(broken)
    assert "related names 'no-such-category', which is not an id in 'categories'" in str(
        error.value
    )


def test_generated_html_is_set_aside_from_markdown_and_put_back_unchanged() -> None:
    """Listing pages keep their headings in Markdown (for the table of contents); the HTML the
    build wrote goes around the Markdown parser and comes back exactly as written."""
    from markdown import Markdown

    from kb.site.markup import element_ids, put_back_html, set_aside_html

    html_list = (
        '<ul class="kb-case-list">\n<li id="a&amp;b">*not emphasis* [not a link](x)</li>\n</ul>'
    )
    page = f"# Case studies\n\n<p>Intro &amp; more.</p>\n\n## Published in 2026\n\n{html_list}\n"
    markdown, blocks = set_aside_html(page)
    assert blocks == ["<p>Intro &amp; more.</p>", html_list + "\n"]
    assert "<ul" not in markdown and "## Published in 2026" in markdown
    rendered = put_back_html(Markdown(extensions=["toc"]).convert(markdown), blocks)
    assert '<h2 id="published-in-2026">Published in 2026</h2>' in rendered
    assert html_list in rendered and "<p>Intro &amp; more.</p>" in rendered
    assert "<em>" not in rendered and "kb-set-aside" not in rendered
    assert element_ids(blocks) == {"a&b"}


def test_every_name_column_in_the_csv_is_filled_when_its_id_column_is() -> None:
    """A spreadsheet reader sees the names readers see: each `x_name` (or `x_names`) column
    holds the names of the ids in its `x` column, outcome and sourcing included."""
    taxonomy = repo_taxonomy()
    outcome, sourcing = taxonomy.ids("outcomes")[0], taxonomy.ids("sourcing")[0]
    text = exports.case_studies_csv(
        [case(1, outcome=outcome, sourcing=sourcing)], SITE, repo_taxonomy()
    )
    row = next(csv.DictReader(io.StringIO(text)))
    assert row["outcome_name"] == taxonomy.name("outcomes", outcome)
    assert row["sourcing_name"] == taxonomy.name("sourcing", sourcing)
    pairs = {
        "commissioner_type_name": "commissioner_type",
        "other_commissioner_type_names": "other_commissioner_types",
        "region_name": "region",
        "category_names": "categories",
        "service_area_names": "service_areas",
        "sourcing_name": "sourcing",
        "outcome_name": "outcome",
    }
    organisations = {"dpulo_name", "commissioner_name", "other_commissioner_names"}
    assert {c for c in row if c.endswith(("_name", "_names"))} == set(pairs) | organisations
    for name_column, id_column in pairs.items():
        assert bool(row[name_column]) == bool(row[id_column]), name_column
