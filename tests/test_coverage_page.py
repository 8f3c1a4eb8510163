"""The site's /coverage/ page (kb.site.coverage_page.render_coverage_page): accessible tables, the chart's
text alternative, the "case studies wanted" links, the review lists and escaping.

The page is Markdown with HTML blocks; the tests parse its HTML both as written and after
Python-Markdown has rendered it with the extensions the site uses.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest

from kb.content.casestudy import CaseStudy, Collection, case_study_files, load_case_studies
from kb.content.problems import Problem
from kb.content.taxonomy import Taxonomy, Term
from kb.coverage import build_report, compute_coverage, render_json
from kb.site.coverage_page import render_coverage_page
from tests.support import corpus
from tests.support.project import repo_rules, repo_taxonomy

TAXONOMY = repo_taxonomy()
PRIORITY = [term for term in TAXONOMY.categories if term.priority]
OTHER = [term for term in TAXONOMY.categories if not term.priority]
P0, N0 = PRIORITY[0], OTHER[0]
R0, R1 = TAXONOMY.regions[:2]
T0, T1 = TAXONOMY.commissioner_types[:2]
TODAY = dt.date(2026, 6, 15)
CATEGORY_CAPTION = "Published case studies by category, against the number wanted"
VOID = {"br", "img", "input", "meta", "link", "hr", "col", "area", "base", "wbr", "source"}


# ------------------------------------------------------------------------------------------
# A small HTML tree, enough to ask questions of the page
# ------------------------------------------------------------------------------------------


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    children: list[Node | str] = field(default_factory=list)

    def text(self) -> str:
        return " ".join(
            "".join(c if isinstance(c, str) else f" {c.text()} " for c in self.children).split()
        )

    def all(self, tag: str) -> list[Node]:
        found = []
        for child in self.children:
            if isinstance(child, Node):
                if child.tag == tag:
                    found.append(child)
                found.extend(child.all(tag))
        return found

    def by_id(self, element_id: str) -> Node | None:
        for child in self.children:
            if isinstance(child, Node):
                if child.attrs.get("id") == element_id:
                    return child
                inner = child.by_id(element_id)
                if inner:
                    return inner
        return None


class TreeBuilder(HTMLParser):
    """Builds a Node tree and fails on a closing tag that does not match its opening tag."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {key: value or "" for key, value in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(Node(tag, {key: value or "" for key, value in attrs}))

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        assert self.stack[-1].tag == tag, f"</{tag}> closes <{self.stack[-1].tag}>"
        self.stack.pop()

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse(html_text: str) -> Node:
    builder = TreeBuilder()
    builder.feed(html_text)
    builder.close()
    assert builder.stack == [builder.root], "unclosed elements"
    return builder.root


def rendered(page: str) -> str:
    """The page as the site renders it: Python-Markdown with the site's extensions."""
    return markdown.markdown(page, extensions=["tables", "md_in_html", "attr_list", "toc"])


# ------------------------------------------------------------------------------------------
# Fixtures
# ------------------------------------------------------------------------------------------


def write(directory: Path, name: str, index: int, **overrides: object) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    text = corpus.case_study_text(corpus.front_matter(index, TAXONOMY, **overrides))
    (directory / f"{name}.md").write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def collection(tmp_path_factory: pytest.TempPathFactory) -> Collection:
    """Published case studies in P0 and N0, one due for review, one needing an archive
    decision, joint commissioners of types T0 and T1, and a draft that must not be counted.
    Made once for the module: no test changes it."""
    directory = tmp_path_factory.mktemp("coverage") / "case_studies"
    write(
        directory,
        "joint",
        1,
        categories=[P0.id, N0.id],
        region=R0.id,
        commissioner={"name": "Exampleshire Council", "type": T0.id},
        other_commissioners=[{"name": "Exampleshire Health", "type": T1.id}],
    )
    write(
        directory,
        "due",
        2,
        categories=[N0.id],
        region=R1.id,
        commissioner={"name": "Exampleshire Council 2", "type": T0.id},
        published="2025-01-01",
        reviewed="2025-01-01",
    )
    write(
        directory,
        "archive",
        3,
        categories=[N0.id],
        region=R1.id,
        commissioner={"name": "Exampleshire Council 3", "type": T0.id},
        published="2020-01-01",
        reviewed="2020-01-01",
    )
    write(directory, "draft", 4, categories=[P0.id], region=R0.id, status="draft")
    loaded = load_case_studies(case_study_files(directory), repo_rules())
    assert loaded.problems == []
    return loaded


