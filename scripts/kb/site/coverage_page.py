"""The site's /coverage/ page: the coverage report (kb.coverage) as tables and an SVG chart."""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Sequence
from urllib.parse import quote

from kb.content.casestudy import CaseStudy, Collection
from kb.content.dates import format_date, full_date
from kb.content.taxonomy import Taxonomy, Term
from kb.coverage import Coverage, Report, TermCount, build_report
from kb.site.catalogue import CONTRIBUTE_URL, case_url, term_url
from kb.site.markup import esc as _e
from kb.site.markup import link as _link
from kb.site.markup import plural, relative_url
from kb.site.share_form import share_form_url

#: Where the page lives, for relative links.
HERE = "coverage/"
#: Where coordinators record where they looked for case studies.
RESEARCH_LOG_URL = "maintainers/research-log/"


def _term_link(taxonomy: Taxonomy, facet: str, term: Term) -> str:
    return _link(relative_url(HERE, term_url(taxonomy.facet(facet), term.id)), term.name)


#: The matrices are styled inline, so they read and scroll properly whatever the stylesheet: they
#: have a class, so the theme neither styles them nor wraps them in a second scrolling box.
_MATRIX_CELL = (
    "padding: 0.3em 0.35em; border: 1px solid var(--md-default-fg-color--lighter, #6b6b6b)"
)
_MATRIX_STYLES = {
    "table": "border-collapse: collapse; font-size: 0.7em; margin: 0; line-height: 1.3",
    "caption": "text-align: left; padding: 0.4em 0",
    "col": f"{_MATRIX_CELL}; text-align: left; vertical-align: bottom; "
    "word-break: normal; overflow-wrap: normal",
    "corner": f"{_MATRIX_CELL}; text-align: left; vertical-align: bottom",
    "row": f"{_MATRIX_CELL}; min-width: 9em; text-align: left",
    "num": f"{_MATRIX_CELL}; text-align: right",
}
#: Numbers line up on the right whatever the stylesheet; the class is a hook for the theme.
_PLAIN_STYLES = {"num": "text-align: right"}


def _html_table(
    caption: str,
    headers: Sequence[str],
    rows: Sequence[tuple[str, Sequence[tuple[str, bool]]]],
    styles: dict[str, str] = _PLAIN_STYLES,
) -> list[str]:
    """An accessible table: a caption, column headers with scope="col", and each row headed by
    a <th scope="row">. Cells are (HTML, is_number). Callers escape the HTML they pass."""

    def style(part: str) -> str:
        return f' style="{styles[part]}"' if part in styles else ""

    head = "".join(
        f'<th scope="col"{style("col" if i else "corner")}>{_e(header)}</th>'
        for i, header in enumerate(headers)
    )
    body = [
        f'<tr><th scope="row"{style("row")}>{row_header}</th>'
        + "".join(
            f'<td class="kb-num"{style("num")}>{cell}</td>' if number else f"<td>{cell}</td>"
            for cell, number in cells
        )
        + "</tr>"
        for row_header, cells in rows
    ]
    table = (
        f'<table class="kb-coverage-matrix"{style("table")}>' if "table" in styles else "<table>"
    )
    return [
        table,
        f"<caption{style('caption')}>{_e(caption)}</caption>",
        f"<thead><tr>{head}</tr></thead>",
        "<tbody>",
        *body,
        "</tbody>",
        "</table>",
    ]


def _facet_table(report: Report, facet: str) -> str:
    taxonomy = report.taxonomy
    headers = [taxonomy.facet(facet).label, "Published"]
    if facet == "categories":
        headers += ["Wanted minimum", "Priority", "Still needed"]
    rows = []
    for count in report.coverage.by_facet(facet):
        cells: list[tuple[str, bool]] = [(str(count.published), True)]
        if facet == "categories":
            cells += [
                (str(count.wanted_minimum), True),
                ("Yes" if count.priority else "No", False),
                (f"{count.gap} more" if count.gap else "None: minimum met", False),
            ]
        rows.append((_term_link(taxonomy, facet, count.term), cells))
    caption = f"Published case studies by {taxonomy.facet(facet).noun}"
    if facet == "categories":
        caption += ", against the number wanted"
    return "\n".join(_html_table(caption, headers, rows))


