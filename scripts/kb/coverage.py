"""Coverage: how many case studies each category, region and commissioner type has, against
what coordinators want, and which published case studies are due for review.

Every figure is counted once, here, by `build_report` (which uses `compute_coverage` and
`find_stale`). The `kb coverage` formats (`render_table`, `render_markdown`, `render_json`,
`render_csv`) and the site's /coverage/ page (`render_coverage_page`) only lay out a Report, so
their numbers cannot disagree. Every list of terms comes from the taxonomy; none is restated here.

Counting rules:

- Only published case studies count towards a category's wanted minimum. Drafts are counted
  only when asked for, and then separately, so coordinators can see the pipeline.
- A case study in several categories counts once in each of them.
- A case study with joint commissioners counts once for each distinct commissioner type.
- Files with problems are not counted, and every report says so.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import json
import textwrap
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from kb.casestudy import CaseStudy, Collection
from kb.problems import Problem
from kb.site.markup import format_date
from kb.taxonomy import Taxonomy, Term

#: Bumped when a key of the JSON output changes meaning or disappears.
JSON_FORMAT_VERSION = 1

#: The columns of `kb coverage --format csv`, in order (documented in the command's help).
CSV_COLUMNS = (
    "section",
    "term_id",
    "term_name",
    "published",
    "drafts",
    "wanted_minimum",
    "priority",
    "gap",
    "region_id",
    "region_name",
    "reviewed",
)

#: The facets coverage is reported for, with the word for one term of each.
FACET_LABELS = {
    "categories": "Category",
    "regions": "Region",
    "commissioner_types": "Commissioner type",
}


# ------------------------------------------------------------------------------------------
# Counting
# ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TermCount:
    """How many case studies one term has.

    `drafts` is None when drafts were not counted. `wanted_minimum` is None for terms that have
    no minimum (regions and commissioner types); `priority` is only ever true for categories.
    """

    term: Term
    published: int
    drafts: int | None
    wanted_minimum: int | None = None
    priority: bool = False

    @property
    def gap(self) -> int | None:
        """How many more published case studies are wanted: 0 when the minimum is met."""
        if self.wanted_minimum is None:
            return None
        return max(0, self.wanted_minimum - self.published)

    @property
    def below_minimum(self) -> bool:
        return bool(self.gap)


@dataclass(frozen=True)
class MatrixCell:
    """Case studies in one category and one region."""

    region: Term
    published: int
    drafts: int | None


@dataclass(frozen=True)
class MatrixRow:
    """One category's case studies in every region, in taxonomy order."""

    category: Term
    cells: tuple[MatrixCell, ...]


@dataclass(frozen=True)
class Coverage:
    """Every count, by category, region and commissioner type, in taxonomy order."""

    include_drafts: bool
    published_total: int
    #: None when drafts were not counted.
    drafts_total: int | None
    categories: tuple[TermCount, ...]
    regions: tuple[TermCount, ...]
    commissioner_types: tuple[TermCount, ...]
    matrix: tuple[MatrixRow, ...]

    def by_facet(self, facet: str) -> tuple[TermCount, ...]:
        return {
            "categories": self.categories,
            "regions": self.regions,
            "commissioner_types": self.commissioner_types,
        }[facet]

    @property
    def gaps(self) -> tuple[TermCount, ...]:
        """Categories with fewer published case studies than their wanted minimum."""
        return tuple(count for count in self.categories if count.below_minimum)

    @property
    def priority_gaps(self) -> tuple[TermCount, ...]:
        """Priority categories below their wanted minimum: what `kb coverage --check` fails on."""
        return tuple(count for count in self.gaps if count.priority)