@pytest.fixture(scope="module")
def page(collection: Collection) -> str:
    return render_coverage_page(collection, TAXONOMY, today=TODAY)


@pytest.fixture(scope="module", params=["as written", "rendered"])
def tree(request, page: str) -> Node:
    return parse(page if request.param == "as written" else rendered(page))


def table_by_caption(tree: Node, caption: str) -> Node:
    [table] = [t for t in tree.all("table") if t.all("caption")[0].text() == caption]
    return table


def row_cells(table: Node, row_name: str) -> list[str]:
    for row in table.all("tr"):
        header = row.all("th")[0]
        if header.attrs.get("scope") == "row" and header.text() == row_name:
            return [cell.text() for cell in row.all("td")]
    raise AssertionError(f"no row {row_name!r}")


# ------------------------------------------------------------------------------------------
# Tables
# ------------------------------------------------------------------------------------------


def test_every_table_has_a_caption_and_scoped_non_empty_headers(tree):
    tables = tree.all("table")
    # Four lists (category, region, commissioner type, outcome) and two cross tables.
    assert len(tables) == 6
    for table in tables:
        [caption] = table.all("caption")
        assert caption.text()
        headers = table.all("th")
        assert headers
        for header in headers:
            assert header.attrs.get("scope") in ("col", "row")
            assert header.text(), "empty header cell"
        for row in table.all("tbody")[0].all("tr"):
            assert row.all("th")[0].attrs["scope"] == "row"
        for head_cell in table.all("thead")[0].all("th"):
            assert head_cell.attrs["scope"] == "col"


def test_numbers_are_right_aligned(tree):
    for table in tree.all("table"):
        for cell in table.all("td"):
            if cell.text().isdigit():
                assert "kb-num" in cell.attrs.get("class", "")
                assert "text-align: right" in cell.attrs.get("style", "")


def test_category_table_figures(tree):
    table = table_by_caption(tree, CATEGORY_CAPTION)
    headers = [th.text() for th in table.all("thead")[0].all("th")]
    assert headers == ["Category", "Published", "Wanted minimum", "Priority", "Still needed"]
    gap = max(0, P0.wanted_minimum - 1)
    assert row_cells(table, P0.name) == [
        "1",  # the draft is not counted
        str(P0.wanted_minimum),
        "Yes",
        f"{gap} more" if gap else "None: minimum met",
    ]
    assert row_cells(table, N0.name)[:3] == ["3", str(N0.wanted_minimum), "No"]
    for term in TAXONOMY.categories:  # every category, zeros included
        row_cells(table, term.name)


def test_region_and_commissioner_type_tables(tree):
    regions = table_by_caption(tree, "Published case studies by region")
    assert row_cells(regions, R0.name) == ["1"]
    assert row_cells(regions, R1.name) == ["2"]
    types = table_by_caption(tree, "Published case studies by commissioner type")
    assert row_cells(types, T0.name) == ["3"]
    assert row_cells(types, T1.name) == ["1"]  # the joint commissioner counts for its type


def scroll_box(tree, label: str):
    """The keyboard-reachable scrolling box holding one cross table, found by its name."""
    [box] = [
        div
        for div in tree.all("div")
        if "kb-table-scroll" in div.attrs.get("class", "") and div.attrs["aria-label"] == label
    ]
    return box


def test_category_by_commissioner_type_table_counts_each_type(tree):
    box = scroll_box(tree, "Category by commissioner type table")
    assert box.attrs["tabindex"] == "0"
    [table] = box.all("table")
    columns = [th.text() for th in table.all("thead")[0].all("th")]
    assert columns == ["Category"] + [kind.name for kind in TAXONOMY.commissioner_types]
    assert len(table.all("tbody")[0].all("tr")) == len(TAXONOMY.categories)


def test_matrix_scrolls_on_its_own_and_is_keyboard_reachable(tree):
    box = scroll_box(tree, "Category by region table")
    assert box.attrs["tabindex"] == "0"
    assert box.attrs["role"] == "region"
    assert box.attrs["aria-label"] == "Category by region table"
    assert "overflow-x: auto" in box.attrs["style"]
    [matrix] = box.all("table")
    # a class keeps the theme from wrapping it in a second scrolling box
    assert matrix.attrs.get("class")
    columns = [th.text() for th in matrix.all("thead")[0].all("th")]
    assert columns == ["Category"] + [region.name for region in TAXONOMY.regions]
    assert row_cells(matrix, N0.name)[:2] == ["1", "2"]  # R0, R1
    assert len(matrix.all("tbody")[0].all("tr")) == len(TAXONOMY.categories)