def _cross_table(taxonomy: Taxonomy, facet: str, matrix: dict[Term, tuple[TermCount, ...]]) -> str:
    """Published case studies in each category (rows) with each term of another list (columns).

    It fits the text column at 1280 pixels: small type, and column headings that wrap between
    words. The column headings are plain text (the tables above link every term): links that
    narrow would be too small a target to tap. On narrower screens it scrolls sideways in a box
    that takes keyboard focus (so the arrow keys scroll it) and is named for screen readers.
    Styled inline, so it reads and scrolls properly whatever the stylesheet.
    """
    noun = taxonomy.facet(facet).noun
    caption = f"Published case studies by category (rows) and {noun} (columns)"
    headers = [taxonomy.facet("categories").label, *(term.name for term in taxonomy.terms(facet))]
    rows = [
        (_term_link(taxonomy, "categories", category), [(str(c.published), True) for c in cells])
        for category, cells in matrix.items()
    ]
    return "\n".join(
        [
            '<div class="kb-table-scroll" tabindex="0" role="region" '
            # No taller than the screen, so focusing it never leaves its top under the header.
            f'aria-label="Category by {_e(noun)} table" style="overflow-x: auto; overflow-y: auto; '
            'max-height: 75vh">',
            *_html_table(caption, headers, rows, _MATRIX_STYLES),
            "</div>",
        ]
    )


def chart_description(coverage: Coverage) -> str:
    """The chart's text alternative: every category's figures, in words."""
    parts = []
    for count in coverage.categories:
        priority = ", a priority" if count.priority else ""
        need = f"needs {count.gap} more" if count.gap else "minimum met"
        parts.append(
            f"{count.term.name}{priority}: {count.published} published, "
            f"{count.wanted_minimum} wanted, {need}."
        )
    return " ".join(parts)


def render_chart(coverage: Coverage) -> str:
    """A horizontal bar chart of published case studies per category, as inline SVG.

    Each category's name is written above its bar, and its figures ("2 (wanted 3)") after
    it; a dashed line crossing the bar marks the wanted minimum. Text, bars and marks are drawn
    in currentColor, so they take the page's text colour and keep its contrast (4.5:1 or more)
    in light and dark schemes; the mark has a halo in the page background colour so it shows
    on top of a bar. The width follows the page (viewBox, width 100%). The text alternative
    (<title> and <desc>, named by aria-labelledby) states every figure.
    """
    width, left, font, line_height, bar_height = 360, 4, 14, 18, 14
    figures_width = 96  # room after the longest bar for "12 (wanted 3)"
    bar_width = width - left - figures_width
    scale_max = max(
        [1]
        + [count.published for count in coverage.categories]
        + [count.wanted_minimum or 0 for count in coverage.categories]
    )
    parts: list[str] = []
    y = 4
    for count in coverage.categories:
        name = count.term.name + (" (priority)" if count.priority else "")
        for line in textwrap.wrap(name, 44):
            y += line_height
            parts.append(f'<text x="{left}" y="{y}" font-size="{font}">{_e(line)}</text>')
        y += 7
        # A zero is still drawn, as a thin upright line at the start, so no row looks empty.
        length = max(2.0, bar_width * count.published / scale_max)
        parts.append(
            f'<rect x="{left}" y="{y}" width="{length:.1f}" height="{bar_height}"'
            ' fill="currentColor"/>'
        )
        mark = left + bar_width * (count.wanted_minimum or 0) / scale_max
        top, bottom = y - 4, y + bar_height + 4
        line_at = f'x1="{mark:.1f}" y1="{top}" x2="{mark:.1f}" y2="{bottom}"'
        parts.append(
            f'<line {line_at} stroke-width="6" '
            'style="stroke: var(--md-default-bg-color, #ffffff)"/>'
        )
        parts.append(
            f'<line {line_at} stroke="currentColor" stroke-width="2" stroke-dasharray="4 2"/>'
        )
        figures_x = max(left + length, mark + 3) + 6
        parts.append(
            f'<text x="{figures_x:.1f}" y="{y + bar_height - 2}" font-size="{font}">'
            f"{count.published} (wanted {count.wanted_minimum})</text>"
        )
        y += bar_height + 12
    return _svg(
        "kb-coverage-chart",
        f"{width} {y}",
        "27em",
        "Chart: published case studies per category, with the wanted minimum marked",
        chart_description(coverage),
        parts,
    )


def _svg(name: str, size: str, max_width: str, title: str, desc: str, parts: list[str]) -> str:
    """An inline SVG chart as an image whose name is `title` and whose description is `desc`."""
    return "\n".join(
        [
            '<div class="kb-coverage-chart">',
            f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {size}" '
            f'width="100%" style="max-width: {max_width}; height: auto" '
            f'aria-labelledby="{name}-title {name}-desc">',
            f'<title id="{name}-title">{_e(title)}</title>',
            f'<desc id="{name}-desc">{_e(desc)}</desc>',
            '<g fill="currentColor">',
            *parts,
            "</g>",
            "</svg>",
            "</div>",
        ]
    )