def compute_coverage(
    case_studies: Iterable[CaseStudy], taxonomy: Taxonomy, include_drafts: bool = False
) -> Coverage:
    """Count case studies per category, region, commissioner type and category-and-region.

    Published case studies count; drafts count separately when `include_drafts`, else not at
    all. A case study counts once in each of its categories and once for each distinct type of
    its commissioners. Raises ValueError for a term the taxonomy does not have (a case study
    that passed validation never has one), rather than leaving it out of the figures.
    """
    cases = list(case_studies)
    published = [case for case in cases if case.is_published]
    drafts = [case for case in cases if not case.is_published] if include_drafts else []
    _check_terms(cases, taxonomy)

    def tally(group: list[CaseStudy]) -> dict[str, Counter[Any]]:
        return {
            "categories": Counter(term for case in group for term in case.categories),
            "regions": Counter(case.region for case in group),
            "commissioner_types": Counter(
                term for case in group for term in case.commissioner_types
            ),
            "matrix": Counter(
                (category, case.region) for case in group for category in case.categories
            ),
        }

    pub, draft = tally(published), tally(drafts)

    def drafts_of(key: str, item: Any) -> int | None:
        return draft[key][item] if include_drafts else None

    def counts(facet: str) -> tuple[TermCount, ...]:
        is_category = facet == "categories"
        return tuple(
            TermCount(
                term=term,
                published=pub[facet][term.id],
                drafts=drafts_of(facet, term.id),
                wanted_minimum=term.wanted_minimum if is_category else None,
                priority=term.priority if is_category else False,
            )
            for term in taxonomy.terms(facet)
        )

    matrix = tuple(
        MatrixRow(
            category=category,
            cells=tuple(
                MatrixCell(
                    region=region,
                    published=pub["matrix"][category.id, region.id],
                    drafts=drafts_of("matrix", (category.id, region.id)),
                )
                for region in taxonomy.regions
            ),
        )
        for category in taxonomy.categories
    )
    return Coverage(
        include_drafts=include_drafts,
        published_total=len(published),
        drafts_total=len(drafts) if include_drafts else None,
        categories=counts("categories"),
        regions=counts("regions"),
        commissioner_types=counts("commissioner_types"),
        matrix=matrix,
    )


def _check_terms(cases: list[CaseStudy], taxonomy: Taxonomy) -> None:
    """Every term a case study uses must be in the taxonomy, or the counts would be short."""
    for case in cases:
        used = {
            "categories": case.categories,
            "regions": [case.region],
            "commissioner_types": case.commissioner_types,
        }
        for facet, term_ids in used.items():
            unknown = sorted(set(term_ids) - set(taxonomy.ids(facet)))
            if unknown:
                raise ValueError(
                    f"{case.slug}: {facet} {unknown} are not in the taxonomy, so it cannot be "
                    "counted; run kb validate"
                )


# ------------------------------------------------------------------------------------------
# Review dates
# ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Staleness:
    """Published case studies whose `reviewed` date is old, oldest first.

    Each case study is in at most one list: the more urgent one.
    """

    today: dt.date
    #: Reviewed more than one year and at most three years before today.
    due_for_review: tuple[CaseStudy, ...]
    #: Reviewed more than three years before today.
    archive_decision_needed: tuple[CaseStudy, ...]


def years_before(day: dt.date, years: int) -> dt.date:
    """The same calendar date `years` earlier; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def find_stale(case_studies: Iterable[CaseStudy], today: dt.date) -> Staleness:
    """Published case studies reviewed more than a year before `today` are due for review;
    more than three years before, an archive decision is needed.

    "More than a year" is strict: reviewed exactly one year ago (the same date last year) is
    not yet due; one year and a day is. Likewise exactly three years is due for review, three
    years and a day needs an archive decision. Drafts are never listed.
    """
    one_year, three_years = years_before(today, 1), years_before(today, 3)
    due: list[CaseStudy] = []
    archive: list[CaseStudy] = []
    for case in case_studies:
        if not case.is_published:
            continue
        reviewed = dt.date.fromisoformat(case.reviewed)
        if reviewed < three_years:
            archive.append(case)
        elif reviewed < one_year:
            due.append(case)

    def oldest_first(cases: list[CaseStudy]) -> tuple[CaseStudy, ...]:
        return tuple(sorted(cases, key=lambda case: (case.reviewed, case.slug)))

    return Staleness(today, oldest_first(due), oldest_first(archive))


# ------------------------------------------------------------------------------------------
# The report: everything every format shows
# ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Report:
    """The coverage counts, the review lists and the files that could not be counted."""

    coverage: Coverage
    staleness: Staleness
    #: Every problem in the files that were not counted.
    problems: tuple[Problem, ...]

    @property
    def today(self) -> dt.date:
        return self.staleness.today

    @property
    def files_not_counted(self) -> tuple[str, ...]:
        """Every file with a problem: it was left out of every figure."""
        return tuple(sorted({problem.path for problem in self.problems}))

    @property
    def check_passed(self) -> bool:
        """The scheduled check passes when every priority category has its wanted minimum and
        every file was counted (a file left out could be a case study the check is missing)."""
        return not self.coverage.priority_gaps and not self.problems


def build_report(
    collection: Collection,
    taxonomy: Taxonomy,
    *,
    include_drafts: bool = False,
    today: dt.date | None = None,
) -> Report:
    """Count a collection of case studies: the one place every output's figures come from."""
    return Report(
        coverage=compute_coverage(collection.case_studies, taxonomy, include_drafts),
        staleness=find_stale(collection.case_studies, today or dt.date.today()),
        problems=tuple(sorted(collection.problems)),
    )