def test_names_link_to_their_pages(tree):
    hrefs = {a.attrs["href"]: a.text() for a in tree.all("a")}
    for term in TAXONOMY.categories:
        assert hrefs[f"../categories/{term.id}/"] == term.name
    for term in TAXONOMY.regions:
        assert hrefs[f"../regions/{term.id}/"] == term.name
    for term in TAXONOMY.commissioner_types:
        assert hrefs[f"../commissioner-types/{term.id}/"] == term.name


def test_page_figures_match_the_command_figures(collection, page):
    """The page and `kb coverage --format json` come from the same counts."""
    data = json.loads(render_json(build_report(collection, TAXONOMY, today=TODAY)))
    tree = parse(page)
    table = table_by_caption(tree, CATEGORY_CAPTION)
    for item in data["categories"]:
        assert row_cells(table, item["name"])[:2] == [
            str(item["published"]),
            str(item["wanted_minimum"]),
        ]
    matrix = next(
        div for div in tree.all("div") if "kb-table-scroll" in div.attrs.get("class", "")
    ).all("table")[0]
    for category in TAXONOMY.categories:
        expected = data["category_by_region"]["published"][category.id]
        assert row_cells(matrix, category.name) == [str(n) for n in expected.values()]


# ------------------------------------------------------------------------------------------
# The chart
# ------------------------------------------------------------------------------------------


def bar_chart(tree):
    """The chart of case studies per category (the page also has a heat map)."""
    [svg] = [
        svg
        for svg in tree.all("svg")
        if svg.attrs.get("aria-labelledby") == "kb-coverage-chart-title kb-coverage-chart-desc"
    ]
    return svg


def test_chart_is_an_image_whose_text_alternative_states_the_figures(tree):
    svg = bar_chart(tree)
    assert svg.attrs["role"] == "img"
    ids = svg.attrs["aria-labelledby"].split()
    [title] = svg.all("title")
    [desc] = svg.all("desc")
    assert [title.attrs["id"], desc.attrs["id"]] == ids
    assert "wanted minimum" in title.text()
    coverage_text = desc.text()
    assert f"{P0.name}, a priority: 1 published, {P0.wanted_minimum} wanted" in coverage_text
    assert f"{N0.name}: 3 published, {N0.wanted_minimum} wanted" in coverage_text
    for term in TAXONOMY.categories:
        assert term.name in coverage_text


def test_chart_follows_the_theme_and_the_page_width(tree):
    assert len(tree.all("svg")) == 2  # the bar chart and the heat map
    for chart in tree.all("svg"):
        for element in [chart, *(n for tag in ("g", "rect", "text") for n in chart.all(tag))]:
            for attribute in ("fill", "stroke"):
                if attribute in element.attrs:
                    assert element.attrs[attribute] == "currentColor"
    svg = bar_chart(tree)
    assert svg.attrs["width"] == "100%"
    assert re.fullmatch(r"0 0 \d+ \d+", svg.attrs["viewbox"])
    for element in [svg, *(n for tag in ("g", "rect", "line", "text") for n in svg.all(tag))]:
        for attribute in ("fill", "stroke"):
            if attribute in element.attrs:
                assert element.attrs[attribute] == "currentColor"
    # one bar per category, and a wanted-minimum mark for each
    assert len(svg.all("rect")) == len(TAXONOMY.categories)
    dashed = [line for line in svg.all("line") if "stroke-dasharray" in line.attrs]
    assert len(dashed) == len(TAXONOMY.categories)


def test_zero_bars_are_still_drawn():
    coverage = compute_coverage([], TAXONOMY)
    from kb.site.coverage_page import render_chart

    widths = re.findall(r'<rect [^>]*width="([\d.]+)"', render_chart(coverage))
    assert widths and all(float(width) >= 2 for width in widths)


# ------------------------------------------------------------------------------------------
# Case studies wanted, and review lists
# ------------------------------------------------------------------------------------------