def heatmap_description(coverage: Coverage) -> str:
    """The heat map's text alternative: for each category, the regions that have case studies."""
    parts = []
    for category, cells in coverage.matrix.items():
        found = [f"{cell.term.name} {cell.published}" for cell in cells if cell.published]
        parts.append(f"{category.name}: {', '.join(found) if found else 'none in any region'}.")
    return " ".join(parts)


def render_heatmap(coverage: Coverage) -> str:
    """Categories (rows) by regions (columns) as an inline SVG heat map, read at a glance.

    Each cell is shaded by its count (darker is more; an empty cell is only outlined) and shows
    the number. Shapes and text use currentColor and the page's background colour, so the map
    keeps its contrast in light and dark schemes. Region names are written at a slant above
    their columns. The text alternative (<title> and <desc>) names every non-empty cell; the
    table below gives the same figures.
    """
    label_width, cell, head, font = 236, 24, 132, 12
    # Room on the right for the last region names, which slant up and to the right.
    slant_room = 96
    regions = [count.term for count in coverage.regions]
    most = max([1] + [c.published for cells in coverage.matrix.values() for c in cells])
    width = label_width + cell * len(regions) + slant_room
    parts: list[str] = []
    for column, region in enumerate(regions):
        x = label_width + column * cell + cell / 2
        parts.append(
            f'<text x="{x:.1f}" y="{head - 6}" font-size="{font}" '
            f'transform="rotate(-55 {x:.1f} {head - 6})">{_e(region.name)}</text>'
        )
    y = head
    for category, cells in coverage.matrix.items():
        name = category.name if len(category.name) <= 36 else category.name[:35] + "…"
        parts.append(f'<text x="2" y="{y + cell - 8}" font-size="{font}">{_e(name)}</text>')
        for column, found in enumerate(cells):
            x = label_width + column * cell
            # Two bands of shade, light below half the largest count and dark from half up, so
            # the number on each square keeps its contrast in light and dark schemes alike.
            share = found.published / most
            dark = share >= 0.5
            shade = (0.8 + 0.2 * share if dark else 0.15 + 0.2 * share) if found.published else 0
            parts.append(
                f'<rect x="{x + 1}" y="{y + 1}" width="{cell - 2}" height="{cell - 2}" '
                f'fill="currentColor" fill-opacity="{shade:.2f}" '
                'stroke="currentColor" stroke-opacity="0.4"/>'
            )
            if found.published:
                style = ' style="fill: var(--md-default-bg-color, #ffffff)"' if dark else ""
                parts.append(
                    f'<text x="{x + cell / 2:.1f}" y="{y + cell - 8}" font-size="{font}" '
                    f'text-anchor="middle"{style}>{found.published}</text>'
                )
        y += cell
    return _svg(
        "kb-heatmap",
        f"{width} {y + 4}",
        "44em",
        "Chart: published case studies by category (rows) and region (columns)",
        heatmap_description(coverage),
        parts,
    )


def _ul(items: list[str]) -> str:
    return "\n".join(["<ul>", *(f"<li>{item}</li>" for item in items), "</ul>"])


def _wanted_list(coverage: Coverage, repo_url: str | None = None) -> str:
    if not coverage.gaps:
        return "<p>Every category has at least the number of case studies coordinators want.</p>"
    items = []
    # Priority categories first, each group in taxonomy order.
    for count in sorted(coverage.gaps, key=lambda c: not c.priority):
        priority = "a priority; " if count.priority else ""
        form = share_form_url(repo_url, "categories", count.term)
        # The contribute page with the category chosen.
        url = f"{relative_url(HERE, CONTRIBUTE_URL)}?category={quote(count.term.id)}"
        items.append(
            f"{_link(url, f'Share a case study about {count.term.name}')}"
            f" ({priority}{count.published} published, {count.wanted_minimum} wanted: "
            f"needs {count.gap} more)"
            + (f" · {_link(form, 'Share one through the form')}" if form else "")
        )
    return _ul(items)


def _empty_regions(report: Report, repo_url: str | None) -> str:
    """The regions with no published case study, each with a link to the GitHub form with the
    region already chosen; nothing without a repository address or when every region has one."""
    items = [
        f"{_term_link(report.taxonomy, 'regions', count.term)}: "
        f"{_link(form, 'Share one through the form')}"
        for count in report.coverage.regions
        if not count.published and (form := share_form_url(repo_url, "regions", count.term))
    ]
    if not items:
        return ""
    return (
        "<p>No published case studies yet from these regions. Each link opens our case "
        f"study form on GitHub with the region already chosen.</p>\n{_ul(items)}"
    )