def check_messages(report: Report) -> list[str]:
    """What `kb coverage --check` says: why it failed, naming each category, or that it passed."""
    messages = []
    gaps = report.coverage.priority_gaps
    if gaps:
        messages.append(
            f"Check failed: {_plural(len(gaps), 'priority category', 'priority categories')} "
            f"{'is' if len(gaps) == 1 else 'are'} below the wanted minimum:"
        )
        messages.extend(
            f"  {count.term.name}: {count.published} published, {count.wanted_minimum} wanted, "
            f"needs {count.gap} more"
            for count in gaps
        )
    if report.problems:
        files = len(report.files_not_counted)
        messages.append(
            f"Check failed: {_plural(files, 'file has', 'files have')} problems and "
            f"{'was' if files == 1 else 'were'} not counted; fix {'it' if files == 1 else 'them'} "
            "(run kb validate), then run the check again."
        )
    if not messages:
        messages.append(
            "Check passed: every priority category has at least its wanted minimum of "
            "published case studies."
        )
    return messages


# ------------------------------------------------------------------------------------------
# Words shared by every format
# ------------------------------------------------------------------------------------------


def _plural(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


def gap_words(count: TermCount) -> str:
    """'needs 2 more', 'met', or '' for a term with no wanted minimum."""
    if count.gap is None:
        return ""
    return f"needs {count.gap} more" if count.gap else "met"


def _totals_sentence(coverage: Coverage) -> str:
    total = _plural(coverage.published_total, "published case study", "published case studies")
    sentence = f"Counted: {total}"
    if coverage.drafts_total is None:
        return sentence + ". Drafts are not counted (add --include-drafts to see them)."
    return sentence + f", and {_plural(coverage.drafts_total, 'draft', 'drafts')} shown separately."


def _not_counted_lines(report: Report) -> list[str]:
    files = report.files_not_counted
    if not files:
        return []
    return [
        f"WARNING: {_plural(len(files), 'file has', 'files have')} problems and "
        f"{'was' if len(files) == 1 else 'were'} NOT counted, so these figures may be too low:",
        *(f"  {path}" for path in files),
        "Their problems are listed on standard error; run kb validate for how to fix them.",
    ]


_CATEGORY_NOTE = "A case study in several categories counts once in each."
_TYPE_NOTE = (
    "A case study with joint commissioners of different types counts once for each type, so "
    "these may add up to more than the number of case studies."
)
_STALE_HEADINGS = {
    "due_for_review": ("Due for review", "reviewed more than a year before"),
    "archive_decision_needed": ("Archive decision needed", "reviewed more than three years before"),
}


def _stale_lists(staleness: Staleness) -> dict[str, tuple[CaseStudy, ...]]:
    return {
        "due_for_review": staleness.due_for_review,
        "archive_decision_needed": staleness.archive_decision_needed,
    }


# ------------------------------------------------------------------------------------------
# Terminal table
# ------------------------------------------------------------------------------------------


def _text_table(headers: Sequence[str], rows: Sequence[Sequence[str]], numeric: set[int]) -> str:
    """Columns aligned with spaces: numbers to the right, words to the left. No rule lines,
    which screen readers would read out as rows of dashes."""
    widths = [max(len(row[i]) for row in [headers, *rows]) for i in range(len(headers))]

    def line(row: Sequence[str]) -> str:
        cells = [
            cell.rjust(widths[i]) if i in numeric else cell.ljust(widths[i])
            for i, cell in enumerate(row)
        ]
        return "  ".join(cells).rstrip()

    return "\n".join(line(row) for row in [headers, *rows])


def _count_columns(coverage: Coverage, facet: str) -> tuple[list[str], list[list[str]], set[int]]:
    """The headers, rows and numeric columns of one facet's table, shared by table and markdown."""
    is_category = facet == "categories"
    headers = [FACET_LABELS[facet]]
    if is_category:
        headers.append("Priority")
    headers.append("Published")
    if coverage.include_drafts:
        headers.append("Drafts")
    headers.append("Wanted minimum" if is_category else "Note")
    if is_category:
        headers.append("Gap")
    numeric = {i for i, header in enumerate(headers) if header in ("Published", "Drafts")}
    if is_category:
        numeric.add(headers.index("Wanted minimum"))
    rows = []
    for count in coverage.by_facet(facet):
        row = [count.term.name]
        if is_category:
            row.append("PRIORITY" if count.priority else "")
        row.append(str(count.published))
        if coverage.include_drafts:
            row.append(str(count.drafts))
        if is_category:
            row += [str(count.wanted_minimum), gap_words(count)]
        else:
            row.append("" if count.published else "none yet")
        rows.append(row)
    return headers, rows, numeric


def _matrix_lines(coverage: Coverage) -> list[str]:
    """The category-by-region figures as one line per category, naming each region counted.

    A grid of numbers would be unreadable line by line with a screen reader; this says the
    same figures in words.
    """
    lines = []
    for row in coverage.matrix:
        parts = []
        for cell in row.cells:
            if cell.published or cell.drafts:
                text = f"{cell.region.name} {cell.published}"
                if cell.drafts:
                    text += f" (and {_plural(cell.drafts, 'draft', 'drafts')})"
                parts.append(text)
        lines.append(f"  {row.category.name}: {', '.join(parts) if parts else 'none'}")
    return lines


def render_table(report: Report) -> str:
    """The default `kb coverage` output: plain text for a terminal, in words as well as
    figures, so it reads well with a screen reader."""
    coverage = report.coverage
    out = [
        f"Case study coverage on {format_date(report.today)}",
        _totals_sentence(coverage),
        "",
    ]
    if report.problems:
        out += [*_not_counted_lines(report), ""]
    out += [f"By category. {_CATEGORY_NOTE}", _text_table(*_count_columns(coverage, "categories"))]
    out.append("")
    gaps = coverage.gaps
    if gaps:
        priority = len(coverage.priority_gaps)
        out.append(
            f"Gaps: {_plural(len(gaps), 'category is', 'categories are')} below the wanted "
            f"minimum ({priority} of them PRIORITY):"
        )
        for count in gaps:
            marker = ", PRIORITY" if count.priority else ""
            out.append(
                f"  {count.term.name}{marker}: {count.published} published, "
                f"{count.wanted_minimum} wanted, needs {count.gap} more"
            )
    else:
        out.append("Gaps: none. Every category has at least its wanted minimum.")
    out += ["", "By region", _text_table(*_count_columns(coverage, "regions")), ""]
    out += [
        f"By commissioner type. {_TYPE_NOTE}",
        _text_table(*_count_columns(coverage, "commissioner_types")),
        "",
        "Category by region: published case studies in each region (regions with none are "
        "not named).",
        *_matrix_lines(coverage),
    ]
    for key, cases in _stale_lists(report.staleness).items():
        heading, rule = _STALE_HEADINGS[key]
        out += ["", f"{heading} ({rule} {format_date(report.today)}): {len(cases) or 'none'}"]
        out += [f"  {case.slug}: {case.title} (reviewed {case.reviewed})" for case in cases]
    return "\n".join(out) + "\n"


# ------------------------------------------------------------------------------------------
# Markdown (GitHub-flavoured), for issues and pull requests
# ------------------------------------------------------------------------------------------


def _md_cell(text: str) -> str:
    """A table cell: pipes escaped and line breaks removed, so a name cannot break the table."""
    return " ".join(text.replace("\\", "\\\\").replace("|", "\\|").split())


def _md_table(headers: Sequence[str], rows: Sequence[Sequence[str]], numeric: set[int]) -> str:
    align = ["---:" if i in numeric else ":---" for i in range(len(headers))]
    lines = [headers, align, *rows]
    return "\n".join("| " + " | ".join(_md_cell(cell) for cell in line) + " |" for line in lines)


def render_markdown(report: Report) -> str:
    """`kb coverage --format markdown`: the same sections as GitHub-flavoured Markdown tables."""
    coverage = report.coverage
    out = [
        f"# Case study coverage on {format_date(report.today)}",
        "",
        _totals_sentence(coverage),
        "",
    ]
    if report.problems:
        lines = _not_counted_lines(report)
        out += [f"**{lines[0]}**", "", *(f"- `{path}`" for path in report.files_not_counted), ""]
    out += ["## By category", "", _CATEGORY_NOTE, ""]
    out += [_md_table(*_count_columns(coverage, "categories")), "", "## Gaps", ""]
    if coverage.gaps:
        out += [
            f"- {_md_cell(count.term.name)}{' (**PRIORITY**)' if count.priority else ''}: "
            f"{count.published} published, {count.wanted_minimum} wanted, needs {count.gap} more"
            for count in coverage.gaps
        ]
    else:
        out.append("None: every category has at least its wanted minimum.")
    out += ["", "## By region", "", _md_table(*_count_columns(coverage, "regions")), ""]
    out += ["## By commissioner type", "", _TYPE_NOTE, ""]
    out += [_md_table(*_count_columns(coverage, "commissioner_types")), ""]
    note = "Published case studies" + (
        ", with drafts in brackets." if coverage.include_drafts else "."
    )
    out += ["## Category by region", "", note, ""]
    headers = ["Category", *(cell.region.name for cell in coverage.matrix[0].cells)]
    rows = [
        [row.category.name, *(_matrix_cell_text(cell) for cell in row.cells)]
        for row in coverage.matrix
    ]
    out += [_md_table(headers, rows, set(range(1, len(headers)))), ""]
    for key, cases in _stale_lists(report.staleness).items():
        heading, rule = _STALE_HEADINGS[key]
        out += [
            f"## {heading}",
            "",
            f"Published case studies {rule} {format_date(report.today)}.",
            "",
        ]
        if cases:
            out += [
                f"- `{case.slug}`: {_md_cell(case.title)} (reviewed {case.reviewed})"
                for case in cases
            ]
        else:
            out.append("None.")
        out.append("")
    return "\n".join(out)


def _matrix_cell_text(cell: MatrixCell) -> str:
    return f"{cell.published} ({cell.drafts})" if cell.drafts else str(cell.published)


# ------------------------------------------------------------------------------------------
# JSON and CSV, for scripts and spreadsheets
# ------------------------------------------------------------------------------------------


def report_data(report: Report) -> dict[str, Any]:
    """Every figure as plain data with stable keys: what `--format json` prints.

    `drafts` values are null when drafts were not counted; `wanted_minimum`, `priority` and
    `gap` appear for categories only.
    """
    coverage = report.coverage

    def term(count: TermCount) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": count.term.id,
            "name": count.term.name,
            "published": count.published,
            "drafts": count.drafts,
        }
        if count.wanted_minimum is not None:
            data |= {
                "wanted_minimum": count.wanted_minimum,
                "priority": count.priority,
                "gap": count.gap,
            }
        return data

    def case(case: CaseStudy) -> dict[str, str]:
        return {"slug": case.slug, "title": case.title, "reviewed": case.reviewed}

    return {
        "format_version": JSON_FORMAT_VERSION,
        "today": report.today.isoformat(),
        "include_drafts": coverage.include_drafts,
        "totals": {
            "published": coverage.published_total,
            "drafts": coverage.drafts_total,
            "files_not_counted": len(report.files_not_counted),
        },
        "categories": [term(count) for count in coverage.categories],
        "gaps": [term(count) for count in coverage.gaps],
        "regions": [term(count) for count in coverage.regions],
        "commissioner_types": [term(count) for count in coverage.commissioner_types],
        "category_by_region": {
            "published": {
                row.category.id: {cell.region.id: cell.published for cell in row.cells}
                for row in coverage.matrix
            },
            "drafts": (
                {
                    row.category.id: {cell.region.id: cell.drafts for cell in row.cells}
                    for row in coverage.matrix
                }
                if coverage.include_drafts
                else None
            ),
        },
        "review": {
            key: [case(item) for item in cases]
            for key, cases in _stale_lists(report.staleness).items()
        },
        "not_counted": [
            {
                "path": path,
                "problems": [str(p) for p in report.problems if p.path == path],
            }
            for path in report.files_not_counted
        ],
        "check": {
            "passed": report.check_passed,
            "priority_gaps": [count.term.id for count in coverage.priority_gaps],
        },
    }