def test_every_gap_links_to_the_contribute_page_with_its_category(collection, tree):
    coverage = compute_coverage(collection.case_studies, TAXONOMY)
    links = {a.attrs["href"]: a.text() for a in tree.all("a")}
    wanted = [href for href in links if href.startswith("../contribute/")]
    assert len(wanted) == len(coverage.gaps) > 0
    for count in coverage.gaps:
        href = f"../contribute/?category={count.term.id}"
        assert links[href] == f"Share a case study about {count.term.name}"
    for count in coverage.categories:
        if not count.gap:
            assert f"../contribute/?category={count.term.id}" not in links


def test_priority_gaps_come_first_in_the_wanted_list(page):
    section = page.split("## Case studies wanted", 1)[1].split("\n## ", 1)[0]
    items = parse(section).all("li")
    priorities = ["a priority" in item.text() for item in items]
    assert priorities == sorted(priorities, reverse=True)


def test_review_lists(tree, page):
    due = page.split("## Due for review", 1)[1].split("\n## ", 1)[0]
    archive = page.split("## Archive decision needed", 1)[1]
    assert '<a href="../case-studies/due/">Fictional case study 2' in due
    assert "last reviewed 1 January 2025" in due
    assert "archive" not in parse(due).text()
    assert '<a href="../case-studies/archive/">' in archive
    assert "last reviewed 1 January 2020" in archive


def test_no_gaps_and_nothing_to_review(tmp_path):
    directory = tmp_path / "cs"
    index = 0
    for term in TAXONOMY.categories:
        for number in range(term.wanted_minimum):
            index += 1
            write(directory, f"{term.id}-{number}", index, categories=[term.id])
    page = render_coverage_page(
        load_case_studies(case_study_files(directory), repo_rules()), TAXONOMY, TODAY
    )
    assert "../contribute/" not in page
    assert "Every category has at least the number of case studies coordinators want" in page
    assert page.count("<p>None.</p>") == 2


def test_files_not_counted_are_mentioned(collection):
    broken = Collection(
        case_studies=collection.case_studies,
        problems=[Problem("case_studies/x.md", 3, "region", "must be one of …")],
    )
    page = render_coverage_page(broken, TAXONOMY, TODAY)
    assert "1 case-study file has problems and is not counted here" in page


# ------------------------------------------------------------------------------------------
# Escaping: names and titles come from data files
# ------------------------------------------------------------------------------------------


def test_every_value_from_data_files_is_escaped():
    nasty = '<script>alert("x")</script> & "quotes"'
    category = Term(id="odd", name=f"Category {nasty}", description="d", wanted_minimum=2)
    region = Term(id="somewhere", name=f"Region {nasty}", description="d")
    kind = Term(id="body", name=f"Type {nasty}", description="d")
    taxonomy = Taxonomy(
        facets=TAXONOMY.facets,
        lists={
            **TAXONOMY.lists,
            "categories": (category,),
            "regions": (region,),
            "commissioner_types": (kind,),
        },
    )
    meta = corpus.front_matter(
        1,
        TAXONOMY,
        title=f"Title {nasty}",
        categories=["odd"],
        region="somewhere",
        commissioner={"name": "C", "type": "body"},
        published="2020-01-01",
        reviewed="2020-01-01",
    )
    case = CaseStudy("slug", Path("slug.md"), meta, "")
    page = render_coverage_page(Collection(case_studies=[case]), taxonomy, TODAY)
    assert "<script" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;quotes&quot;" in page
    tree = parse(page)
    texts = tree.text()
    for name in (category.name, region.name, kind.name, f"Title {nasty}"):
        assert name in texts
    assert f"Share a case study about {category.name}" in texts


def test_heat_map_of_categories_by_region_says_every_figure_in_words(collection):
    from kb.site.coverage_page import heatmap_description, render_heatmap

    coverage = compute_coverage(collection.case_studies, TAXONOMY)
    svg = render_heatmap(coverage)
    assert 'role="img"' in svg and 'aria-labelledby="kb-heatmap-title kb-heatmap-desc"' in svg
    words = heatmap_description(coverage)
    for category, cells in coverage.matrix.items():
        assert category.name in words
        for cell in cells:
            if cell.published:
                assert f"{cell.term.name} {cell.published}" in words
    assert f"{R1.name} 2" in words  # two published case studies in N0 and R1
    # One square per category and region.
    assert svg.count("<rect ") == len(TAXONOMY.categories) * len(TAXONOMY.regions)