def _stale_list(cases: tuple[CaseStudy, ...]) -> str:
    if not cases:
        return "<p>None.</p>"
    return _ul(
        [
            f"{_link(relative_url(HERE, case_url(case.slug)), case.title)} (last reviewed "
            f"{_e(full_date(case.reviewed))})"
            for case in cases
        ]
    )


def render_coverage_page(
    collection: Collection,
    taxonomy: Taxonomy,
    today: dt.date | None = None,
    repo_url: str | None = None,
) -> str:
    """The Markdown of the site's /coverage/ page, with HTML tables and an SVG chart.

    Counts published case studies only (the site shows no drafts). Needs the Markdown
    extensions tables, md_in_html and attr_list. Every value from a data file is escaped.
    With `repo_url` (mkdocs.yml's), wanted categories and empty regions also link the GitHub
    case-study form with the category or region already chosen.
    """
    report = build_report(collection, taxonomy, today=today)
    coverage = report.coverage
    gaps, priority_gaps = coverage.gaps, coverage.priority_gaps
    intro = [
        "# Case study coverage",
        "",
        "This page is for the coordinators of the knowledge base and anyone thinking of "
        "contributing. It shows how many published case studies there are of each kind, "
        "against the number coordinators want, so you can see where new case studies "
        "would help most.",
        "",
        f"Figures on {format_date(report.today)}: "
        f"{plural(coverage.published_total, 'published case study', 'published case studies')}. "
        f"{plural(len(gaps), 'category has', 'categories have')} fewer than coordinators "
        f"want, {len(priority_gaps)} of them "
        f"{'a priority' if len(priority_gaps) == 1 else 'priorities'}.",
        "",
        "A case study in several categories counts once in each, and one with joint "
        "commissioners of different types counts once for each type, so the tables can add "
        "up to more than the number of case studies. Drafts are not counted.",
        "",
        "A zero does not mean nobody looked: the "
        f"{_link(relative_url(HERE, RESEARCH_LOG_URL), 'research log')} says where "
        "coordinators searched for each empty category and region, and what they found.",
    ]
    if report.problems:
        files = len(report.files_not_counted)
        intro += [
            "",
            f"<p><strong>{_e(plural(files, 'case-study file has', 'case-study files have'))} "
            "problems and "
            f"{'is' if files == 1 else 'are'} not counted here, so these figures may be too low."
            "</strong></p>",
        ]
    sections = [
        "\n".join(intro),
        "## Case studies wanted",
        "Coordinators especially want case studies in these categories. Each link opens the "
        "contribute page with the category chosen"
        + (
            "; “Share one through the form” opens our case study form on GitHub with it chosen."
            if repo_url
            else "."
        ),
        _wanted_list(coverage, repo_url),
        "## Case studies per category",
        "Each bar is the number of published case studies; the dashed line marks the number "
        "wanted. The table below gives the same figures.",
        render_chart(coverage),
        "## By category",
        _facet_table(report, "categories"),
        "## By region",
        _facet_table(report, "regions"),
        *filter(None, [_empty_regions(report, repo_url)]),
        "## By commissioner type",
        _facet_table(report, "commissioner_types"),
        "## By outcome",
        "How the relationships in the published case studies stand now, or how they ended, as "
        "their sources tell it. Cautionary cases are as useful as successes.",
        _facet_table(report, "outcomes"),
        "## Category by region",
        "Each square is a category in a region: the darker, the more case studies. Empty "
        "squares are where none is published yet. The table below gives the same figures, and "
        "scrolls sideways on narrow screens.",
        render_heatmap(coverage),
        _cross_table(taxonomy, "regions", coverage.matrix),
        "## Category by commissioner type",
        "A case study with joint commissioners of different types counts once for each type.",
        _cross_table(taxonomy, "commissioner_types", coverage.type_matrix),
        "## Due for review",
        "Published case studies last reviewed more than a year ago. Check they are still "
        "correct, then update their reviewed date.",
        _stale_list(report.review_lists["due_for_review"]),
        "## Archive decision needed",
        "Published case studies last reviewed more than three years ago. Decide whether to "
        "update them or archive them.",
        _stale_list(report.review_lists["archive_decision_needed"]),
    ]
    return "\n\n".join(sections) + "\n"