def render_json(report: Report) -> str:
    """`kb coverage --format json`: one object, keys in a fixed order (see `report_data`)."""
    return json.dumps(report_data(report), indent=2, ensure_ascii=False) + "\n"


def render_csv(report: Report) -> str:
    """`kb coverage --format csv`: one long table, one row per figure (columns: CSV_COLUMNS).

    `section` is categories, regions, commissioner_types, category_by_region (one row per
    category and region, with region_id and region_name), due_for_review or
    archive_decision_needed (one row per case study: term_id is its slug, term_name its title).
    Empty cells mean "does not apply" (drafts when not counted; wanted_minimum, priority and gap
    outside categories). priority is yes or no. A name starting = + - or @ gets a leading
    apostrophe so a spreadsheet cannot run it as a formula.
    """
    coverage = report.coverage
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()

    def text(value: str) -> str:
        """Text from data files: one starting = + - or @ would run as a spreadsheet formula,
        so it gets a leading apostrophe, which spreadsheets show as plain text."""
        return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value

    def blank_none(value: int | None) -> str:
        return "" if value is None else str(value)

    for facet in FACET_LABELS:
        for count in coverage.by_facet(facet):
            row = {
                "section": facet,
                "term_id": count.term.id,
                "term_name": text(count.term.name),
                "published": count.published,
                "drafts": blank_none(count.drafts),
            }
            if count.wanted_minimum is not None:
                row |= {
                    "wanted_minimum": count.wanted_minimum,
                    "priority": "yes" if count.priority else "no",
                    "gap": count.gap,
                }
            writer.writerow(row)
    for matrix_row in coverage.matrix:
        for cell in matrix_row.cells:
            writer.writerow(
                {
                    "section": "category_by_region",
                    "term_id": matrix_row.category.id,
                    "term_name": text(matrix_row.category.name),
                    "published": cell.published,
                    "drafts": blank_none(cell.drafts),
                    "region_id": cell.region.id,
                    "region_name": text(cell.region.name),
                }
            )
    for key, cases in _stale_lists(report.staleness).items():
        for case in cases:
            writer.writerow(
                {
                    "section": key,
                    "term_id": case.slug,
                    "term_name": text(case.title),
                    "reviewed": case.reviewed,
                }
            )
    return buffer.getvalue()


