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
import io
import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from kb.content.casestudy import CaseStudy, Collection
from kb.content.dates import format_date
from kb.content.problems import Problem
from kb.content.taxonomy import Taxonomy, Term

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

#: The taxonomy lists coverage is reported for (their labels come from the taxonomy).
COVERAGE_FACETS = ("categories", "regions", "commissioner_types", "outcomes")


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
    #: How the relationships stand: continuing, funding cut, lost at re-tender…
    outcomes: tuple[TermCount, ...]
    matrix: tuple[MatrixRow, ...]

    def by_facet(self, facet: str) -> tuple[TermCount, ...]:
        return {
            "categories": self.categories,
            "regions": self.regions,
            "commissioner_types": self.commissioner_types,
            "outcomes": self.outcomes,
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
    """Count case studies per category, region, commissioner type, outcome and category-and-region.

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
            **{
                facet: Counter(term for case in group for term in case.terms(facet))
                for facet in COVERAGE_FACETS
            },
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
        outcomes=counts("outcomes"),
        matrix=matrix,
    )


def _check_terms(cases: list[CaseStudy], taxonomy: Taxonomy) -> None:
    """Every term a case study uses must be in the taxonomy, or the counts would be short."""
    for case in cases:
        used = {facet: case.terms(facet) for facet in COVERAGE_FACETS}
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
    taxonomy: Taxonomy
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
        taxonomy=taxonomy,
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


def _count_columns(report: Report, facet: str) -> tuple[list[str], list[list[str]], set[int]]:
    """The headers, rows and numeric columns of one facet's table, shared by table and markdown."""
    coverage = report.coverage
    is_category = facet == "categories"
    headers = [report.taxonomy.facet(facet).label]
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
    out += [f"By category. {_CATEGORY_NOTE}", _text_table(*_count_columns(report, "categories"))]
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
    out += ["", "By region", _text_table(*_count_columns(report, "regions")), ""]
    out += [
        f"By commissioner type. {_TYPE_NOTE}",
        _text_table(*_count_columns(report, "commissioner_types")),
        "",
        "By outcome: how the relationships stand now, or how they ended",
        _text_table(*_count_columns(report, "outcomes")),
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
    out += [_md_table(*_count_columns(report, "categories")), "", "## Gaps", ""]
    if coverage.gaps:
        out += [
            f"- {_md_cell(count.term.name)}{' (**PRIORITY**)' if count.priority else ''}: "
            f"{count.published} published, {count.wanted_minimum} wanted, needs {count.gap} more"
            for count in coverage.gaps
        ]
    else:
        out.append("None: every category has at least its wanted minimum.")
    out += ["", "## By region", "", _md_table(*_count_columns(report, "regions")), ""]
    out += ["## By commissioner type", "", _TYPE_NOTE, ""]
    out += [_md_table(*_count_columns(report, "commissioner_types")), ""]
    out += ["## By outcome", "", _md_table(*_count_columns(report, "outcomes")), ""]
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
        "outcomes": [term(count) for count in coverage.outcomes],
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

    for facet in COVERAGE_FACETS:
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