RENDERERS = {
    "table": render_table,
    "markdown": render_markdown,
    "json": render_json,
    "csv": render_csv,
}


# ------------------------------------------------------------------------------------------
# The site's /coverage/ page
# ------------------------------------------------------------------------------------------

#: Links from the page, which lives at /coverage/, to the browse pages and the contribute page.
CATEGORY_URL = "../categories/{id}/"
REGION_URL = "../regions/{id}/"
COMMISSIONER_TYPE_URL = "../commissioner-types/{id}/"
CASE_STUDY_URL = "../case-studies/{slug}/"
CONTRIBUTE_URL = "../contribute/?category={id}"
_TERM_URLS = {
    "categories": CATEGORY_URL,
    "regions": REGION_URL,
    "commissioner_types": COMMISSIONER_TYPE_URL,
}

#: Numbers line up on the right whatever the stylesheet; the class is a hook for the theme.
_NUM = 'class="kb-num" style="text-align: right"'


def _e(value: object) -> str:
    """Escape any value for HTML text or a quoted attribute."""
    return html.escape(str(value), quote=True)


def _link(url: str, text: str) -> str:
    return f'<a href="{_e(url)}">{_e(text)}</a>'


def _term_link(facet: str, term: Term) -> str:
    return _link(_TERM_URLS[facet].format(id=quote(term.id)), term.name)


def _html_table(
    caption: str, headers: Sequence[str], rows: Sequence[tuple[str, Sequence[tuple[str, bool]]]]
) -> str:
    """An accessible table: a caption, column headers with scope="col", and each row headed by
    a <th scope="row">. Cells are (HTML, is_number). Callers escape the HTML they pass."""
    head = "".join(f'<th scope="col">{_e(header)}</th>' for header in headers)
    body = []
    for row_header, cells in rows:
        tds = "".join(
            f"<td {_NUM}>{cell}</td>" if number else f"<td>{cell}</td>" for cell, number in cells
        )
        body.append(f'<tr><th scope="row">{row_header}</th>{tds}</tr>')
    return "\n".join(
        [
            "<table>",
            f"<caption>{_e(caption)}</caption>",
            f"<thead><tr>{head}</tr></thead>",
            "<tbody>",
            *body,
            "</tbody>",
            "</table>",
        ]
    )


def _facet_table(coverage: Coverage, facet: str, caption: str) -> str:
    is_category = facet == "categories"
    headers = [FACET_LABELS[facet], "Published"]
    if is_category:
        headers += ["Wanted minimum", "Priority", "Still needed"]
    rows = []
    for count in coverage.by_facet(facet):
        cells: list[tuple[str, bool]] = [(str(count.published), True)]
        if is_category:
            cells += [
                (str(count.wanted_minimum), True),
                ("Yes" if count.priority else "No", False),
                (f"{count.gap} more" if count.gap else "None: minimum met", False),
            ]
        rows.append((_term_link(facet, count.term), cells))
    return _html_table(caption, headers, rows)


#: The matrix is styled inline, so it reads and scrolls properly whatever the stylesheet: it has
#: a class, so the theme neither styles it nor wraps it in a second scrolling box.
_MATRIX_CELL = (
    "padding: 0.4em 0.6em; border: 1px solid var(--md-default-fg-color--lighter, #6b6b6b)"
)
_MATRIX_STYLES = {
    "table": "border-collapse: collapse; font-size: 0.8em; margin: 0",
    "caption": "text-align: left; padding: 0.4em 0",
    "col": f"{_MATRIX_CELL}; min-width: 6em; text-align: right; vertical-align: bottom",
    "corner": f"{_MATRIX_CELL}; text-align: left; vertical-align: bottom",
    "row": f"{_MATRIX_CELL}; min-width: 12em; text-align: left",
    "num": f"{_MATRIX_CELL}; text-align: right",
}


def _matrix_table(coverage: Coverage) -> str:
    """The category-by-region table, in a box that scrolls sideways on its own and takes
    keyboard focus (so it can be scrolled with the arrow keys), named for screen readers."""
    style = _MATRIX_STYLES
    regions = [cell.region for cell in coverage.matrix[0].cells]
    head = f'<th scope="col" style="{style["corner"]}">Category</th>' + "".join(
        f'<th scope="col" style="{style["col"]}">{_term_link("regions", region)}</th>'
        for region in regions
    )
    body = [
        f'<tr><th scope="row" style="{style["row"]}">'
        f"{_term_link('categories', row.category)}</th>"
        + "".join(
            f'<td class="kb-num" style="{style["num"]}">{cell.published}</td>' for cell in row.cells
        )
        + "</tr>"
        for row in coverage.matrix
    ]
    return "\n".join(
        [
            '<div class="kb-table-scroll" tabindex="0" role="region" '
            'aria-label="Category by region table" style="overflow-x: auto">',
            f'<table class="kb-coverage-matrix" style="{style["table"]}">',
            f'<caption style="{style["caption"]}">Published case studies by category (rows) and '
            "region (columns)</caption>",
            f"<thead><tr>{head}</tr></thead>",
            "<tbody>",
            *body,
            "</tbody>",
            "</table>",
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
    title = "Chart: published case studies per category, with the wanted minimum marked"
    return "\n".join(
        [
            '<div class="kb-coverage-chart">',
            f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {y}" '
            'width="100%" style="max-width: 27em; height: auto" '
            'aria-labelledby="kb-coverage-chart-title kb-coverage-chart-desc">',
            f'<title id="kb-coverage-chart-title">{_e(title)}</title>',
            f'<desc id="kb-coverage-chart-desc">{_e(chart_description(coverage))}</desc>',
            '<g fill="currentColor">',
            *parts,
            "</g>",
            "</svg>",
            "</div>",
        ]
    )


def _wanted_list(coverage: Coverage) -> str:
    if not coverage.gaps:
        return "<p>Every category has at least the number of case studies coordinators want.</p>"
    items = []
    # Priority categories first, each group in taxonomy order.
    for count in sorted(coverage.gaps, key=lambda c: not c.priority):
        url = CONTRIBUTE_URL.format(id=quote(count.term.id))
        priority = "a priority; " if count.priority else ""
        items.append(
            f"<li>{_link(url, f'Share a case study about {count.term.name}')} "
            f"({priority}{count.published} published, {count.wanted_minimum} wanted: "
            f"needs {count.gap} more)</li>"
        )
    return "\n".join(["<ul>", *items, "</ul>"])


def _stale_list(cases: tuple[CaseStudy, ...]) -> str:
    if not cases:
        return "<p>None.</p>"
    items = [
        f"<li>{_link(CASE_STUDY_URL.format(slug=quote(case.slug)), case.title)} (last reviewed "
        f"{_e(format_date(dt.date.fromisoformat(case.reviewed)))})</li>"
        for case in cases
    ]
    return "\n".join(["<ul>", *items, "</ul>"])


def render_coverage_page(
    collection: Collection, taxonomy: Taxonomy, today: dt.date | None = None
) -> str:
    """The Markdown of the site's /coverage/ page, with HTML tables and an SVG chart.

    Counts published case studies only (the site shows no drafts). Needs the Markdown
    extensions tables, md_in_html and attr_list. Every value from a data file is escaped.
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
        f"{_plural(coverage.published_total, 'published case study', 'published case studies')}. "
        f"{_plural(len(gaps), 'category has', 'categories have')} fewer than coordinators "
        f"want, {len(priority_gaps)} of them "
        f"{'a priority' if len(priority_gaps) == 1 else 'priorities'}.",
        "",
        "A case study in several categories counts once in each, and one with joint "
        "commissioners of different types counts once for each type, so the tables can add "
        "up to more than the number of case studies. Drafts are not counted.",
    ]
    if report.problems:
        files = len(report.files_not_counted)
        intro += [
            "",
            f"<p><strong>{_e(_plural(files, 'case-study file has', 'case-study files have'))} "
            "problems and "
            f"{'is' if files == 1 else 'are'} not counted here, so these figures may be too low."
            "</strong></p>",
        ]
    sections = [
        "\n".join(intro),
        "## Case studies wanted",
        "Coordinators especially want case studies in these categories. Each link opens the "
        "contribute page with the category chosen.",
        _wanted_list(coverage),
        "## Case studies per category",
        "Each bar is the number of published case studies; the dashed line marks the number "
        "wanted. The table below gives the same figures.",
        render_chart(coverage),
        "## By category",
        _facet_table(
            coverage, "categories", "Published case studies by category, against the number wanted"
        ),
        "## By region",
        _facet_table(coverage, "regions", "Published case studies by region"),
        "## By commissioner type",
        _facet_table(coverage, "commissioner_types", "Published case studies by commissioner type"),
        "## Category by region",
        "The table scrolls sideways on narrow screens.",
        _matrix_table(coverage),
        "## Due for review",
        "Published case studies last reviewed more than a year ago. Check they are still "
        "correct, then update their reviewed date.",
        _stale_list(report.staleness.due_for_review),
        "## Archive decision needed",
        "Published case studies last reviewed more than three years ago. Decide whether to "
        "update them or archive them.",
        _stale_list(report.staleness.archive_decision_needed),
    ]
    return "\n\n".join(sections) + "\n"
